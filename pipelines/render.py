"""Print data frames for people (rich tables) or for programs (CSV, JSON, JSON Lines)."""

from __future__ import annotations

import json
import sys
from typing import TextIO

import pandas as pd
from rich.console import Console
from rich.table import Table

FORMATS = ("table", "csv", "json", "jsonl")


def _jsonable(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def records(df: pd.DataFrame) -> list[dict]:
    """Return the rows of `df` as JSON-ready dicts (NA as None, numpy scalars as Python, dates as ISO strings)."""
    return [{k: _jsonable(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def render(df: pd.DataFrame, fmt: str, out: TextIO | None = None, title: str | None = None) -> None:
    """Write `df` to `out` (stdout) as a table, CSV, a JSON array or JSON Lines."""
    out = out or sys.stdout
    if fmt == "csv":
        df.to_csv(out, index=False)
    elif fmt == "json":
        json.dump(records(df), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        for row in records(df):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "table":
        table = Table(title=title, show_lines=False)
        for column in df.columns:
            table.add_column(str(column), overflow="fold")
        for row in records(df):
            table.add_row(*("" if v is None else str(v) for v in row.values()))
        Console(file=out, width=max(120, Console().width)).print(table)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
