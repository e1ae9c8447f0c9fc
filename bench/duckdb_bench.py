"""Analyst-query latency over a synthetic `figures` table, built with DuckDB in the warehouse's own layout.

The table has FigureSchema's columns and types, is written as many zstd Parquet part files in one folder (as
assets/storage.py writes them), and is queried through the views assets/views.py publishes, from a read-only
connection to the views file, as `tally query` does.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import duckdb

from assets.storage import TableStore
from assets.views import publish_views
from extractors import CATEGORIES, EXTRACTOR_VERSION, MODALITIES, QUALIFIERS
from schemas import TABLE_MODELS, arrow_schema

ROWS_PER_PART = 250_000  # the pipeline writes one part per 5,000 articles; a busy corpus gives parts this size
PARTIES = ["Ukrainian", "Russian", "Sudanese", "Malian", "Somali", "Nigerian", "Congolese", "Ethiopian", "Israeli",
           "Palestinian", "Syrian", "Yemeni", "Burkinabe", "Afghan", "Libyan", "Cameroonian"]
PLACES = ["Kharkiv", "Bakhmut", "El Fasher", "Gao", "Mogadishu", "Maiduguri", "Goma", "Mekelle", "Aleppo", "Taiz"]
CLAIMANTS = ["health ministry", "military spokesman", "local officials", "United Nations", "Red Cross"]

# The questions analysts ask most, as they would type them against the views.
QUERIES = {
    "totals per category per month": """
        SELECT date_trunc('month', published_date) AS month, category, count(*) AS figures, sum(value) AS total
        FROM figures WHERE modality = 'asserted'
        GROUP BY ALL ORDER BY month, category""",
    "latest cumulative figure per party": """
        SELECT party, category, value, published_date, claimant
        FROM latest_figures ORDER BY party, category, claimant""",
    "daily totals of one month (daily_figures view)": """
        SELECT day, category, sum(total_value) AS total FROM daily_figures
        WHERE day >= DATE '2024-03-01' AND day < DATE '2024-04-01' GROUP BY ALL ORDER BY ALL""",
    "exchanges per month (exchanges view)": """
        SELECT date_trunc('month', published_date) AS month, category, sum(value) AS people
        FROM exchanges GROUP BY ALL ORDER BY ALL""",
}
BASELINE_QUERY = "SELECT count(*), sum(value) FROM figures"  # one pass over the view: the floor of any query


def _sql_list(values) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _part_sql(lo: int, hi: int) -> str:
    """Return a SELECT of rows lo..hi of the synthetic figures table, in FigureSchema's column order."""
    return f"""
    WITH r AS (SELECT i, hash(i) AS h, hash(i * 7919 + 13) AS g FROM range({lo}, {hi}) t(i))
    SELECT
        substr(md5(i::VARCHAR), 1, 16) AS figure_id,
        substr(md5((i // 12)::VARCHAR), 1, 16) AS article_id,
        DATE '2022-01-01' + ((i // 12) * 1096 // {max(hi, 1) // 12 + 1})::INTEGER AS published_date,
        {_sql_list(CATEGORIES)}[1 + (h % {len(CATEGORIES)})::INTEGER] AS category,
        (1 + g % 500)::BIGINT AS value,
        CASE WHEN h % 10 = 0 THEN (1 + g % 500)::BIGINT - 1 END AS value_low,
        CASE WHEN h % 10 = 0 THEN (1 + g % 500)::BIGINT + 5 END AS value_high,
        CASE WHEN h % 10 = 0 THEN 'range' WHEN h % 17 = 0 THEN 'vague'
             ELSE {_sql_list(QUALIFIERS[:6])}[1 + (g % 6)::INTEGER] END AS qualifier,
        CASE WHEN h % 10 <> 0 AND h % 17 = 0 THEN 'dozens' END AS vague_term,
        CASE WHEN g % 9 = 0 THEN NULL ELSE {_sql_list(PARTIES)}[1 + (g % {len(PARTIES)})::INTEGER] END AS party,
        CASE WHEN g % 3 = 0 THEN {_sql_list(PARTIES)}[1 + (h % {len(PARTIES)})::INTEGER] END AS actor,
        CASE WHEN h % 4 = 0 THEN NULL ELSE {_sql_list(CLAIMANTS)}[1 + (h % {len(CLAIMANTS)})::INTEGER] END AS claimant,
        CASE WHEN g % 2 = 0 THEN {_sql_list(PLACES)}[1 + (g % {len(PLACES)})::INTEGER] END AS location,
        CASE WHEN h % 20 = 0 THEN 'planned' WHEN h % 29 = 0 THEN 'hypothetical' ELSE 'asserted' END AS modality,
        (g % 5 = 0) AS cumulative,
        (1 + g % 500)::VARCHAR || ' people' AS text,
        (i % 3000)::BIGINT AS char_start,
        (i % 3000)::BIGINT + length((1 + g % 500)::VARCHAR || ' people') AS char_end,
        'Officials said ' || (1 + g % 500)::VARCHAR || ' people were affected in the fighting near '
            || {_sql_list(PLACES)}[1 + (h % {len(PLACES)})::INTEGER] || ' on ' || (i % 28 + 1)::VARCHAR || '.'
            AS sentence,
        'rule_' || (h % 40)::VARCHAR AS rule,
        CASE WHEN i % 12 = 0 THEN 'title' ELSE 'text' END AS field,
        (1 + h % 3)::BIGINT AS mentions,
        '{EXTRACTOR_VERSION}' AS extractor_version
    FROM r"""


