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
    """Return model.validate(df, **kwargs): the frame validated and coerced, with no reference cycle left on it.

    pandas caches an accessor on the object it serves, and the accessor refers back to that object: pandera's
    schema accessor on the frame, and the `.str` accessor on each column its string checks (str_matches,
    str_length) read, which the frame keeps in its column cache. Such a column is a view of the frame's block of
    object columns, article texts included. A cycle outlives its last use until a full garbage collection, which
    a long run seldom reaches: every validated batch stayed in memory, and a backlog run grew with its size.
    """
    try:
        out = model.validate(df, **kwargs)
    except (pa.errors.SchemaError, pa.errors.SchemaErrors) as exc:
        if isinstance(exc.data, pd.DataFrame):  # the coerced copy the checks read
            _drop_accessors(exc.data)
        raise
    finally:
        _drop_accessors(df)
    _drop_accessors(out)
    return out


def _drop_accessors(frame: pd.DataFrame) -> None:
    """Drop the accessors cached on `frame` and on the columns it caches (pandas 2's item cache), and that cache."""
    frame.__dict__.pop("pandera", None)
    columns = frame.__dict__.get("_item_cache")
    if columns:
        for column in columns.values():
            for accessor in ("str", "dt", "cat"):
                column.__dict__.pop(accessor, None)
        columns.clear()


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
