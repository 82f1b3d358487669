"""The base of lineup's value types: named fields, set once when a value is made.

Plain classes with __slots__: a NamedTuple or a frozen dataclass costs about a quarter of a
millisecond to define, and a query's path defines a few dozen of them in a start-up budget of a few
milliseconds; a plain class costs a fiftieth of that, and its values are quicker to make and smaller.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Self


class Value:
    """Named fields (the class's __slots__), compared, hashed and shown by what they hold.

    A value is not changed once made: _replace() makes another."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Value)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def _replace(self, **changes: Any) -> Self:
        """The same value with some fields changed."""
        return type(self)(**{**{name: getattr(self, name) for name in self.__slots__}, **changes})


EMPTY: Mapping[Any, Any] = MappingProxyType({})  # the default of a value's mapping field: one, never changed