def build_figures(warehouse: Path, rows: int) -> tuple[TableStore, float]:
    """Write `rows` synthetic figures as Parquet parts under warehouse/figures; return the table and seconds."""
    assert set(MODALITIES) >= {"asserted", "planned", "hypothetical"}
    table = TableStore(warehouse, "figures", arrow_schema(TABLE_MODELS["figures"]))
    start = time.perf_counter()
    table.ensure()
    columns = table.schema.names
    with duckdb.connect() as con:
        for number, lo in enumerate(range(0, rows, ROWS_PER_PART)):
            hi = min(rows, lo + ROWS_PER_PART)
            path = table.dir / f"part-{number:05d}.parquet"
            if path.exists():
                continue
            tmp = table.dir / f".{path.name}.tmp"
            con.execute(
                f"COPY (SELECT {', '.join(columns)} FROM ({_part_sql(lo, hi)})) TO '{tmp}' "
                "(FORMAT parquet, COMPRESSION zstd)"
            )
            tmp.replace(path)
    return table, time.perf_counter() - start


def _time(con: duckdb.DuckDBPyConnection, sql: str, repeat: int) -> dict:
    times = []
    rows = 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = len(con.execute(sql).fetchall())
        times.append(time.perf_counter() - start)
    return {"first": times[0], "median": statistics.median(times), "max": max(times), "rows": rows}


def run_duckdb_bench(folder: Path, rows: int, repeat: int = 3) -> dict:
    """Build (or reuse) the synthetic table under `folder`, publish the views, and time each query."""
    warehouse = folder / "warehouse"
    figures, build_seconds = build_figures(warehouse, rows)
    tables = {name: TableStore(warehouse, name, arrow_schema(model)) for name, model in TABLE_MODELS.items()}
    db = folder / "tally.duckdb"
    publish_views(db, tables, EXTRACTOR_VERSION)
    with duckdb.connect(str(db), read_only=True) as con:
        counted = con.execute("SELECT count(*) FROM figures").fetchone()[0]
        baseline = _time(con, BASELINE_QUERY, repeat)
        queries = {name: _time(con, sql, repeat) for name, sql in QUERIES.items()}
    return {
        "rows": counted,
        "parts": len(figures.parts()) - 1,
        "bytes": sum(p.stat().st_size for p in figures.parts()),
        "build_seconds": build_seconds,
        "baseline": baseline,
        "queries": queries,
    }
