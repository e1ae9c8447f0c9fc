"""Stage `ingest`: read every source into `articles`; each input it could not read goes to `article_rejects`."""


import dataclasses
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import dagster as dg
import pandas as pd

from assets import progress
from assets.memory import release_freed_memory
from assets.metadata import failure_sample, markdown_table, table_spec
from assets.resources import WRITER_POOL, ArticleSources, TallyStore
from assets.sources import RawArticle, Reject, article_id_for, content_sha256
from assets.storage import TableStore, part_rows
from schemas import ArticleRejectSchema, ArticleSchema, validate_rows, validated

GROUP = "ingest"
CHECK_ACCOUNTING = "inputs_accounted_for"
CHECK_ARTICLES_CONTRACT = "articles_contract"
CHECK_NO_NEW_REJECTS = "no_new_rejects"
PREVIEW_COLUMNS = ["article_id", "published_date", "source", "title"]
INGEST_BATCH = 5000  # records per part file: bounds memory however large the backlog


@dataclass
class IngestCounts:
    """How the inputs of one run divide: every input is exactly one of these."""

    new_articles: int = 0
    duplicates: int = 0
    new_rejects: int = 0
    known_rejects: int = 0

    @property
    def inputs(self) -> int:
        return self.new_articles + self.duplicates + self.new_rejects + self.known_rejects


@dataclass
class IngestBatch:
    """What one run adds: new article rows, new reject rows, and the counts that account for every input."""

    articles: pd.DataFrame
    rejects: pd.DataFrame
    counts: IngestCounts = field(default_factory=IngestCounts)
    inputs_seen: int = 0


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(value: str) -> bool:
    """Return whether `value` holds a lone surrogate (the one thing UTF-8 cannot encode); C-speed on clean text."""
    if value.isascii():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _storable(value: str | None) -> str | None:
    """Return `value` as text that UTF-8 (and so Parquet) can hold: lone surrogates become backslash escapes.

    A file name that is not valid UTF-8 reaches us with surrogate escapes (os.fsdecode); a reject's detail may
    quote one. Neither can be written to Parquet as is.
    """
    if value is None or not _has_surrogate(value):
        return value
    try:  # a file name's raw bytes, shown as \\xff escapes
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # any other lone surrogate, shown as a \\ud800 escape
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _sanitised(record: RawArticle | Reject) -> RawArticle | Reject:
    """Return `record` with every string field storable; an article whose title or text is not valid Unicode
    (a JSON \\ud800 escape: a lone surrogate) becomes an "encoding" reject rather than crashing the run."""
    if isinstance(record, RawArticle):
        for name in ("title", "text"):
            value = getattr(record, name)
            bad = _SURROGATE.search(value) if value and _has_surrogate(value) else None
            if bad:
                return Reject(
                    _storable(record.source),
                    _storable(record.location),
                    "encoding",
                    f"the {name} holds a lone surrogate U+{ord(bad.group()):04X} at offset {bad.start()}, "
                    "which is not valid Unicode text",
                    len(value.encode("utf-8", "surrogatepass")),
                )
    changes = {
        f.name: _storable(getattr(record, f.name))
        for f in dataclasses.fields(record)
        if isinstance(getattr(record, f.name), str) and _has_surrogate(getattr(record, f.name))
    }
    return dataclasses.replace(record, **changes) if changes else record


def reject_id(reject: Reject) -> str:
    """Return a stable id for a reject: the same bad input rejected again gets the same id."""
    key = "\x1f".join([reject.source, reject.location, reject.reason, reject.sha256 or reject.detail])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _reject_row(reject: Reject, now: datetime) -> dict:
    return {
        "reject_id": reject_id(reject),
        "source": reject.source,
        "location": reject.location,
        "reason": reject.reason,
        "detail": reject.detail,
        "size_bytes": reject.size_bytes,
        "raw_sha256": reject.sha256,
        "rejected_at": now,
    }


