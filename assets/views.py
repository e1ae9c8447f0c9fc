"""The DuckDB file analysts query: views over the Parquet warehouse, rebuilt whole and swapped in atomically.

The file holds views only, so it is small, readers never wait on a writer, and a reader that has the old file
open keeps a consistent picture while a new one replaces it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb

from assets.storage import Location, TableStore, download_file, is_remote, register_filesystems, upload_file

ANALYTIC_VIEWS = {
    # The newest date per (category, party, claimant) first, over a few narrow columns; then only the rows of that
    # date are read whole and ranked by value. Same rows as ranking every cumulative row by (date desc nulls last,
    # value desc), but ~5x faster at 10 million figures (bench/README.md), since the wide columns of the other
    # cumulative rows are never sorted.
    "latest_figures": """
        SELECT f.* FROM figures f
        JOIN (SELECT category, coalesce(party, '') AS p, coalesce(claimant, '') AS c, max(published_date) AS d
              FROM figures WHERE cumulative GROUP BY ALL) newest
          ON f.category = newest.category AND coalesce(f.party, '') = newest.p
         AND coalesce(f.claimant, '') = newest.c AND f.published_date IS NOT DISTINCT FROM newest.d
        WHERE f.cumulative
        QUALIFY row_number() OVER (PARTITION BY f.category, newest.p, newest.c ORDER BY f.value DESC) = 1
    """,
    "exchanges": """
        SELECT published_date, category, value, value_low, value_high, qualifier,
               party AS returned_to, actor AS returned_by, claimant, modality, article_id, figure_id, text
        FROM figures
        WHERE category IN ('prisoners_exchanged', 'remains_exchanged')
    """,
    "daily_figures": """
        SELECT published_date AS day, category, party, count(*) AS figures, sum(value) AS total_value,
               count(DISTINCT article_id) AS articles
        FROM figures
        WHERE modality = 'asserted'
        GROUP BY ALL
    """,
    # Claims (docs/CLAIMS.md): the same category, party and modality stated with different values by claimants
    # that assets.claims.compatible keeps apart, within the claims' date window of each other. One row per pair.
    "disputes": """
        WITH c AS (
            SELECT * FROM claims
            WHERE modality <> 'hypothetical' AND party_key IS NOT NULL AND claimant_key IS NOT NULL
              AND first_reported IS NOT NULL)
        SELECT a.category, a.party, a.modality, a.cumulative,
               least(a.first_reported, b.first_reported) AS period_start,
               greatest(a.last_reported, b.last_reported) AS period_end,
               a.claimant AS claimant_a, a.value AS value_a, a.qualifier AS qualifier_a,
               a.first_reported AS first_reported_a, a.n_articles AS n_articles_a, a.evidence_text AS evidence_a,
               b.claimant AS claimant_b, b.value AS value_b, b.qualifier AS qualifier_b,
               b.first_reported AS first_reported_b, b.n_articles AS n_articles_b, b.evidence_text AS evidence_b,
               b.value - a.value AS difference, a.claim_id AS claim_id_a, b.claim_id AS claim_id_b
        FROM c a JOIN c b
          ON a.category = b.category AND a.party_key = b.party_key AND a.modality = b.modality
         AND a.cumulative = b.cumulative AND a.value <> b.value
         AND a.claimant_key < b.claimant_key
         AND NOT list_has_all(string_split(a.claimant_key, ' '), string_split(b.claimant_key, ' '))
         AND NOT list_has_all(string_split(b.claimant_key, ' '), string_split(a.claimant_key, ' '))
         AND (a.claimant_side IS NULL OR b.claimant_side IS NULL OR a.claimant_side <> b.claimant_side)
         AND a.first_reported <= b.last_reported + CAST(a.window_days AS INTEGER)
         AND b.first_reported <= a.last_reported + CAST(a.window_days AS INTEGER)
    """,
    # One point per claim of a cumulative figure, so forty articles repeating a total make one step, not forty.
    "running_totals": """
        SELECT category, party, claimant, first_reported AS reported, value,
               lag(value) OVER w AS previous_value,
               value - lag(value) OVER w AS change,
               coalesce(value < lag(value) OVER w, false) AS went_down,
               n_articles, n_sources, claim_id, evidence_text
        FROM claims
        WHERE cumulative AND modality = 'asserted' AND first_reported IS NOT NULL
          AND (party_key IS NOT NULL OR claimant_key IS NOT NULL)  -- whose and who-says both unknown: no series
        WINDOW w AS (PARTITION BY category, party_key, claimant_key ORDER BY first_reported, value, claim_id)
    """,
}
# Columns that a table's view presents differently from its Parquet parts.
VIEW_COLUMNS = {"claims": "* REPLACE (string_split(figure_ids, ' ') AS figure_ids)"}


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def view_statements(tables: dict[str, TableStore], extractor_version: str) -> list[str]:
    """Return the CREATE VIEW statements over the tables' Parquet parts (absolute paths) and the analytic views."""
    statements = []
    for name, table in tables.items():
        if name == "extractions":
            continue
        source = f"read_parquet({_sql_string(table.glob())}, union_by_name = true)"
        where = ""
        if name in {"figures", "figure_rejects", "claims"}:
            where = f" WHERE extractor_version = {_sql_string(extractor_version)}"
        columns = VIEW_COLUMNS.get(name, "*")
        statements.append(f"CREATE OR REPLACE VIEW {name} AS SELECT {columns} FROM {source}{where}")
    for name, body in ANALYTIC_VIEWS.items():
        statements.append(f"CREATE OR REPLACE VIEW {name} AS {body.strip()}")
    return statements


