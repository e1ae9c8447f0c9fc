"""The figures-over-time chart the Dagster UI shows beside each `figures` materialization.

Counting is done by DuckDB straight over the Parquet parts (a GROUP BY that streams, so ten million rows cost
one scan of two columns, not a data frame); drawing is a pure function of the small monthly table it returns.
"""

import base64
import io
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display here, and none needed: the chart is only ever written to bytes

import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen before pyplot is imported)
import pandas as pd  # noqa: E402

from assets.storage import duckdb_connect  # noqa: E402

COUNT_COLUMNS = ["month", "category", "figures"]
MIN_SLOTS = 6  # the x axis has room for at least this many months
MAX_MONTHS = 36  # the newest months drawn; older history is in the table, not the picture


def monthly_counts(parts: Sequence[Path], version: str) -> pd.DataFrame:
    """Return the number of figures of extractor `version` per published month and category.

    Columns: month (first day of the month, a Timestamp), category, figures; sorted by month then category.
    Figures without a published date are left out (they have no place on a time axis).
    """
    if not parts:
        return pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"), "category": pd.Series(dtype=str),
                             "figures": pd.Series(dtype="int64")})
    sql = """
        SELECT date_trunc('month', published_date)::TIMESTAMP AS month, category, count(*) AS figures
        FROM read_parquet($parts, union_by_name = true)
        WHERE extractor_version = $version AND published_date IS NOT NULL
        GROUP BY ALL ORDER BY month, category
    """
    with duckdb_connect(parts[:1]) as con:
        counts = con.execute(sql, {"parts": [str(p) for p in parts], "version": version}).df()
    return counts.astype({"figures": "int64"})[COUNT_COLUMNS]


def figures_over_time_png(counts: pd.DataFrame, max_months: int = MAX_MONTHS) -> bytes:
    """Return PNG bytes of a stacked bar chart: figures reported per month, one colour per category.

    `counts` has the columns of `monthly_counts`. Only the newest `max_months` months are drawn; months without
    figures between the first and the last are shown as gaps, so the time axis is even. An empty `counts`
    gives a small chart that says there is nothing to draw.
    """
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=90)
    try:
        if counts.empty:
            ax.text(0.5, 0.5, "no dated figures yet", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
        else:
            table = _month_by_category(counts)
            title = "Figures per month by category"
            if len(table) > max_months:
                title += f" (newest {max_months} of {len(table)} months)"
            _draw_stacked(ax, table.tail(max_months), title)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


def _month_by_category(counts: pd.DataFrame) -> pd.DataFrame:
    """Return a month x category table of counts over every month from the first to the last (missing = 0)."""
    table = counts.pivot_table(index="month", columns="category", values="figures", aggfunc="sum", fill_value=0)
    months = pd.date_range(table.index.min(), table.index.max(), freq="MS")
    table = table.reindex(months, fill_value=0)
    return table[table.sum().sort_values(ascending=False).index]  # biggest category at the bottom of each bar


def _draw_stacked(ax, table: pd.DataFrame, title: str) -> None:
    """Draw `table` (months x categories) as stacked bars with labelled axes and a legend."""
    labels = [month.strftime("%Y-%m") for month in table.index]
    positions = range(len(labels))
    bottom = [0] * len(labels)
    colours = plt.get_cmap("tab10")
    for i, category in enumerate(table.columns):
        heights = table[category].tolist()
        ax.bar(positions, heights, width=0.8, bottom=bottom, label=category.replace("_", " "), color=colours(i % 10))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    step = max(1, len(labels) // 12)
    ax.set_xticks(list(positions)[::step], labels[::step], rotation=45, ha="right", fontsize=8)
    ax.set_xlim(-0.6, max(len(labels), MIN_SLOTS) - 0.4)  # a lone month is a bar, not a wall
    ax.set_xlabel("month published")
    ax.set_ylabel("figures reported")
    ax.set_title(title, fontsize=10)
    ax.yaxis.get_major_locator().set_params(integer=True)
    handles, names = ax.get_legend_handles_labels()
    # listed top to bottom as stacked, so the legend reads like the bars
    ax.legend(handles[::-1], names[::-1], fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def markdown_image(png: bytes, alt: str = "figures over time") -> str:
    """Return markdown that shows `png` inline (a base64 data URL), as Dagster's metadata panel renders it."""
    return f"![{alt}](data:image/png;base64,{base64.b64encode(png).decode('ascii')})"
