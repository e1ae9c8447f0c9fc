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

    article_id: Series[str] = pa.Field(
        unique=True, str_matches=HEX16, description="first 16 hex digits of content_sha256"
    )
    source: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="the configured source (or the JSON Lines 'source') it came from"
    )
    source_id: Series[str] = pa.Field(nullable=True, description="the input's own id (seed header ID, JSON Lines id)")
    location: Series[str] = pa.Field(
        str_length={"min_value": 1},
        description="where it was read: file path (with :line for JSON Lines), feed entry or URL",
    )
    url: Series[str] = pa.Field(nullable=True, description="the article's web address, when known")
    published_date: Series[pandas_engine.Date] = pa.Field(
        nullable=True, description="publication date, when known and valid"
    )
    date_status: Series[str] = pa.Field(
        isin=DATE_STATUSES, description="ok, missing or invalid (undated articles are kept)"
    )
    title: Series[str] = pa.Field(nullable=True, description="headline")
    text: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="body text as stored; figure offsets index it"
    )
    content_sha256: Series[str] = pa.Field(
        unique=True,
        str_matches=HEX64,
        description="sha256 of the normalised title and text: the same article twice is one row",
    )
    ingested_at: Series[pd.DatetimeTZDtype(tz="UTC")] = pa.Field(description="when this run stored it")

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
