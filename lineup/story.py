"""`lineup model`: one model's story, its own facts, its lineage both ways and every window in every market."""

from collections.abc import Sequence
from typing import TextIO

from lineup import render
from lineup.dates import Precision
from lineup.formats import Format
from lineup.model import Brand, Model
from lineup.query import Entry, Status
from lineup.tables import ROW_STYLES, Table, json_of, market_row, text_of
from lineup.text import site, visible
from lineup.value import Value

WINDOWS = (
    "market", "status", "since", "until", "model_years", "name", "body", "powertrain", "generation", "note",
    "sources", "expected", "end_expected", "first_seen", "country",
)  # fmt: skip
_FACTS = ("name", "body", "powertrain", "generation")


def model_story(
    brand: Brand,
    model: Model,
    entries: Sequence[Entry],
    back: Sequence[Model],
    ahead: Sequence[Model],
    production_planned: bool,
) -> "Story":
    """`lineup model`: one model's facts, its lineage both ways, and every window in every market."""
    rows = tuple({**market_row(entry, entry.model.name), "name": entry.facts.name} for entry in entries)
    # The same columns for every model, so that a script's `cut -f6` means one thing; what a stretch was sold as
    # is in the columns of its facts (--columns body), and a person's story says it where stretches differ.
    shown = ("market", "status", "since", "until", "model_years", "note", "sources")
    styles = tuple(ROW_STYLES.get(str(row["status"])) for row in rows)
    return Story(brand, model, tuple(back), tuple(ahead), production_planned, Table(WINDOWS, shown, rows, styles))


class Story(Value):
    """One model's own facts, the models before and after it, and its windows as a table."""

    __slots__ = ("brand", "model", "back", "ahead", "production_planned", "windows")

    def __init__(
        self,
        brand: Brand,
        model: Model,
        back: tuple[Model, ...],
        ahead: tuple[Model, ...],
        production_planned: bool,
        windows: Table,
    ) -> None:
        self.brand = brand
        self.model = model
        self.back = back  # the models it follows, nearest first
        self.ahead = ahead  # the models that follow it, nearest first
        self.production_planned = production_planned  # the end of production is still a plan on the day asked
        self.windows = windows

    @property
    def differ(self) -> tuple[str, ...]:
        """The facts (name, body, powertrain, generation) that differ from one stretch on sale to another."""
        return tuple(c for c in _FACTS if len({row[c] for row in self.windows.rows}) > 1)

    def as_json(self, columns: Sequence[str]) -> dict[str, object]:
        """The story as one JSON object, its windows with `columns`."""
        model, production = self.model, self.model.production
        return {
            "brand": self.brand.name,
            "brand_id": self.brand.id,
            "model": model.name,
            "model_id": model.id,
            "body": list(model.body),
            "powertrain": list(model.powertrain),
            "generation": model.generation,
            "production": None
            if production is None
            else {
                "since": json_of(production.since),
                "until": json_of(production.until),
                "end_expected": self.production_planned,
                "note": production.note,
                "sources": list(production.sources),
            },
            "follows": [_link(m) for m in self.back],
            "followed_by": [_link(m) for m in self.ahead],
            "note": model.note,
            "sources": list(model.sources),
            "windows": [{c: json_of(row[c]) for c in columns} for row in self.windows.rows],
            "sales": {
                code: [{"period": str(f.period), "units": f.units, "change": f.change,
                        "compared_with": None if f.versus is None else str(f.versus), "note": f.note,
                        "sources": list(f.sources)} for f in figures]
                for code, entries in self.brand.sales.items() if (figures := entries.get(model.id))
            },
        }  # fmt: skip

    def lines(self, brief: bool = True) -> list[tuple[str, list[str]]]:
        """The facts as labelled lines for people, sources as their sites if `brief`; empty ones left out."""
        model, production = self.model, self.model.production
        made: list[str] = []
        if production is not None:
            made = [f"{production.since or '?'} to {production.until or 'now'}"]
            made[0] += " (expected)" if self.production_planned else ""
            made += [text for text in (production.note, *source_lines(production.sources, brief)) if text]
        lines = [
            ("body", [", ".join(model.body)]),
            ("powertrain", [", ".join(model.powertrain)] if model.powertrain else []),
            ("generation", [model.generation] if model.generation else []),
            ("production", made),
            ("follows", [f"{m.name} ({m.key})" for m in self.back]),
            ("followed by", [f"{m.name} ({m.key})" for m in self.ahead]),
            ("note", [model.note] if model.note else []),
            ("sources", source_lines(model.sources, brief, label="")),
            ("sales", self._sales()),
        ]
        return [(label, value) for label, value in lines if value]

    def _sales(self) -> list[str]:
        """A line a market: the units of each whole year recorded, and how many other figures there are."""
        out = []
        for code, entries in self.brand.sales.items():
            figures = entries.get(self.model.id, ())
            years = [f for f in figures if f.period.calendar is Precision.YEAR]
            if not figures:
                continue
            line = f"{code}: " + (", ".join(f"{f.period} {f.units:,}" for f in years) or "no whole years")
            if len(figures) > len(years):
                line += f" (and {len(figures) - len(years)} other periods)"
            out.append(line)
        if out:
            out.append(f"lineup sales {self.brand.id} {self.model.id} -m MARKET: every figure, with its source")
        return out


