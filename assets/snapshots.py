"""Versioned, immutable snapshots of the published tables: one zstd Parquet file per table, a manifest, a data card.

A snapshot folder is built under a temporary name and renamed into place whole; LATEST is written last. A
snapshot whose tables are identical to the latest one is not written again, so re-running changes nothing.

On object storage (an fsspec URL) there is no rename: the folder is built locally, its files are uploaded, and
manifest.json goes last; a version counts as complete only once its manifest is there (`list_versions`), and
LATEST is written after that.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from assets.storage import Location, atomic_write_bytes, is_remote, remove_tree, upload_file
from assets.views import connect_views

LATEST = "LATEST"
MANIFEST = "manifest.json"
DATA_CARD = "README.md"
SNAPSHOT_TABLES = {
    "articles": "article_id",
    "article_rejects": "reject_id",
    "figures": "figure_id",
    "figure_rejects": "figure_id, \"check\", \"column\"",
    "claims": "claim_id",
}


@dataclass(frozen=True)
class SnapshotResult:
    """The version LATEST points to after publishing, and whether this call wrote it."""

    version: str
    path: Location
    created: bool
    manifest: dict


def sha256_file(path: Location) -> str:
    """Return the hex sha256 of a file's bytes (local or remote), read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def latest_version(snapshots_dir: Location) -> str | None:
    """Return the version LATEST points to, or None before the first snapshot."""
    pointer = snapshots_dir / LATEST
    if not pointer.exists():
        return None
    version = pointer.read_text().strip()
    return version or None


def read_manifest(snapshots_dir: Location, version: str) -> dict:
    """Return the manifest of snapshot `version`."""
    return json.loads((snapshots_dir / version / MANIFEST).read_text())


EXPORT_MEMORY = "512MB"  # DuckDB's memory while exporting a snapshot (its default is 80% of the machine)
# Rows per row group of a snapshot file. DuckDB buffers a whole row group while writing it: at its default
# (122,880 rows) the articles' texts alone outgrow EXPORT_MEMORY at ~100,000 articles.
EXPORT_ROW_GROUP = 10_240  # a multiple of the 2,048 rows DuckDB writes at a time (it rounds up to one)
# Bytes of rows sorted at a time (as text, so an overestimate). DuckDB's ordered export of a whole table keeps
# blocks of every sorted run pinned while it merges them: 400,000 articles (1.7 GB) did not fit in EXPORT_MEMORY,
# 100,000 did. A larger table is exported in ranges of its first order column, each sorted on its own, and the
# ranges are joined in order into the one file.
EXPORT_SORT_BYTES = 200 * 2**20
_WIDTH_SAMPLE = 2_000  # rows read to estimate a table's row size


