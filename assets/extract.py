"""Stage `extract`: run the rule engine over the articles not yet read by this extractor version."""


import contextlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

import dagster as dg
import pandas as pd
import pyarrow.compute as pc

from assets import progress
from assets.charts import figures_over_time_png, markdown_image, monthly_counts
from assets.extract_worker import ERROR_KEY, ArticleItem, die_with_parent, figure_id, figure_rows
from assets.memory import release_freed_memory
from assets.metadata import evidence_table, failure_sample, markdown_table, newest_figures, table_spec
from assets.resources import TallyStore
from assets.shards import SHARD_KEYS, shard_filter, shards_def
from assets.storage import TableStore, atomic_write_bytes
from extractors import EXTRACTOR_VERSION
from schemas import ExtractionSchema, FigureRejectSchema, FigureSchema, validate_rows, validated

GROUP = "extract"
CHECK_FIGURES_CONTRACT = "figures_contract"
CHECK_NO_FIGURE_REJECTS = "no_figure_rejects"
BATCH = 2000  # articles per part file: bounds memory however large the backlog (news can hold 30 figures each)
CHUNK = 250  # articles per task sent to a worker process
MIN_PARALLEL = 2 * CHUNK  # below this, starting workers costs more than it saves
NEWEST_SHOWN = 10  # figures in the evidence preview
CHART_FILE = "_charts/figures_over_time.png"  # under the warehouse folder
FAILURE_COLUMNS = ["part", "figure_id", "text", "check", "columns", "failure_case"]


@dataclass
class ExtractBatch:
    """What one extraction run adds: figures that meet the contract, rejects, and the processed-set rows."""

    figures: pd.DataFrame
    rejects: pd.DataFrame
    extractions: pd.DataFrame


def _items(articles: pd.DataFrame) -> list[ArticleItem]:
    return list(articles[["article_id", "published_date", "title", "text"]].itertuples(index=False, name=None))


def start_extraction(
    articles: pd.DataFrame, version: str, pool: ProcessPoolExecutor | None = None
) -> Callable[[], list[dict]]:
    """Start reading `articles` and return a function that returns their figure rows, in article order.

    With a `pool`, the chunks are submitted to its workers now, so the caller can do other work (write the
    previous batch, read the next one) while they run; without one, the rows are computed when asked for.
    """
    items = _items(articles)
    if pool is None or len(items) < MIN_PARALLEL:
        return lambda: figure_rows(items, version)
    futures = [pool.submit(figure_rows, items[i : i + CHUNK], version) for i in range(0, len(items), CHUNK)]
    return lambda: [row for future in futures for row in future.result()]


def plan_extract(articles: pd.DataFrame, version: str, now: datetime, rows: list[dict] | None = None) -> ExtractBatch:
    """Return the figures of `articles` split by the FigureSchema contract, and one processed row per article.

    `rows` are the articles' figure rows when already extracted (start_extraction); otherwise they are read here.
    """
    if rows is None:
        rows = figure_rows(_items(articles), version)
    errors = [row for row in rows if ERROR_KEY in row]
    figures = pd.DataFrame(
        [row for row in rows if ERROR_KEY not in row], columns=list(FigureSchema.to_schema().columns)
    )
    checked = validate_rows(FigureSchema, figures)
    reject_rows = [
        {
            "figure_id": figure_id(row["article_id"], ERROR_KEY, 0),
            "article_id": row["article_id"],
            "column": "text",
            "check": ERROR_KEY,
            "failure_case": row[ERROR_KEY],
            "row_json": json.dumps(row, ensure_ascii=False),
            "extractor_version": version,
            "rejected_at": now,
        }
        for row in errors
    ]
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
    rejects = validated(
        FigureRejectSchema, pd.DataFrame(reject_rows, columns=list(FigureRejectSchema.to_schema().columns))
    )
    good_per_article = checked.valid["article_id"].value_counts()
    bad_per_article = pd.concat(
        [figures.loc[checked.rejected_index, "article_id"], pd.Series([r["article_id"] for r in errors], dtype=object)]
    ).value_counts()
    ids = articles["article_id"]
    extractions = validated(
        ExtractionSchema,
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


def pending_batches(
    store: TallyStore, version: str, batch_size: int = BATCH, shards: Sequence[str] | None = None
) -> tuple[int, Iterator[pd.DataFrame]]:
    """Return how many stored articles `version` of the extractor has not read yet, and those articles in batches.

    With `shards`, only the articles of those shards (first hex digit of article_id) are counted and returned.
    """
    in_shards = shard_filter(shards) if shards is not None else None
    done_filter = pc.field("extractor_version") == version
    if in_shards is not None:
        done_filter = done_filter & in_shards
    done = store.table("extractions").read_table(columns=["article_id"], filter=done_filter)["article_id"]
    articles = store.table("articles")
    parts = articles.parts()
    if not parts:
        return 0, iter(())
    # Only the part files that hold a pending article are read for their texts: a scan filtered by id alone
    # decodes every stored text (2-3 s at 400,000 articles with nothing pending; the ids alone take 0.03 s).
    index = articles.dataset(parts).to_table(columns=["article_id", "__filename"], filter=in_shards)
    todo = index.filter(~pc.field("article_id").isin(done)) if len(done) else index
    columns = ["article_id", "published_date", "title", "text"]
    batches = articles.iter_batches(columns=columns, filter=pc.field("article_id").isin(todo["article_id"]),
                                    batch_size=batch_size, parts=articles.parts_holding(todo, parts))
    return todo.num_rows, batches


def run_shards(context: dg.AssetExecutionContext) -> list[str]:
    """Return the shards a run covers: its partition, its partition range, or every shard when it has neither."""
    if context.has_partition_key or context.has_partition_key_range:
        return list(context.partition_keys)
    return list(SHARD_KEYS)


class LazyPool:
    """A process pool started on first use only, so that small runs pay nothing for it."""

    def __init__(self, workers: int):
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def get(self, n_items: int) -> ProcessPoolExecutor | None:
        """Return the pool when `n_items` are worth spreading over several workers, else None."""
        if self.workers <= 1 or n_items < MIN_PARALLEL:
            return None
        if self._pool is None:
            # spawned, not forked: the workers inherit no locks held by Dagster's threads
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx, initializer=die_with_parent)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()


