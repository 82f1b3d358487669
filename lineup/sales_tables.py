"""`lineup sales` answers as tables: a model's figures with their changes, or a brand's models ranked."""

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from lineup import countries
from lineup.model import Brand, Figure, Model
from lineup.sales import Compared, Ranked, last_full_year, series, sparkline, year_figure
from lineup.tables import Name, Names, Number, Row, Table

if TYPE_CHECKING:
    from lineup.diffs import Difference

# Every column, in order (JSON gives all of them), and those a person sees by default.
FIGURES = (
    "brand", "model", "market", "period", "units", "vs_prev", "vs_year", "reported", "reported_vs", "sources",
    "note", "country", "brand_id", "model_id",
)  # fmt: skip
_FIGURES_SHOWN = ("model", "market", "period", "units", "vs_prev", "vs_year", "reported", "sources")
RANKING = (
    "rank", "brand", "model", "market", "period", "units", "share", "vs_year", "reported", "reported_vs", "sources",
    "note", "country", "brand_id", "model_id",
)  # fmt: skip
_RANKING_SHOWN = ("rank", "model", "market", "units", "share", "vs_year", "reported", "sources")


def _percent(value: float | None, unit: str = "change") -> Number | None:
    return None if value is None else Number(value, unit)


def _common(brand: Brand, model: Model, market: str, figure: Figure, name: Name) -> Row:
    """What every row of a figure holds: whose it is, the units, what the source reports, the source."""
    return {
        "brand": brand.name,
        "model": name,
        "market": market,
        "period": str(figure.period),
        "units": Number(figure.units),
        "reported": None if figure.change is None else Number(figure.change, "change", str(figure.versus)),
        "reported_vs": None if figure.versus is None else str(figure.versus),
        "note": figure.note,
        "sources": figure.sources,
        "country": countries.name(market),
        "brand_id": brand.id,
        "model_id": model.id,
    }


def figures_table(brand: Brand, rows: Sequence[tuple[Model, str, Sequence[Compared]]]) -> Table:
    """`lineup sales BRAND [MODEL]`: each model's figures per market in period order, with their changes."""
    names = Names()
    out = []
    for model, market, found in rows:
        name = names(brand, model)
        for c in found:
            row = dict(_common(brand, model, market, c.figure, name))
            row["vs_prev"] = _percent(c.previous)
            row["vs_year"] = _percent(c.year_ago)
            out.append(row)
    shown: tuple[str, ...] = _FIGURES_SHOWN
    if len({(model.id, market) for model, market, _ in rows}) == 1:
        shown = tuple(c for c in shown if c not in ("model", "market"))
    return Table(FIGURES, shown, tuple(out), group="model" if "model" in shown else None)


def ranking_table(brand: Brand, market: str, ranked: Sequence[Ranked]) -> Table:
    """`lineup sales BRAND --year Y`: the brand's models by units in one market and period, with shares."""
    names = Names()
    out = []
    for rank, r in enumerate(ranked, 1):
        row = dict(_common(brand, r.model, market, r.figure, names(brand, r.model)))
        row.update(rank=rank, share=_percent(r.share, "share"), vs_year=_percent(r.year_ago))
        out.append(row)
    shown = tuple(c for c in _RANKING_SHOWN if c != "market")
    return Table(RANKING, shown, tuple(out))


def trend(brand: Brand, model: Model, market: str, figures: Sequence[Figure]) -> str | None:
    """A line for people under a model's figures: its series of one period length as a sparkline."""
    run = series(figures)
    if len(run) < 2:
        return None
    return f"{model.name} in {market}, {run[0].period} to {run[-1].period}: {sparkline(run)}"


def with_sales(table: Table, figures: Sequence[Figure | None]) -> Table:
    """The table with each row's figure beside it (`sales`, and the period it is of), null where unknown."""
    rows = tuple(
        {**row, "sales": None if f is None else Number(f.units), "sales_period": None if f is None else str(f.period)}
        for row, f in zip(table.rows, figures, strict=True)
    )
    return table._replace(columns=(*table.columns, "sales", "sales_period"), shown=(*table.shown, "sales"), rows=rows)


def year_sales(brands: Mapping[str, Brand], table: Table, year: int) -> Table:
    """`show --sales YEAR`: each row's units in that year in its market."""
    return with_sales(table, [year_figure(_figures_of(brands, row), year) for row in table.rows])


def dropped_sales(table: Table, changes: Sequence["Difference"]) -> Table:
    """`diff --sales`: for each model dropped, its units in the last whole year it was on sale there."""
    out: list[Figure | None] = []
    for row, d in zip(table.rows, changes, strict=True):
        end = d.window.end
        found = _figures_of({d.brand.id: d.brand}, row) if row["change"] == "dropped" and end is not None else ()
        out.append(last_full_year(found, end) if found and end is not None else None)
    return with_sales(table, out)


def _figures_of(brands: Mapping[str, Brand], row: Row) -> tuple[Figure, ...]:
    brand = brands.get(str(row["brand_id"]))
    if brand is None or row.get("model_id") is None:
        return ()
    return brand.sales.get(str(row["market"]), {}).get(str(row["model_id"]), ())
