"""Contracts of the `articles` and `article_rejects` tables."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

HEX16 = r"^[0-9a-f]{16}$"
HEX64 = r"^[0-9a-f]{64}$"
DATE_STATUSES = ["ok", "missing", "invalid"]


class ArticleSchema(pa.DataFrameModel):
    """One row per distinct article: identity is the hash of its normalised title and text."""

    article_id: Series[str] = pa.Field(unique=True, str_matches=HEX16)
    source: Series[str] = pa.Field(str_length={"min_value": 1})
    source_id: Series[str] = pa.Field(nullable=True)
    location: Series[str] = pa.Field(str_length={"min_value": 1})
    url: Series[str] = pa.Field(nullable=True)
    published_date: Series[pandas_engine.Date] = pa.Field(nullable=True)
    date_status: Series[str] = pa.Field(isin=DATE_STATUSES)
    title: Series[str] = pa.Field(nullable=True)
    text: Series[str] = pa.Field(str_length={"min_value": 1})
    content_sha256: Series[str] = pa.Field(unique=True, str_matches=HEX64)
    ingested_at: Series[pd.DatetimeTZDtype(tz="UTC")] = pa.Field()

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="a date_status of 'ok' needs a published_date")
    def ok_dates_are_set(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["date_status"] != "ok") | df["published_date"].notna()


class ArticleRejectSchema(pa.DataFrameModel):
    """One row per input that could not become an article, with the reason and where its raw bytes are."""

    reject_id: Series[str] = pa.Field(unique=True, str_matches=HEX16)
    source: Series[str] = pa.Field(str_length={"min_value": 1})
    location: Series[str] = pa.Field(str_length={"min_value": 1})
    reason: Series[str] = pa.Field(str_length={"min_value": 1})
    detail: Series[str] = pa.Field()
    size_bytes: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    raw_sha256: Series[str] = pa.Field(nullable=True)
    rejected_at: Series[pd.DatetimeTZDtype(tz="UTC")] = pa.Field()

    class Config:
        strict = True
        coerce = True