def _literal(value) -> str:
    """Return `value` (a key read back from the table) as a DuckDB SQL literal."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def _rows_per_range(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Return how many rows of `table` fit in EXPORT_SORT_BYTES, from the size of its first rows written as text."""
    (width,) = con.execute(
        f"SELECT avg(strlen(CAST(t AS VARCHAR))) FROM (SELECT * FROM {table} LIMIT {_WIDTH_SAMPLE}) t"
    ).fetchone()
    return max(1, int(EXPORT_SORT_BYTES // max(width or 1, 1)))


def _range_bounds(con: duckdb.DuckDBPyConnection, table: str, key: str, rows: int, per_range: int) -> list:
    """Return increasing values of `key` that cut `table` into ranges of about `per_range` rows."""
    ranges = -(-rows // per_range)
    fractions = ", ".join(str(i / ranges) for i in range(1, ranges))
    (bounds,) = con.execute(f"SELECT quantile_disc({key}, [{fractions}]) FROM {table}").fetchone()
    return sorted({b for b in bounds if b is not None})


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    con.execute(
        f"COPY ({query}) TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {EXPORT_ROW_GROUP})"
    )


def _joined_schema(schemas: list[pa.Schema]) -> pa.Schema:
    """Return the schema of ranges joined into one file: their column types, nullable when any range's is.

    DuckDB marks a column NOT NULL in a file when it knows the rows it writes hold none (a range's filter may
    tell it so), which differs from range to range.
    """
    first = schemas[0]
    return pa.schema(
        [first.field(i).with_nullable(any(s.field(i).nullable for s in schemas)) for i in range(len(first))],
        metadata=first.metadata,
    )


def _export(con: duckdb.DuckDBPyConnection, table: str, order: str, path: Path, scratch: Path) -> None:
    """Write `table` sorted by `order` to the Parquet file `path`, in bounded memory whatever its size; the
    sorted ranges of a large table are written to the folder `scratch` first."""
    (rows,) = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    per_range = _rows_per_range(con, table) if rows else rows
    if rows <= per_range:
        _copy(con, f"SELECT * FROM {table} ORDER BY {order}", path)
        return
    key = order.split(",")[0].strip()
    bounds = _range_bounds(con, table, key, rows, per_range)
    pieces = []
    for i, upper in enumerate([*bounds, None]):
        lower = bounds[i - 1] if i > 0 else None
        where = []
        if upper is not None:
            where.append(f"{key} <= {_literal(upper)}")
        if lower is not None:
            above = f"{key} > {_literal(lower)}"
            # ORDER BY puts NULLs last: the last range takes them
            where.append(above if upper is not None else f"({above} OR {key} IS NULL)")
        piece = scratch / f"{table}.range-{i:05d}.parquet"
        _copy(con, f"SELECT * FROM {table} WHERE {' AND '.join(where) or 'TRUE'} ORDER BY {order}", piece)
        pieces.append(piece)
    try:
        files = [pq.ParquetFile(piece) for piece in pieces]
        schema = _joined_schema([f.schema_arrow for f in files if f.metadata.num_rows])
        with pq.ParquetWriter(path, schema, compression="zstd") as writer:
            for part in files:
                for group in range(part.num_row_groups):
                    writer.write_table(part.read_row_group(group).cast(schema))
    finally:
        for piece in pieces:
            piece.unlink(missing_ok=True)


def _file_entry(path: Path) -> dict:
    meta = pq.ParquetFile(path)
    return {
        "file": path.name,
        "rows": meta.metadata.num_rows,
        "bytes": path.stat().st_size,
        "sha256": sha256_file(path),
        "schema": [{"name": f.name, "type": str(f.type)} for f in meta.schema_arrow],
    }


def _content_digest(files: dict[str, dict]) -> str:
    joined = "\n".join(f"{name}:{entry['sha256']}" for name, entry in sorted(files.items()))
    return hashlib.sha256(joined.encode()).hexdigest()


def publish_snapshot(
    db_path: Location,
    snapshots_dir: Location,
    extractor_version: str,
    data_card: Callable[[str], str],
    keep: int = 10,
    data_root: Location | None = None,
) -> SnapshotResult:
    """Export every table from the DuckDB views into a new snapshot unless it equals LATEST; prune past `keep`.

    `data_root` is the folder whose parts the views read (default: the views file's folder); it matters only
    when the warehouse is on object storage.
    """
    remote = is_remote(snapshots_dir)
    now = datetime.now(UTC)
    version = now.strftime("%Y%m%dT%H%M%S%fZ")
    if remote:
        scratch = Path(tempfile.mkdtemp(prefix="tally-snapshot-"))
        staging = scratch / version
    else:
        snapshots_dir.mkdir(parents=True, exist_ok=True)
        scratch = None
        staging = snapshots_dir / f".staging-{version}"
    staging.mkdir()
    try:
        with connect_views(db_path, data_root) as con, tempfile.TemporaryDirectory(prefix="tally-sort-") as spill:
            # the ordered export sorts whole tables: bounded memory, the rest of the sort goes to disk
            con.execute(f"SET memory_limit = '{EXPORT_MEMORY}'")
            con.execute(f"SET temp_directory = '{spill}'")
            for table, order in SNAPSHOT_TABLES.items():
                _export(con, table, order, staging / f"{table}.parquet", Path(spill))
        files = {table: _file_entry(staging / f"{table}.parquet") for table in SNAPSHOT_TABLES}
        digest = _content_digest(files)
        current = latest_version(snapshots_dir)
        if current and read_manifest(snapshots_dir, current).get("content_sha256") == digest:
            shutil.rmtree(staging)
            return SnapshotResult(current, snapshots_dir / current, False, read_manifest(snapshots_dir, current))
        manifest = {
            "version": version,
            "created_at": now.isoformat(),
            "extractor_version": extractor_version,
            "content_sha256": digest,
            "tables": files,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        (staging / DATA_CARD).write_text(data_card(version))
        if remote:
            # the manifest last: until it is there, list_versions does not count the version
            for name in [*(entry["file"] for entry in files.values()), DATA_CARD, MANIFEST]:
                upload_file(staging / name, snapshots_dir / version / name)
        else:
            staging.rename(snapshots_dir / version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    atomic_write_bytes(snapshots_dir / LATEST, (version + "\n").encode())
    prune_snapshots(snapshots_dir, keep)
    return SnapshotResult(version, snapshots_dir / version, True, manifest)


def list_versions(snapshots_dir: Location) -> list[str]:
    """Return the complete snapshot versions, oldest first."""
    if not snapshots_dir.exists():
        return []
    return sorted(p.name for p in snapshots_dir.iterdir() if p.is_dir() and (p / MANIFEST).exists())


def prune_snapshots(snapshots_dir: Location, keep: int) -> list[str]:
    """Delete the oldest versions beyond `keep` (never the one LATEST names); return the deleted versions."""
    current = latest_version(snapshots_dir)
    versions = [v for v in list_versions(snapshots_dir) if v != current]
    excess = max(0, len(versions) + (1 if current else 0) - max(keep, 1))
    doomed = versions[:excess]
    for version in doomed:
        remove_tree(snapshots_dir / version)
    return doomed


def verify_snapshot(snapshots_dir: Location, version: str | None = None) -> list[str]:
    """Return the problems found re-checking a snapshot's files against its manifest (empty when it is intact)."""
    version = version or latest_version(snapshots_dir)
    if version is None:
        return ["no snapshot has been published yet"]
    folder = snapshots_dir / version
    if not (folder / MANIFEST).exists():
        return [f"snapshot {version}: no manifest.json"]
    problems = []
    manifest = read_manifest(snapshots_dir, version)
    for table, entry in manifest["tables"].items():
        path = folder / entry["file"]
        if not path.exists():
            problems.append(f"{table}: {entry['file']} is missing")
            continue
        if path.stat().st_size != entry["bytes"]:
            problems.append(f"{table}: size {path.stat().st_size} != manifest {entry['bytes']}")
        actual = sha256_file(path)
        if actual != entry["sha256"]:
            problems.append(f"{table}: sha256 {actual} != manifest {entry['sha256']}")
    return problems