def _article_row(raw: RawArticle, now: datetime) -> dict:
    sha = content_sha256(raw.title, raw.text)
    return {
        "article_id": article_id_for(sha),
        "source": raw.source,
        "source_id": raw.source_id,
        "location": raw.location,
        "url": raw.url,
        "published_date": raw.published_date,
        "date_status": raw.date_status,
        "title": raw.title,
        "text": raw.text,
        "content_sha256": sha,
        "ingested_at": now,
    }


def plan_ingest(
    records: Iterable[RawArticle | Reject], known_sha256: set[str], known_reject_ids: set[str], now: datetime
) -> IngestBatch:
    """Return the new articles and rejects among `records`, deduplicated against what is stored and each other."""
    counts = IngestCounts()
    seen_sha = set(known_sha256)
    seen_rejects = set(known_reject_ids)
    article_rows: list[dict] = []
    reject_rows: list[dict] = []
    inputs = 0
    for record in records:
        inputs += 1
        record = _sanitised(record)
        if isinstance(record, Reject):
            row = _reject_row(record, now)
            if row["reject_id"] in seen_rejects:
                counts.known_rejects += 1
            else:
                seen_rejects.add(row["reject_id"])
                reject_rows.append(row)
                counts.new_rejects += 1
            continue
        row = _article_row(record, now)
        if row["content_sha256"] in seen_sha:
            counts.duplicates += 1
            continue
        seen_sha.add(row["content_sha256"])
        article_rows.append(row)

    articles = pd.DataFrame(article_rows, columns=list(ArticleSchema.to_schema().columns))
    checked = validate_rows(ArticleSchema, articles)
    for idx in checked.rejected_index:
        row = articles.loc[idx]
        why = checked.failures[checked.failures["index"] == idx]
        cases = why[["column", "check", "failure_case"]].itertuples(index=False)
        detail = "; ".join(f"{c}: {k} ({v})" for c, k, v in cases)
        size = len(str(row["text"]).encode())
        reject = Reject(row["source"], row["location"], "contract", detail, size, row["content_sha256"])
        reject_rows.append(_reject_row(reject, now))
    counts.new_articles = len(checked.valid)
    counts.new_rejects += len(checked.rejected_index)
    rejects = pd.DataFrame(reject_rows, columns=list(ArticleRejectSchema.to_schema().columns))
    return IngestBatch(checked.valid, validated(ArticleRejectSchema, rejects), counts, inputs)


def stored_part_failures(table: TableStore, part, written: pd.DataFrame) -> pd.DataFrame:
    """Return the ArticleSchema failures of a stored part (empty when it meets the contract).

    A part that reads back equal to the validated rows it was written from meets the contract by construction,
    without turning every article's text into a Python string again; only a part that differs is validated.
    """
    stored = table.read_if_changed(part, written)
    if stored is None:
        return pd.DataFrame(columns=["index", "column", "check", "failure_case", "part"])
    return validate_rows(ArticleSchema, stored.to_pandas()).failures.assign(part=part.name)


def _known(table: TableStore, column: str) -> set[str]:
    return set(table.read(columns=[column])[column])