def publish_views(db_path: Location, tables: dict[str, TableStore], extractor_version: str) -> list[str]:
    """Write a fresh DuckDB file of views at `db_path` (built aside, then renamed over); return the view names.

    On object storage the file is built in a local temporary folder and uploaded in one PUT; its views name the
    parts by their URLs (s3://...), which DuckDB reads through a registered fsspec filesystem (`connect_views`)
    or its httpfs extension.
    """
    for table in tables.values():
        table.ensure()
    if is_remote(db_path):
        with tempfile.TemporaryDirectory(prefix="tally-views-") as folder:
            local = Path(folder) / db_path.name
            names = _build_views(local, tables, extractor_version)
            upload_file(local, db_path)
        return names
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=db_path.parent, prefix=f".{db_path.name}.", suffix=".tmp")
    os.close(fd)
    os.unlink(tmp)  # DuckDB creates the file itself
    try:
        names = _build_views(Path(tmp), tables, extractor_version)
        os.replace(tmp, db_path)
    finally:
        Path(tmp).unlink(missing_ok=True)
        Path(tmp + ".wal").unlink(missing_ok=True)
    return names


def _build_views(path: Path, tables: dict[str, TableStore], extractor_version: str) -> list[str]:
    with duckdb.connect(str(path)) as con:
        register_filesystems(con, [table.dir for table in tables.values()])
        for statement in view_statements(tables, extractor_version):
            con.execute(statement)
        names = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
        con.execute("CHECKPOINT")
    return sorted(names)


def open_views(db_path: Location, data_root: Location | None = None) -> duckdb.DuckDBPyConnection:
    """Return a read-only connection to the views file. A remote file is fetched to a local temporary copy first
    (a read-only database is read at open, so the copy goes as soon as it is open), and the connection reads the
    parts under `data_root` (default: the file's folder) through its fsspec filesystem."""
    if not is_remote(db_path):
        return duckdb.connect(str(db_path), read_only=True)
    with tempfile.TemporaryDirectory(prefix="tally-views-") as folder:
        local = Path(folder) / db_path.name
        download_file(db_path, local)
        con = duckdb.connect(str(local), read_only=True)
    register_filesystems(con, [data_root if data_root is not None else db_path.parent])
    return con


@contextlib.contextmanager
def connect_views(db_path: Location, data_root: Location | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the views file read-only for the block (see open_views)."""
    with open_views(db_path, data_root) as con:
        yield con
