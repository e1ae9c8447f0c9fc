"""Small renderers for the metadata Dagster shows beside each materialization."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import dagster as dg
import pandas as pd

from assets.storage import duckdb_connect

MAX_CELL = 120
EXCERPT_WIDTH = 110  # characters of sentence shown around a figure's evidence span
NEWEST_COLUMNS = ["published_date", "category", "value", "qualifier", "party", "text", "sentence", "rule"]


def markdown_table(df: pd.DataFrame) -> str:
    """Return `df` as a markdown table with cells cut to MAX_CELL characters, or a line saying it is empty."""
    if df.empty:
        return "_no rows_"
    header = "| " + " | ".join(map(str, df.columns)) + " |"
    rule = "|" + "---|" * len(df.columns)
    body = [
        "| " + " | ".join(_cell(v) for v in row) + " |"
        for row in df.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body])


def _cell(value: object) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")[:MAX_CELL]


def table_spec(name: str, model, group: str, description: str, deps: tuple[str, ...] = ()) -> dg.AssetSpec:
    """Return the AssetSpec of a warehouse table: its group, description, owners, kinds and column schema."""
    return dg.AssetSpec(
        name,
        metadata={"dagster/column_schema": column_schema(model)},
        group_name=group,
        deps=list(deps),
        description=description,
        kinds={"python", "parquet"},
        owners=["team:tally"],
    )


def column_schema(model) -> dg.TableSchema:
    """Return the Dagster column schema of a pandera DataFrameModel, for the asset's `dagster/column_schema`.

    Column checks read as short rules (">= 0", "one of: a, b"); the model's row-level checks are table constraints.
    """
    schema = model.to_schema()
    columns = []
    for name, column in schema.columns.items():
        constraints = dg.TableColumnConstraints(
            nullable=column.nullable,
            unique=column.unique,
            other=[check_text(check) for check in column.checks],
        )
        columns.append(dg.TableColumn(name, str(column.dtype), description=column.description,
                                      constraints=constraints))
    table_checks = [check_text(check) for check in schema.checks]
    return dg.TableSchema(columns=columns, constraints=dg.TableConstraints(other=table_checks))


def check_text(check) -> str:
    """Return a pandera check as a short rule a reader of the UI understands, e.g. ">= 0" or "matches ^x$"."""
    stats = check.statistics or {}
    name = check.name
    if name == "greater_than_or_equal_to":
        return f">= {stats['min_value']}"
    if name == "greater_than":
        return f"> {stats['min_value']}"
    if name == "less_than_or_equal_to":
        return f"<= {stats['max_value']}"
    if name == "isin":
        return "one of: " + ", ".join(map(str, stats["allowed_values"]))
    if name == "str_matches":
        return f"matches {stats['pattern']}"
    if name == "str_length":
        low, high = stats.get("min_value"), stats.get("max_value")
        return f"length {low or 0}..{high}" if high is not None else f"length >= {low or 0}"
    return str(check.error or name)


def newest_figures(parts: Sequence[Path], version: str, limit: int = 10) -> pd.DataFrame:
    """Return the `limit` newest figures of extractor `version` by published date (undated last), NEWEST_COLUMNS.

    DuckDB keeps only the top rows while it scans, so this stays cheap however many figures are stored.
    """
    if not parts:
        return pd.DataFrame(columns=NEWEST_COLUMNS)
    sql = f"""
        SELECT {", ".join(NEWEST_COLUMNS)} FROM read_parquet($parts, union_by_name = true)
        WHERE extractor_version = $version
        ORDER BY published_date DESC NULLS LAST, article_id, char_start
        LIMIT {int(limit)}
    """
    with duckdb_connect(parts[:1]) as con:
        return con.execute(sql, {"parts": [str(p) for p in parts], "version": version}).df()


def excerpt(sentence: str, span: str, width: int = EXCERPT_WIDTH) -> str:
    """Return up to `width` characters of `sentence` around `span`, the span in bold, cuts marked with '…'."""
    sentence = re.sub(r"\s+", " ", str(sentence)).strip()
    span = re.sub(r"\s+", " ", str(span)).strip()
    at = sentence.find(span) if span else -1
    if at < 0:
        return _escape(sentence[:width] + ("…" if len(sentence) > width else ""))
    room = max(0, width - len(span))
    start = max(0, min(at - room // 2, len(sentence) - len(span) - room))
    end = min(len(sentence), start + len(span) + room)
    before, after = sentence[start:at], sentence[at + len(span) : end]
    return (
        ("…" if start > 0 else "") + _escape(before) + f"**{_escape(span)}**" + _escape(after)
        + ("…" if end < len(sentence) else "")
    )


def evidence_table(figures: pd.DataFrame) -> str:
    """Return markdown of `figures` (NEWEST_COLUMNS) with each figure's evidence: span, sentence excerpt, rule."""
    if figures.empty:
        return "_no figures yet_"
    header = "| published | category | value | qualifier | party | evidence | rule |"
    rule = "|---|---|---:|---|---|---|---|"
    body = [
        "| " + " | ".join([
            _cell(_date(row.published_date)), _cell(row.category), _cell(row.value), _cell(row.qualifier),
            _cell(row.party), excerpt(row.sentence, row.text), f"`{_cell(row.rule)}`",
        ]) + " |"
        for row in figures.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body])


def failure_sample(failures: pd.DataFrame, limit: int = 10) -> dg.MetadataValue:
    """Return markdown of the first `limit` rows of `failures`, a frame of contract failures, all its columns."""
    return dg.MetadataValue.md(markdown_table(failures.head(limit)))


def _date(value: object) -> str:
    return "undated" if value is None or pd.isna(value) else str(pd.Timestamp(value).date())


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
