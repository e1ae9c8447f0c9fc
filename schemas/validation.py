"""Lazy validation that splits a frame into rows that meet a contract and the failures of those that don't."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa


@dataclass(frozen=True)
class Validated:
    """The rows that passed (validated and coerced), and one failure row per failed check of the others."""

    valid: pd.DataFrame
    failures: pd.DataFrame  # columns: index, column, check, failure_case
    rejected_index: pd.Index


def validated(model: type[pa.DataFrameModel], df: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Return model.validate(df, **kwargs): the frame validated and coerced, without the schema pandera caches on it.

    pandera keeps the schema in a pandas accessor cached on the frame, and the accessor refers back to the
    frame. That cycle outlives the frame's last use until a full garbage collection, which a long run seldom
    reaches: every validated batch, its article texts included, stayed in memory, and a backlog run grew with
    its size.
    """
    out = model.validate(df, **kwargs)
    out.__dict__.pop("pandera", None)
    return out


def validate_rows(model: type[pa.DataFrameModel], df: pd.DataFrame) -> Validated:
    """Return the rows of `df` that satisfy `model` and the failure cases of the rows that do not.

    A failure that names no row (a missing column, say) is a bug in the producer, not bad data:
    it is raised rather than turned into rejects.
    """
    df = df.reset_index(drop=True)
    try:
        return Validated(validated(model, df, lazy=True), _no_failures(), pd.Index([]))
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    rowless = cases[cases["index"].isna()]
    if not rowless.empty:
        raise ValueError(f"{model.__name__}: failures not tied to rows:\n{rowless.to_string()}")
    cases = cases.assign(index=cases["index"].astype(int))
    bad = pd.Index(sorted(set(cases["index"])))
    valid = validated(model, df.drop(index=bad), lazy=True) if len(bad) < len(df) else validated(model, df.iloc[:0])
    failures = pd.DataFrame(
        {
            "index": cases["index"].to_numpy(),
            "column": cases["column"].astype("string").to_numpy(),
            "check": cases["check"].astype(str).to_numpy(),
            "failure_case": cases["failure_case"].astype(str).to_numpy(),
        }
    )
    return Validated(valid.reset_index(drop=True), failures, bad)


def _no_failures() -> pd.DataFrame:
    return pd.DataFrame({"index": [], "column": [], "check": [], "failure_case": []})
