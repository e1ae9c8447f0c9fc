"""Read-only SQL over data/tally.duckdb: only SELECT-like statements, and no file access outside data/."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

ALLOWED_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


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


def connect_read_only(db_path: Path, data_root: Path) -> duckdb.DuckDBPyConnection:
    """Return a read-only connection that can read files under `data_root` only, its settings locked."""
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path} does not exist yet: run `tally run` (or `make run`) first")
    con = duckdb.connect(str(db_path), read_only=True)
    root = str(data_root.resolve()).rstrip("/") + "/"
    con.execute(f"SET allowed_directories = ['{root.replace(chr(39), chr(39) * 2)}']")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def run_query(sql: str, db_path: Path, data_root: Path) -> pd.DataFrame:
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
