"""Read-only SQL over data/tally.duckdb: only SELECT-like statements, and no file access outside data/."""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from assets.storage import Location, url_of
from assets.views import open_views

ALLOWED_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
# EXPLAIN, its options and ANALYZE: what is left is the statement explained (which EXPLAIN ANALYZE runs).
_EXPLAIN_PREFIX = re.compile(r"(?is)\A\s*explain\b\s*(?:\([^()]*\)\s*)?(?:analy[sz]e\b\s*)?")


class QueryRefused(ValueError):
    """A statement that would change the warehouse, write files or reach outside the data folder."""


def check_read_only(sql: str) -> None:
    """Raise QueryRefused unless every statement in `sql` only reads (SELECT, WITH, DESCRIBE, SHOW, EXPLAIN)."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"could not parse the query: {exc}") from exc
    if not statements:
        raise QueryRefused("no SQL statement given")
    for statement in statements:
        if statement.type not in ALLOWED_STATEMENTS:
            kind = statement.type.name
            raise QueryRefused(
                f"refused: {kind} statements are not allowed; `tally query` only reads the warehouse "
                f"(SELECT, WITH, DESCRIBE, SHOW, EXPLAIN)"
            )
        if statement.type == duckdb.StatementType.EXPLAIN:
            # EXPLAIN ANALYZE runs the statement it explains (EXPLAIN ANALYZE COPY ... TO wrote files), so the
            # explained statement must pass the same check; one that cannot be told apart is refused.
            inner = _EXPLAIN_PREFIX.sub("", statement.query, count=1)
            if inner == statement.query:
                raise QueryRefused("refused: could not tell which statement this EXPLAIN explains")
            check_read_only(inner)


def connect_read_only(db_path: Location, data_root: Location) -> duckdb.DuckDBPyConnection:
    """Return a read-only connection that can read files under `data_root` only, its settings locked.

    On object storage (`data_root` an fsspec URL such as s3://bucket/tally) the small views file is fetched to a
    local temporary file first, and the parts are read through the root's fsspec filesystem, registered with
    DuckDB (no httpfs extension, the same credentials as the pipeline).
    """
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path} does not exist yet: run `tally run` (or `make run`) first")
    con = open_views(db_path, data_root)
    root = url_of(data_root).rstrip("/") + "/"
    con.execute(f"SET allowed_directories = ['{root.replace(chr(39), chr(39) * 2)}']")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def run_query(sql: str, db_path: Location, data_root: Location) -> pd.DataFrame:
    """Return the result of the last statement of `sql`, run read-only against the views file.

    Values keep DuckDB's Python types (int, date, None), so a SUM stays an integer and a date stays a date.
    """
    check_read_only(sql)
    with connect_read_only(db_path, data_root) as con:
        try:
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=names, dtype=object)
        except duckdb.PermissionException as exc:
            raise QueryRefused(f"refused: {exc}") from exc
