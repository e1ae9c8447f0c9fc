"""Small renderers for the metadata Dagster shows beside each materialization."""

from __future__ import annotations

import dagster as dg
import pandas as pd

MAX_CELL = 120


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


def column_schema(model) -> dg.TableSchema:
    """Return the Dagster column schema of a pandera DataFrameModel, for the asset's `dagster/column_schema`."""
    schema = model.to_schema()
    columns = []
    for name, column in schema.columns.items():
        constraints = dg.TableColumnConstraints(
            nullable=column.nullable,
            unique=column.unique,
            other=[str(check) for check in column.checks],
        )
        columns.append(dg.TableColumn(name, str(column.dtype), description=column.description,
                                      constraints=constraints))
    return dg.TableSchema(columns=columns)