@dg.multi_asset(
    specs=[
        table_spec(
            "articles",
            ArticleSchema,
            GROUP,
            "One row per distinct article read from the sources (seed text, JSON Lines, plain text); identity is "
            "the hash of the normalised title and text, so the same article arriving twice is one row.",
        ),
        table_spec(
            "article_rejects",
            ArticleRejectSchema,
            GROUP,
            "One row per input that could not become an article, with the reason and its location.",
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            CHECK_ACCOUNTING, asset="articles", description="inputs = new articles + duplicates + rejects"
        ),
        dg.AssetCheckSpec(CHECK_ARTICLES_CONTRACT, asset="articles", description="the stored part meets ArticleSchema"),
        dg.AssetCheckSpec(CHECK_NO_NEW_REJECTS, asset="article_rejects", description="no input was rejected this run"),
    ],
    pool=WRITER_POOL,
)
def ingest_articles(context: dg.AssetExecutionContext, store: TallyStore, sources: ArticleSources):
    """Read every source, keep the articles not stored yet, and record the inputs that could not be read."""
    articles_table, rejects_table = store.table("articles"), store.table("article_rejects")
    counts, inputs, written = IngestCounts(), 0, 0
    stored_failures: list[pd.DataFrame] = []
    samples: list[pd.DataFrame] = []
    previews: list[pd.DataFrame] = []
    with store.writing():
        known_sha = _known(articles_table, "content_sha256")
        known_rejects = _known(rejects_table, "reject_id")
        ledger = sources.ledger()
        for chunk in _chunks(sources.records(ledger), INGEST_BATCH):
            inputs += len(chunk)
            batch = plan_ingest(chunk, known_sha, known_rejects, datetime.now(UTC))
            known_sha.update(batch.articles["content_sha256"])
            known_rejects.update(batch.rejects["reject_id"])
            part = articles_table.append(batch.articles, batch.articles["article_id"])
            reject_part = rejects_table.append(batch.rejects, batch.rejects["reject_id"])
            # accounting from what reached disk (each part's footer), not from what was planned
            written += sum(part_rows(p) for p in (part, reject_part) if p is not None)
            if part is not None:  # the stored part, read back, must meet the contract too
                stored_failures.append(stored_part_failures(articles_table, part, batch.articles))
            _add(counts, batch.counts)
            samples.append(batch.rejects[["location", "reason", "detail"]].head(10).copy())
            # copies: a head() view would keep the whole batch (every text) alive until the run ends
            previews.append(batch.articles.head(10)[PREVIEW_COLUMNS].copy())
            context.log.info(f"ingest: {inputs} inputs read, {counts.new_articles} new articles so far")
            progress.report("ingest", inputs)
        ledger.commit()  # only now: a run that dies before this reads the same files again
    release_freed_memory()  # the batches are gone; the next stage starts from a small process
    c = counts
    accounted = written + c.duplicates + c.known_rejects
    context.log.info(
        f"{inputs} inputs: {c.new_articles} new articles, {c.duplicates} duplicates, "
        f"{c.new_rejects} new rejects, {c.known_rejects} known rejects"
    )
    stored_failures = pd.concat(stored_failures) if stored_failures else pd.DataFrame()
    rejects_sample = pd.concat(samples).head(10) if samples else pd.DataFrame(columns=["location", "reason", "detail"])
    preview = pd.concat(previews).head(10) if previews else pd.DataFrame(columns=PREVIEW_COLUMNS)
    yield dg.MaterializeResult(
        asset_key="articles",
        metadata={
            "dagster/row_count": articles_table.count(),
            "inputs": inputs,
            "new_articles": c.new_articles,
            "duplicates": c.duplicates,
            "rejects": c.new_rejects + c.known_rejects,
            "unchanged_files_skipped": len(ledger.skipped),
            "preview": dg.MetadataValue.md(markdown_table(preview[PREVIEW_COLUMNS])),
        },
    )
    yield dg.MaterializeResult(
        asset_key="article_rejects",
        metadata={"dagster/row_count": rejects_table.count(), "new_rejects": c.new_rejects},
    )
    yield dg.AssetCheckResult(
        check_name=CHECK_ACCOUNTING,
        asset_key="articles",
        passed=inputs == accounted,
        metadata={
            "inputs": inputs,
            "rows_written": written,
            "duplicates": c.duplicates,
            "known_rejects": c.known_rejects,
            "accounted": accounted,
        },
    )
    yield dg.AssetCheckResult(
        check_name=CHECK_ARTICLES_CONTRACT,
        asset_key="articles",
        passed=stored_failures.empty,
        metadata={"failures": len(stored_failures), "sample": failure_sample(stored_failures)},
    )
    yield dg.AssetCheckResult(
        check_name=CHECK_NO_NEW_REJECTS,
        asset_key="article_rejects",
        passed=c.new_rejects == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"new_rejects": c.new_rejects, "sample": dg.MetadataValue.md(markdown_table(rejects_sample))},
    )


def _chunks(records: Iterable, size: int) -> Iterator[list]:
    """Yield lists of at most `size` records, so a large backlog is planned and written part by part."""
    chunk: list = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _add(total: IngestCounts, part: IngestCounts) -> None:
    total.new_articles += part.new_articles
    total.duplicates += part.duplicates
    total.new_rejects += part.new_rejects
    total.known_rejects += part.known_rejects

