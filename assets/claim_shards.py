"""The `claims` table on disk: one Parquet file, one row group per shard of (category, value).

Claims never cross a (category, value, party, modality) bucket, and every bucket falls in one shard. A run
regroups only the buckets that figures of new figure parts fall into: it reads only the touched shards' row
groups, copies the others as they are, and replaces the file atomically, so readers see the table before or
after, never between. A full regrouping (first run, new rules, new extractor version, figures gone) streams
the figures into per-shard spill files and groups one shard at a time, so memory follows the size of a shard,
not of the warehouse.

Which figure parts the stored claims were grouped from is kept in `_grouped.json` beside the table, written
after it: a run killed before that regroups the same buckets again and writes the same rows.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import tempfile
import zlib
from collections import deque
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from assets.extract_worker import die_with_parent
from assets.grouping import GroupingRules, bucket_of, group_claims
from assets.storage import (
    EMPTY_PART,
    Location,
    TableStore,
    atomic_write_bytes,
    fs_and_path,
    read_schema,
    to_arrow,
    upload_file,
)
from schemas import validate_rows
from schemas.claims import ClaimSchema

SHARDS = 64
GROUP_BATCH = 50_000  # figures grouped and validated together in a full regrouping (a task of the pool)
PART = "part-current.parquet"
STATE_FILE = "_grouped.json"
RULES_KEY = b"tally.claims.rules"  # Parquet metadata: the rules and extractor version the table was grouped by


def shard_of(category: str, value: int) -> int:
    """Return the shard (0..SHARDS-1) that holds the claims of a (category, value)."""
    return zlib.crc32(f"{category}\x1f{int(value)}".encode()) % SHARDS


def shards_of(frame: pd.DataFrame) -> list[int]:
    """Return the shard of each row of a frame with `category` and `value` columns."""
    cache: dict[tuple[str, int], int] = {}
    out = []
    for category, value in zip(frame["category"], frame["value"], strict=True):
        key = (category, int(value))
        shard = cache.get(key)
        if shard is None:
            shard = cache[key] = shard_of(category, value)
        out.append(shard)
    return out


@dataclass
class GroupedState:
    """What the stored claims were grouped from: the rules key and the names of the figure parts."""

    rules_key: str
    figure_parts: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, table: TableStore) -> GroupedState | None:
        """Return the state saved beside the claims, or None when there is none (or it cannot be read)."""
        path = table.dir / STATE_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(str(raw["rules_key"]), [str(p) for p in raw["figure_parts"]])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, table: TableStore) -> None:
        """Write the state atomically (after the shard parts it describes)."""
        body = json.dumps({"rules_key": self.rules_key, "figure_parts": sorted(self.figure_parts)}, indent=1)
        atomic_write_bytes(table.dir / STATE_FILE, body.encode())


@dataclass
class ShardWrite:
    """One refresh of the claims table: how it went and what it wrote."""

    mode: str  # "full", "incremental" or "unchanged"
    shards_written: list[int] = field(default_factory=list)
    written: pd.DataFrame | None = None  # the claims of an incremental run's regrouped buckets (all columns)
    claims_grouped: int = 0  # claims grouped in this run
    contract_failures: int = 0  # of those, claims that failed ClaimSchema (not written)
    failure_sample: list[pd.DataFrame] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # breaks of "every figure in exactly one claim"
    figures: int = 0  # current figures
    stored: StoredClaims | None = None  # the table after the refresh

    @property
    def members(self) -> int:
        """Return the sum of n_figures over the stored claims."""
        return self.stored.members if self.stored is not None else 0


def figure_part_names(figures: TableStore) -> list[str]:
    """Return the names of the figures table's data parts."""
    return sorted(p.name for p in figures.parts() if p.name != EMPTY_PART)


def parquet_file(path: Location) -> pq.ParquetFile:
    """Return a ParquetFile reader of a local or remote file."""
    fs, where = fs_and_path(path)
    return pq.ParquetFile(where, filesystem=fs)