def _one_batch_ahead(
    batches: Iterable[pd.DataFrame], version: str, pool: LazyPool
) -> Iterator[tuple[pd.DataFrame, list[dict]]]:
    """Yield (articles, figure rows) per batch, the next batch already submitted to the workers while the caller
    validates and writes the current one, so the workers do not wait for the writes."""
    batches = iter(batches)
    current = next(batches, None)
    rows_of = start_extraction(current, version, pool.get(len(current))) if current is not None else None
    while current is not None:
        following = next(batches, None)
        following_rows = (
            start_extraction(following, version, pool.get(len(following))) if following is not None else None
        )
        yield current, rows_of()
        current, rows_of = following, following_rows


def current_rows(table, version: str) -> int:
    """Return the number of rows a table holds for extractor `version` (the rows its DuckDB view shows)."""
    return table.count(filter=pc.field("extractor_version") == version)


def _keys(ids: Iterable[str], version: str) -> list[str]:
    return [version, *ids]


def contract_failures(table: TableStore, part, validated: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one row per (figure, failed check) of a stored part: part, figure_id, text, check, columns, case.

    `validated` are the rows the part was written from, which passed FigureSchema: a part that reads back equal
    to them (compared in Arrow) meets the contract without validating its rows again. Any other part is
    validated. A row-level check fails on every column of the row; it is one line here, its columns "(row)".
    """
    stored = table.read_if_changed(part, validated)
    if stored is None:
        return pd.DataFrame(columns=FAILURE_COLUMNS)
    rows = stored.to_pandas()
    failures = validate_rows(FigureSchema, rows).failures
    if failures.empty:
        return pd.DataFrame(columns=FAILURE_COLUMNS)
    cases = failures.groupby(["index", "check"], sort=True).agg(
        columns=("column", lambda c: ", ".join(map(str, c)) if len(c) <= 3 else "(row)"),
        failure_case=("failure_case", lambda c: c.iloc[0] if len(c) <= 3 else ""),
    ).reset_index()
    return cases.assign(
        part=part.name,
        figure_id=rows["figure_id"].iloc[cases["index"]].to_numpy(),
        text=rows["text"].iloc[cases["index"]].to_numpy(),
    )[FAILURE_COLUMNS]


def figures_metadata(table: TableStore, version: str, chart_path) -> dict:
    """Return the UI metadata of the current figures: newest figures with evidence, and the per-month chart.

    The chart is also written to `chart_path` (atomically), so it can be opened outside Dagster.
    """
    parts = table.parts()
    png = figures_over_time_png(monthly_counts(parts, version))
    atomic_write_bytes(chart_path, png)
    return {
        "preview": dg.MetadataValue.md(evidence_table(newest_figures(parts, version, NEWEST_SHOWN))),
        "figures_over_time": dg.MetadataValue.md(markdown_image(png)),
        "chart_path": dg.MetadataValue.path(str(chart_path)),
    }


@dg.multi_asset(
    specs=[
        table_spec(
            "figures",
            FigureSchema,
            GROUP,
            "One row per figure of an article (FIGURES.md): category, value and bounds, qualifier, party, actor, "
            "claimant, location, modality, cumulative, and the evidence span, sentence and rule.",
            deps=("articles",),
        ),
        table_spec(
            "figure_rejects",
            FigureRejectSchema,
            GROUP,
            "Figures the extractor produced that failed the FigureSchema contract, with the failed check.",
            deps=("articles",),
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(CHECK_FIGURES_CONTRACT, asset="figures", description="the stored part meets FigureSchema"),
        dg.AssetCheckSpec(CHECK_NO_FIGURE_REJECTS, asset="figure_rejects", description="no figure failed the contract"),
    ],
    # One partition per shard of articles: a cluster runs shards in parallel (one run, pod or process each);
    # `tally run`, the schedule and the sensor run the whole range in one run.
    partitions_def=shards_def,
)
def extract_figures_asset(context: dg.AssetExecutionContext, store: TallyStore):
    """Extract the figures of the articles of the run's shards this extractor version has not read, and record them.

    Extraction runs outside the writer lock; each batch's writes, and the summary read of the whole table, hold it.
    So shards running at the same time (other processes, other machines) overlap their extraction and take turns
    only to write.
    """
    version = EXTRACTOR_VERSION
    shards = run_shards(context)
    figures_table, rejects_table = store.table("figures"), store.table("figure_rejects")
    read = new_figures = new_rejects = 0
    failures, reject_samples = [], []
    workers = store.extract_workers or os.cpu_count() or 1
    pool = LazyPool(workers)
    with contextlib.closing(pool):
        with store.writing():  # the processed-set is read whole; a publish may be dropping superseded parts
            total, batches = pending_batches(store, version, shards=shards)
        progress.report("extract", 0, total)
        for pending, rows in _one_batch_ahead(batches, version, pool):
            batch = plan_extract(pending, version, datetime.now(UTC), rows=rows)
            keys = _keys(pending["article_id"], version)
            with store.writing():
                part = figures_table.append(batch.figures, keys)
                rejects_table.append(batch.rejects, keys)
                # The processed-set is written last: a run killed before this is redone and rewrites the same parts.
                store.table("extractions").append(batch.extractions, keys)
            if part is not None:
                failed = contract_failures(figures_table, part, batch.figures)
                if not failed.empty:
                    failures.append(failed)
            read += len(pending)
            new_figures += len(batch.figures)
            new_rejects += len(batch.rejects)
            reject_samples.append(batch.rejects.head(10).copy())
            context.log.info(f"extractor {version}: {read} of {total} articles read, {new_figures} figures so far")
            progress.report("extract", read, total)
    release_freed_memory()
    with store.writing():
        figures_ui = figures_metadata(figures_table, version, store.warehouse_dir / CHART_FILE)
        figure_rows_now = current_rows(figures_table, version)
        reject_rows_now = current_rows(rejects_table, version)
    stored_failures = pd.concat(failures) if failures else pd.DataFrame(columns=FAILURE_COLUMNS)
    sample_columns = ["figure_id", "column", "check"]
    rejects_sample = pd.concat(reject_samples).head(10) if reject_samples else pd.DataFrame(columns=sample_columns)
    yield dg.MaterializeResult(
        asset_key="figures",
        metadata={
            "dagster/row_count": figure_rows_now,
            "extractor_version": version,
            "shards": ",".join(shards),
            "articles_read": read,
            "new_figures": new_figures,
            **figures_ui,
        },
    )
    yield dg.MaterializeResult(
        asset_key="figure_rejects",
        metadata={"dagster/row_count": reject_rows_now, "shards": ",".join(shards), "new_rejects": new_rejects},
    )
    yield dg.AssetCheckResult(
        check_name=CHECK_FIGURES_CONTRACT,
        asset_key="figures",
        passed=stored_failures.empty,
        metadata={"failures": len(stored_failures), "sample": failure_sample(stored_failures)},
    )
    yield dg.AssetCheckResult(
        check_name=CHECK_NO_FIGURE_REJECTS,
        asset_key="figure_rejects",
        passed=new_rejects == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "new_rejects": new_rejects,
            "sample": dg.MetadataValue.md(markdown_table(rejects_sample[["figure_id", "column", "check"]])),
        },
    )
