"""Contract of the `claims` table: figures of different articles that state the same thing, grouped (docs/CLAIMS.md)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from extractors import CATEGORIES, MODALITIES, QUALIFIERS
from schemas.articles import HEX16

FIGURE_IDS = r"^[0-9a-f]{16}( [0-9a-f]{16})*$"  # space-separated figure_ids; the `claims` view splits them


class ClaimSchema(pa.DataFrameModel):
    """One row per claim: a (category, value, party, modality) stated by compatible claimants within a window."""

    claim_id: Series[str] = pa.Field(unique=True, str_matches=HEX16)
    category: Series[str] = pa.Field(isin=list(CATEGORIES))
    value: Series[pd.Int64Dtype] = pa.Field(ge=0)
    qualifier: Series[str] = pa.Field(isin=list(QUALIFIERS))
    party: Series[str] = pa.Field(nullable=True)
    party_key: Series[str] = pa.Field(nullable=True)
    claimant: Series[str] = pa.Field(nullable=True)
    claimant_key: Series[str] = pa.Field(nullable=True)
    claimant_side: Series[str] = pa.Field(nullable=True)
    modality: Series[str] = pa.Field(isin=list(MODALITIES))
    cumulative: Series[bool] = pa.Field()
    first_reported: Series[pandas_engine.Date] = pa.Field(nullable=True)
    last_reported: Series[pandas_engine.Date] = pa.Field(nullable=True)
    n_figures: Series[pd.Int64Dtype] = pa.Field(ge=1)
    n_articles: Series[pd.Int64Dtype] = pa.Field(ge=1)
    n_sources: Series[pd.Int64Dtype] = pa.Field(ge=1)
    sources: Series[str] = pa.Field(str_length={"min_value": 1})
    figure_ids: Series[str] = pa.Field(str_matches=FIGURE_IDS)
    evidence_figure_id: Series[str] = pa.Field(str_matches=HEX16)
    evidence_article_id: Series[str] = pa.Field(str_matches=HEX16)
    evidence_text: Series[str] = pa.Field(str_length={"min_value": 1})
    evidence_sentence: Series[str] = pa.Field(str_length={"min_value": 1})
    window_days: Series[pd.Int64Dtype] = pa.Field(ge=0)
    extractor_version: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(error="first_reported <= last_reported, both set or both empty")
    def reported_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        first, last = df["first_reported"], df["last_reported"]
        both_empty = first.isna() & last.isna()
        ordered = first.notna() & last.notna() & (first <= last)
        return (both_empty | ordered).astype(bool)

    @pa.dataframe_check(error="n_sources <= n_articles <= n_figures, and n_figures counts figure_ids")
    def counts_agree(cls, df: pd.DataFrame) -> Series[bool]:
        listed = df["figure_ids"].str.count(" ") + 1
        return ((df["n_sources"] <= df["n_articles"]) & (df["n_articles"] <= df["n_figures"])
                & (df["n_figures"] == listed)).astype(bool)

    @pa.dataframe_check(error="the earliest evidence is a member of the claim")
    def evidence_is_a_member(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series(
            [fid in ids.split(" ") for fid, ids in zip(df["evidence_figure_id"], df["figure_ids"], strict=True)],
            index=df.index,
        )
