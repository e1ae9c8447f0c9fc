"""Stage `extract`: run the rule engine over the articles not yet read by this extractor version."""


import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import dagster as dg
import pandas as pd
import pyarrow.compute as pc

from assets.metadata import column_schema, markdown_table
from assets.resources import TallyStore
from extractors import EXTRACTOR_VERSION, extract_figures
from schemas import ExtractionSchema, FigureRejectSchema, FigureSchema, validate_rows

GROUP = "extract"
CHECK_FIGURES_CONTRACT = "figures_contract"
CHECK_NO_FIGURE_REJECTS = "no_figure_rejects"
PREVIEW_COLUMNS = ["category", "value", "qualifier", "party", "text", "rule"]


def figure_id(article_id: str, category: str, value: int) -> str:
    """Return the stable id of a figure: an article states a (category, value) once (FIGURES.md)."""
    return hashlib.sha256(f"{article_id}\x1f{category}\x1f{value}".encode()).hexdigest()[:16]


def figure_rows(article_id: str, published_date, title: str | None, text: str, version: str) -> list[dict]:
    """Return the figures of one article as table rows (FIGURES.md fields plus ids and version)."""
    rows = []
    for fig in extract_figures(text, title):
        row = fig.to_dict()
        row["figure_id"] = figure_id(article_id, fig.category, fig.value)
        row["article_id"] = article_id
        row["published_date"] = published_date
        row["extractor_version"] = version
        rows.append(row)
    return rows


@dataclass
class ExtractBatch:
    """What one extraction run adds: figures that meet the contract, rejects, and the processed-set rows."""

    figures: pd.DataFrame
    rejects: pd.DataFrame
    extractions: pd.DataFrame


def plan_extract(articles: pd.DataFrame, version: str, now: datetime) -> ExtractBatch:
    """Return the figures of `articles` split by the FigureSchema contract, and one processed row per article."""
    rows: list[dict] = []
    for art in articles.itertuples(index=False):
        rows.extend(figure_rows(art.article_id, art.published_date, art.title, art.text, version))
    figures = pd.DataFrame(rows, columns=list(FigureSchema.to_schema().columns))
    checked = validate_rows(FigureSchema, figures)
    reject_rows = []
    for case in checked.failures.itertuples(index=False):
        row = figures.loc[case.index]
        reject_rows.append(
            {
                "figure_id": row["figure_id"],
                "article_id": row["article_id"],
                "column": case.column,
                "check": case.check,
                "failure_case": case.failure_case,
                "row_json": json.dumps(row.to_dict(), default=str, ensure_ascii=False),
                "extractor_version": version,
                "rejected_at": now,
            }
        )
    rejects = FigureRejectSchema.validate(
        pd.DataFrame(reject_rows, columns=list(FigureRejectSchema.to_schema().columns))
    )
    good_per_article = checked.valid["article_id"].value_counts()
    bad_per_article = figures.loc[checked.rejected_index, "article_id"].value_counts()
    ids = articles["article_id"]
    extractions = ExtractionSchema.validate(
        pd.DataFrame(
            {
                "article_id": ids,
                "extractor_version": version,
                "figures": ids.map(good_per_article).fillna(0).astype("int64"),
                "rejects": ids.map(bad_per_article).fillna(0).astype("int64"),
                "extracted_at": now,
            }
        )
    )
    return ExtractBatch(checked.valid, rejects, extractions)


def pending_articles(store: TallyStore, version: str) -> pd.DataFrame:
    """Return the stored articles that `version` of the extractor has not read yet."""
    done = store.table("extractions").read(columns=["article_id"], filter=pc.field("extractor_version") == version)
    articles = store.table("articles")
    columns = ["article_id", "published_date", "title", "text"]
    if done.empty:
        return articles.read(columns=columns)
    return articles.read(columns=columns, filter=~pc.field("article_id").isin(list(done["article_id"])))


def _keys(ids: Iterable[str], version: str) -> list[str]:
    return [version, *ids]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "figures",
            metadata={"dagster/column_schema": column_schema(FigureSchema)},
            group_name=GROUP,
            deps=["articles"],
            description="One row per figure of an article (FIGURES.md): category, value and bounds, qualifier, "
            "party, actor, claimant, location, modality, cumulative, and the evidence span, sentence and rule.",
            kinds={"python", "parquet"},
            owners=["team:tally"],
        ),
        dg.AssetSpec(
            "figure_rejects",
            metadata={"dagster/column_schema": column_schema(FigureRejectSchema)},
            group_name=GROUP,
            deps=["articles"],
            description="Figures the extractor produced that failed the FigureSchema contract, with the failed check.",
            kinds={"python", "parquet"},
            owners=["team:tally"],
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(CHECK_FIGURES_CONTRACT, asset="figures", description="the stored part meets FigureSchema"),
        dg.AssetCheckSpec(CHECK_NO_FIGURE_REJECTS, asset="figure_rejects", description="no figure failed the contract"),
    ],
)
def extract_figures_asset(context: dg.AssetExecutionContext, store: TallyStore):
    """Extract the figures of every article this extractor version has not read, and record them as read."""
    version = EXTRACTOR_VERSION
    pending = pending_articles(store, version)
    batch = plan_extract(pending, version, datetime.now(UTC))
    figures_table, rejects_table = store.table("figures"), store.table("figure_rejects")
    keys = _keys(pending["article_id"], version)
    part = figures_table.append(batch.figures, keys)
    rejects_table.append(batch.rejects, keys)
    # The processed-set is written last: a run killed before this point is redone and rewrites the same parts.
    store.table("extractions").append(batch.extractions, keys)
    context.log.info(
        f"extractor {version}: {len(pending)} articles, {len(batch.figures)} figures, {len(batch.rejects)} rejects"
    )
    stored_ok = part is None or validate_rows(FigureSchema, figures_table.read_part(part)).failures.empty
    yield dg.MaterializeResult(
        asset_key="figures",
        metadata={
            "dagster/row_count": figures_table.count(),
            "extractor_version": version,
            "articles_read": len(pending),
            "new_figures": len(batch.figures),
            "preview": dg.MetadataValue.md(markdown_table(batch.figures[PREVIEW_COLUMNS].head(20))),
        },
    )
    yield dg.MaterializeResult(
        asset_key="figure_rejects",
        metadata={"dagster/row_count": rejects_table.count(), "new_rejects": len(batch.rejects)},
    )
    yield dg.AssetCheckResult(check_name=CHECK_FIGURES_CONTRACT, asset_key="figures", passed=bool(stored_ok))
    yield dg.AssetCheckResult(
        check_name=CHECK_NO_FIGURE_REJECTS,
        asset_key="figure_rejects",
        passed=batch.rejects.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "new_rejects": len(batch.rejects),
            "sample": dg.MetadataValue.md(markdown_table(batch.rejects[["figure_id", "column", "check"]].head(10))),
        },
    )