def source_lines(sources: Sequence[str], brief: bool, label: str = "sources: ") -> list[str]:
    """Sources for people: a line naming each site once (`sources: a.com, b.org`), or each in full on its own line."""
    if not brief:
        return list(sources)
    return [label + ", ".join(dict.fromkeys(map(site, sources)))] if sources else []


def _link(model: Model) -> dict[str, str]:
    return {"brand_id": model.brand, "model_id": model.id, "model": model.name}


# --- written out ---------------------------------------------------------------------------


def write(story: Story, fmt: Format, columns: Sequence[str], out: TextIO, style: render.Style) -> None:
    """The model's facts then its windows for people; JSON as one object; other formats, the windows alone."""
    writers = {Format.json: _write_story_json, Format.table: _write_story_table}
    writers.get(fmt, lambda s, c, o, st: render.WRITERS[fmt](s.windows, c, o, st))(story, columns, out, style)


def _write_story_json(story: Story, columns: Sequence[str], out: TextIO, style: render.Style) -> None:
    out.write(render.json_text(story.as_json(columns), indent=2) + "\n")


def _write_story_table(story: Story, columns: Sequence[str], out: TextIO, style: render.Style) -> None:
    # Notes and sources are long: a list of labelled blocks reads better than a table of narrow columns.
    from rich.console import Group
    from rich.table import Table as RichTable
    from rich.text import Text

    title = Text(visible(f"{story.brand.name} {story.model.name} ({story.model.key})"), style="bold")
    facts = RichTable.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    for label, value in story.lines(style.brief):
        facts.add_row(label, Text("\n".join(map(visible, value))))
    if not story.windows.rows:
        render.print_rich(render.make_console(out, style.color), Group(title, facts), out)
        return
    windows = RichTable.grid(padding=(0, 2))
    windows.add_column(no_wrap=True)
    windows.add_column(overflow="fold")
    for row, row_style in zip(story.windows.rows, story.windows.styles, strict=True):
        since, until = text_of(row["since"]), text_of(row["until"])
        ahead = row["status"] == Status.expected and not until
        parts = [
            f"from {since}" if ahead else f"{since} to {until or 'now'}" if since else f"until {until}" if until else ""
        ]
        parts += [f"model years {row['model_years']}"] if row["model_years"] else []
        lines = [f"{', '.join(p for p in parts if p)} ({row['status']})"]
        sold_as = [f"{column} {text_of(row[column])}" for column in story.differ if row[column]]
        lines += [f"sold as: {'; '.join(sold_as)}"] if sold_as else []
        for column in (c for c in columns if c in ("note", "country") and row[c]):
            lines.append(text_of(row[column]))
        if "sources" in columns and isinstance(sources := row["sources"], tuple):
            lines += source_lines(tuple(map(str, sources)), style.brief)
        windows.add_row(Text(str(row["market"])), Text("\n".join(map(visible, lines)), style=row_style or ""))
    whole = Group(title, facts, Text(), Text("windows", style="bold"), windows)
    render.print_rich(render.make_console(out, style.color), whole, out)