class ClaimsFileWriter:
    """Writes the claims table as one Parquet file, a row group per write, made visible atomically on commit.

    Locally the file is written beside the table and renamed over it; on object storage it is written to a local
    temporary file and uploaded in one request (an object is replaced whole or not at all).
    """

    def __init__(self, claims: TableStore, rules_key: str):
        self.path = claims.dir / PART
        self.schema = claims.schema.with_metadata({RULES_KEY: rules_key})
        if claims.remote:
            fd, name = tempfile.mkstemp(prefix="tally-claims-", suffix=".parquet")
            os.close(fd)
            self.tmp, self.remote = Path(name), True
        else:
            claims.dir.mkdir(parents=True, exist_ok=True)
            self.tmp, self.remote = claims.dir / f".{PART}.{os.getpid()}.tmp", False
        self.writer = pq.ParquetWriter(str(self.tmp), self.schema, compression="zstd")
        self.rows = 0

    def write_frame(self, frame: pd.DataFrame) -> None:
        """Append one shard's claims (sorted by claim_id) as a row group."""
        if len(frame):
            self.write_table(to_arrow(frame.sort_values("claim_id"), self.schema))

    def write_table(self, table: pa.Table) -> None:
        """Append an Arrow table of the claims schema as it is (a row group copied from the previous file)."""
        if table.num_rows:
            self.writer.write_table(table.replace_schema_metadata(self.schema.metadata))
            self.rows += table.num_rows

    def commit(self) -> None:
        """Close the file, sync it, and move it over the previous table (or delete it when it has no rows)."""
        self.writer.close()
        if self.rows == 0:
            self.tmp.unlink(missing_ok=True)
            if self.path.exists():
                self.path.unlink()
            return
        if self.remote:
            try:
                upload_file(self.tmp, self.path)
            finally:
                self.tmp.unlink(missing_ok=True)
            return
        with open(self.tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        """Drop the unfinished file; the previous table stays."""
        self.writer.close()
        self.tmp.unlink(missing_ok=True)


def row_group_shards(parquet: pq.ParquetFile) -> list[int]:
    """Return the shard of each row group of a claims file (from its first row)."""
    out = []
    for i in range(parquet.num_row_groups):
        first = parquet.read_row_group(i, columns=["category", "value"]).slice(0, 1).to_pylist()[0]
        out.append(shard_of(first["category"], first["value"]))
    return out


@dataclass
class StoredClaims:
    """What the stored table holds, read in one pass: rows, member figures, claims of several articles, and the
    `top` claims repeated by the most articles (ties by claim_id)."""

    rows: int = 0
    members: int = 0
    multi_article: int = 0
    top: pd.DataFrame | None = None


def stored_claims(claims: TableStore, top_columns: list[str], top: int = 20) -> StoredClaims:
    """Return a summary of the stored claims, reading a row group at a time (memory follows one shard)."""
    columns = list(dict.fromkeys([*top_columns, "n_figures", "n_articles", "claim_id"]))
    order = {"by": ["n_articles", "claim_id"], "ascending": [False, True]}
    out, tops = StoredClaims(), []
    # Arrow, not pandas, per row group: the incremental run summarises every stored claim each time
    keys = [("n_articles", "descending"), ("claim_id", "ascending")]  # claim_id is unique: no ties left
    for path in claims.parts():
        parquet = parquet_file(path)
        for i in range(parquet.num_row_groups):
            group = parquet.read_row_group(i, columns=columns)
            if not group.num_rows:
                continue
            out.rows += group.num_rows
            out.members += pc.sum(group["n_figures"]).as_py() or 0
            out.multi_article += pc.sum(pc.greater(group["n_articles"], 1)).as_py() or 0
            tops.append(group.take(pc.select_k_unstable(group, k=top, sort_keys=keys)).to_pandas())
    frames = [t for t in tops if len(t)]
    out.top = (pd.concat(frames, ignore_index=True).sort_values(**order).head(top) if frames
               else pd.DataFrame(columns=columns))[top_columns]
    return out


def stored_rules(claims: TableStore) -> str | None:
    """Return the rules key the stored table was written with (None when there is no table)."""
    path = claims.dir / PART
    if not path.exists():
        return None
    raw = (read_schema(path).metadata or {}).get(RULES_KEY)
    return raw.decode() if raw else None


def spill_by_shard(
    batches: Iterable[pa.RecordBatch], schema: pa.Schema, folder: Path
) -> dict[int, tuple[Path, int]]:
    """Write the rows of Arrow `batches` into one Arrow IPC file per shard in `folder`; return (file, rows) by
    shard."""
    writers: dict[int, pa.ipc.RecordBatchFileWriter] = {}
    paths: dict[int, Path] = {}
    rows: dict[int, int] = {}
    cache: dict[tuple[str, int], int] = {}
    try:
        for batch in batches:
            if not batch.num_rows:
                continue
            keys = zip(batch.column("category").to_pylist(), batch.column("value").to_pylist(), strict=True)
            shard = np.fromiter((cache[k] if k in cache else cache.setdefault(k, shard_of(*k)) for k in keys),
                                dtype=np.int64, count=batch.num_rows)
            order = np.argsort(shard, kind="stable")
            ordered, sorted_shards = batch.take(pa.array(order)), shard[order]
            starts = np.flatnonzero(np.r_[True, sorted_shards[1:] != sorted_shards[:-1]])
            for lo, hi in zip(starts, [*starts[1:], len(order)], strict=True):
                key = int(sorted_shards[lo])
                writer = writers.get(key)
                if writer is None:
                    paths[key] = folder / f"{key:02d}.arrow"
                    writer = writers[key] = pa.ipc.new_file(str(paths[key]), schema)
                writer.write_batch(ordered.slice(lo, hi - lo))
                rows[key] = rows.get(key, 0) + int(hi - lo)
    finally:
        for writer in writers.values():
            writer.close()
    return {shard: (paths[shard], rows[shard]) for shard in paths}


def read_spill(path: Path) -> pd.DataFrame:
    """Return the rows of one spill file."""
    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all().to_pandas()


def read_parts(figures: TableStore, names: list[str], columns: list[str], flt) -> pd.DataFrame:
    """Return `columns` of the rows of the named figure parts that match `flt`."""
    dataset = figures.dataset([figures.dir / name for name in names])
    return dataset.to_table(columns=columns, filter=flt).to_pandas()


@dataclass
class BatchClaims:
    """The claims of a batch of whole shards, validated, and what their grouping found."""

    valid: pd.DataFrame
    figures: int
    problems: list[str]
    grouped: int
    failed: int
    failure_sample: pd.DataFrame | None


def spilled_articles(spills: list[str], articles: pa.Table) -> pd.DataFrame:
    """Return the rows of `articles` whose figures are in the spill files `spills` (their article_id column only
    is read), as a frame."""
    ids = []
    for path in spills:
        with pa.memory_map(path) as source:
            ids.append(pa.ipc.open_file(source).read_all().column("article_id"))
    if not ids:
        return articles.slice(0, 0).to_pandas()
    wanted = pa.chunked_array(ids).unique()
    return articles.filter(pc.is_in(articles["article_id"], value_set=wanted)).to_pandas()


def group_spills(spills: list[str], rules: GroupingRules, articles: pd.DataFrame) -> BatchClaims:
    """Return the validated claims of the figures in `spills` (files of whole shards); runs in a worker too.
    `articles` are the outlets of (at least) the articles those figures come from."""
    members = pd.concat([read_spill(Path(p)) for p in spills], ignore_index=True)
    mine = articles[articles["article_id"].isin(set(members["article_id"]))]
    grouped = group_claims(members, mine, rules)
    checked = validate_rows(ClaimSchema, grouped)
    return BatchClaims(
        valid=checked.valid,
        figures=len(members),
        problems=_membership(members["figure_id"], grouped, "regrouped shards"),
        grouped=len(grouped),
        failed=len(checked.rejected_index),
        failure_sample=checked.failures.head(10).copy() if not checked.failures.empty else None,
    )


def _batches(spills: dict[int, tuple[Path, int]], batch_rows: int) -> list[list[str]]:
    """Return the spill files in shard order, cut into batches of about `batch_rows` figures."""
    out, batch, rows = [], [], 0
    for shard in sorted(spills):
        path, count = spills[shard]
        batch.append(str(path))
        rows += count
        if rows >= batch_rows:
            out.append(batch)
            batch, rows = [], 0
    if batch:
        out.append(batch)
    return out


def regroup_all(
    figures: TableStore,
    claims: TableStore,
    columns: list[str],
    flt,
    articles: pa.Table,
    rules: GroupingRules,
    rules_key: str,
    workers: int = 1,
    batch_rows: int = GROUP_BATCH,
) -> ShardWrite:
    """Group every current figure and replace the whole table, a batch of shards at a time.

    `articles` (article_id and the outlet columns of every article) stays an Arrow table: each batch takes only
    its own articles' rows as a frame, where a frame of all of them would grow with the warehouse.

    The figures are spilled to one file per shard, then grouped and validated in batches of about `batch_rows`
    figures (each pandera call has a fixed cost), on `workers` processes when there are several batches; the
    claims are written in shard order as they come back, so memory follows a few batches, not the warehouse.
    Part files of any other name are deleted after the new table is in place.
    """
    result = ShardWrite("full")
    writer = ClaimsFileWriter(claims, rules_key)
    spill_schema = pa.schema([figures.schema.field(c) for c in columns])
    try:
        with tempfile.TemporaryDirectory(prefix="tally-claims-") as tmp:
            dataset = figures.dataset(figures.parts())
            spills = spill_by_shard(dataset.to_batches(columns=columns, filter=flt), spill_schema, Path(tmp))
            batches = _batches(spills, batch_rows)
            if workers > 1 and len(batches) > 1:
                ctx = multiprocessing.get_context("spawn")
                with ProcessPoolExecutor(min(workers, len(batches)), mp_context=ctx,
                                         initializer=die_with_parent) as pool:
                    pending: deque = deque()
                    for batch in batches:
                        pending.append(pool.submit(group_spills, batch, rules, spilled_articles(batch, articles)))
                        if len(pending) > workers:  # bounded: at most one batch waits beyond those running
                            _write_batch(writer, pending.popleft().result(), result)
                    while pending:
                        _write_batch(writer, pending.popleft().result(), result)
            else:
                for batch in batches:
                    _write_batch(writer, group_spills(batch, rules, spilled_articles(batch, articles)), result)
    except BaseException:
        writer.abort()
        raise
    writer.commit()
    for path in claims.parts():
        if path.name not in (EMPTY_PART, PART):
            path.unlink(missing_ok=True)
    return result


def _write_batch(writer: ClaimsFileWriter, batch: BatchClaims, result: ShardWrite) -> None:
    """Write a batch's claims, a row group per shard, and add its findings to `result`."""
    result.figures += batch.figures
    result.problems += batch.problems
    result.claims_grouped += batch.grouped
    result.contract_failures += batch.failed
    if batch.failure_sample is not None:
        result.failure_sample.append(batch.failure_sample)
    if len(batch.valid):
        for shard, rows in batch.valid.groupby(np.asarray(shards_of(batch.valid)), sort=True):
            writer.write_frame(rows)
            result.shards_written.append(int(shard))


def _validated(grouped: pd.DataFrame, result: ShardWrite) -> pd.DataFrame:
    """Return the claims of `grouped` that meet ClaimSchema; count the others' failures in `result`."""
    checked = validate_rows(ClaimSchema, grouped)
    result.claims_grouped += len(grouped)
    if not checked.failures.empty:
        result.contract_failures += len(checked.rejected_index)
        result.failure_sample.append(checked.failures.head(10).copy())
    return checked.valid


def _membership(figure_ids: pd.Series, grouped: pd.DataFrame, where: str) -> list[str]:
    """Return what breaks "each of `figure_ids` is in exactly one of `grouped`'s claims, and nothing else is"."""
    members = [fid for ids in grouped["figure_ids"] for fid in ids.split(" ")] if len(grouped) else []
    problems = []
    if len(members) != len(set(members)):
        problems.append(f"{where}: {len(members) - len(set(members))} figures in more than one claim")
    expected = set(figure_ids)
    missing = expected - set(members)
    if missing:
        problems.append(f"{where}: {len(missing)} figures in no claim, e.g. {sorted(missing)[:3]}")
    unknown = set(members) - expected
    if unknown:
        problems.append(f"{where}: {len(unknown)} claim members are not current figures, e.g. {sorted(unknown)[:3]}")
    return problems


def _in_buckets(rows: pd.DataFrame, buckets: set[tuple]) -> np.ndarray:
    """Return a mask of the claim `rows` whose bucket is one of `buckets`, computing the bucket (a row at a time)
    only for the rows whose category and value are among the buckets' (a shard holds thousands of claims)."""
    mask = np.zeros(len(rows), dtype=bool)
    maybe = np.flatnonzero((rows["category"].isin({b[0] for b in buckets})
                            & rows["value"].isin({b[1] for b in buckets})).to_numpy())
    if len(maybe):
        mask[maybe] = [bucket_of(r) in buckets for r in rows.iloc[maybe].itertuples(index=False)]
    return mask


def replace_buckets(
    claims: TableStore,
    candidates: pd.DataFrame,
    regrouped: pd.DataFrame,
    touched: set[tuple],
    rules_key: str,
) -> ShardWrite:
    """Swap the claims of the `touched` buckets for `regrouped` (grouped from `candidates`).

    The new file is written row group by row group: untouched shards are copied as they are, touched shards
    lose their touched buckets' claims and gain the regrouped ones. Memory follows the largest shard.
    """
    result = ShardWrite("incremental")
    result.problems += _membership(candidates["figure_id"], regrouped, "regrouped buckets")
    regrouped = _validated(regrouped, result)
    new_by_shard = dict(iter(regrouped.groupby(np.asarray(shards_of(regrouped)), sort=True))) if len(regrouped) else {}
    touched_shards = {shard_of(b[0], b[1]) for b in touched}
    path = claims.dir / PART
    old = parquet_file(path) if path.exists() else None
    writer = ClaimsFileWriter(claims, rules_key)
    try:
        pending = sorted(new_by_shard)  # shards whose new claims are still to be written, ascending
        old_shards = row_group_shards(old) if old is not None else []
        for i, shard in enumerate(old_shards):
            while pending and pending[0] < shard:  # shards the old file did not have
                writer.write_frame(new_by_shard[pending.pop(0)])
            if shard not in touched_shards:
                writer.write_table(old.read_row_group(i))
                continue
            rows = old.read_row_group(i).to_pandas()
            kept = rows[~_in_buckets(rows, touched)]
            if pending and pending[0] == shard:
                kept = pd.concat([kept, new_by_shard[pending.pop(0)]], ignore_index=True)
            writer.write_frame(kept)
        for shard in pending:
            writer.write_frame(new_by_shard[shard])
        if old is not None:
            old.close()
    except BaseException:
        writer.abort()
        raise
    writer.commit()
    result.shards_written = sorted(touched_shards)
    result.written = regrouped
    return result


