"""Contracts of the `figures` and `figure_rejects` tables (fields as in FIGURES.md)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from extractors import CATEGORIES, MODALITIES, QUALIFIERS
from schemas.articles import HEX16

VAGUE_QUALIFIERS_NEED_TERM = "vague"


class FigureSchema(pa.DataFrameModel):
    """One row per figure of an article: a number of people of one category, with its evidence."""

    figure_id: Series[str] = pa.Field(
        unique=True, str_matches=HEX16, description="stable id: hash of article_id, category and value"
    )
    article_id: Series[str] = pa.Field(
        str_matches=HEX16, description="the article stating the figure (articles.article_id)"
    )
    published_date: Series[pandas_engine.Date] = pa.Field(nullable=True, description="the article's publication date")
    category: Series[str] = pa.Field(isin=list(CATEGORIES), description="what is counted (FIGURES.md categories)")
    value: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="the number a sum uses; for vague words the lower bound of their literal meaning"
    )
    value_low: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, description="lower bound the text gives (over, at least, ranges, vague words)"
    )
    value_high: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, description="upper bound the text gives (up to, nearly, ranges, vague words)"
    )
    qualifier: Series[str] = pa.Field(
        isin=list(QUALIFIERS),
        description="how the number is stated: exact, approximate, more_than, at_least, at_most, nearly, range, vague",
    )
    vague_term: Series[str] = pa.Field(
        nullable=True, description="the vague word (dozens, hundreds, several ...) when qualifier is vague"
    )
    party: Series[str] = pa.Field(nullable=True, description="whose people are counted")
    actor: Series[str] = pa.Field(nullable=True, description="who does the action (sends, returns, captures, kills)")
    claimant: Series[str] = pa.Field(nullable=True, description="who states the figure, where the article says so")
    location: Series[str] = pa.Field(nullable=True, description="where, when the same sentence says so")
    modality: Series[str] = pa.Field(isin=list(MODALITIES), description="asserted, planned or hypothetical")
    cumulative: Series[bool] = pa.Field(description="a running total rather than one event")
    text: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="the exact span stating the number and what it counts"
    )
    char_start: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="offset of the span in the article's text (or title when field = title)"
    )
    char_end: Series[pd.Int64Dtype] = pa.Field(ge=1, description="end offset of the span")
    sentence: Series[str] = pa.Field(str_length={"min_value": 1}, description="the sentence the span stands in")
    rule: Series[str] = pa.Field(str_length={"min_value": 1}, description="the extractor rule that produced the figure")
    field: Series[str] = pa.Field(
        isin=["text", "title"], description="text or title: which part of the article the offsets index"
    )
    mentions: Series[pd.Int64Dtype] = pa.Field(ge=1, description="how often the article states this (category, value)")
    extractor_version: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="the rule engine and lexicon version that produced the row"
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="value_low <= value <= value_high where the bounds are set")
    def bounds_hold(cls, df: pd.DataFrame) -> Series[bool]:
        low_ok = df["value_low"].isna() | (df["value_low"] <= df["value"])
        high_ok = df["value_high"].isna() | (df["value"] <= df["value_high"])
        return (low_ok & high_ok).astype(bool)

    @pa.dataframe_check(error="char_end - char_start equals the length of text")
    def span_matches_text(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["char_end"] - df["char_start"]) == df["text"].str.len()

    @pa.dataframe_check(error="a vague qualifier names its vague_term, and only it does")
    def vague_term_iff_vague(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["qualifier"] == VAGUE_QUALIFIERS_NEED_TERM) == df["vague_term"].notna()


class FigureRejectSchema(pa.DataFrameModel):
    """One row per figure that failed the contract: the row as JSON, and the check it failed."""

    figure_id: Series[str] = pa.Field(nullable=True)
    article_id: Series[str] = pa.Field(nullable=True)
    column: Series[str] = pa.Field(nullable=True)
    check: Series[str] = pa.Field(str_length={"min_value": 1})
    failure_case: Series[str] = pa.Field(nullable=True)
    row_json: Series[str] = pa.Field()
    extractor_version: Series[str] = pa.Field()
    rejected_at: Series[pd.DatetimeTZDtype(tz="UTC")] = pa.Field()

    class Config:
        strict = True
        coerce = True


class ExtractionSchema(pa.DataFrameModel):
    """One row per article run through one extractor version: the processed-set that makes extraction incremental."""

    article_id: Series[str] = pa.Field(str_matches=HEX16)
    extractor_version: Series[str] = pa.Field(str_length={"min_value": 1})
    figures: Series[pd.Int64Dtype] = pa.Field(ge=0)
    rejects: Series[pd.Int64Dtype] = pa.Field(ge=0)
    extracted_at: Series[pd.DatetimeTZDtype(tz="UTC")] = pa.Field()

    class Config:
        strict = True
        coerce = True
