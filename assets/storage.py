"""The warehouse's storage: each table is a folder of immutable Parquet part files, written atomically.

A location is a local folder (a path or a `file://` URL) or any fsspec URL (`s3://bucket/prefix`, `gs://...`).
Local folders are plain `pathlib.Path`s and behave exactly as before; other URLs are `upath.UPath`s, whose
filesystem (`.fs`) pyarrow and DuckDB read through.

A part file appears under its final name only once it is complete: on a local disk it is written to a temporary
name in the same folder, then renamed; on object storage a single PUT of the whole object is already atomic (an
object is either absent or complete), so the bytes are built in memory and sent in one request. Part names are
derived from their content, so a run that is re-done after a crash rewrites the same part rather than adding a
second copy.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeAlias
from urllib.parse import unquote, urlsplit

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from upath import UPath

PART_SUFFIX = ".parquet"
EMPTY_PART = "_empty.parquet"  # zero rows: keeps the table's schema readable before any data arrives
# Object stores whose fsspec filesystems cache directory listings: the warehouse is written by other processes
# and machines, so a cached listing would hide their new parts. Listings are always asked for afresh.
LISTING_CACHED = {"s3", "s3a", "gs", "gcs", "abfs", "abfss", "az", "adl"}

Location: TypeAlias = Path | UPath


def _scheme(location: str) -> str:
    scheme = urlsplit(location).scheme
    return scheme if len(scheme) > 1 else ""  # one letter is a Windows drive, not a scheme


def is_remote(location: str | os.PathLike) -> bool:
    """Return True when `location` is an fsspec URL other than a local folder (s3://, gs://, memory://, ...)."""
    if isinstance(location, UPath):
        return location.protocol not in ("", "file", "local")
    if isinstance(location, os.PathLike):
        return False
    return _scheme(location) not in ("", "file", "local")


def local_path(location: str | os.PathLike) -> Path:
    """Return the local folder of a storage location: a path, or an fsspec-style `file://` URL.

    Raises ValueError for remote URLs (s3://, gs://, ...): use `storage_location` for those.
    """
    if isinstance(location, Path):
        return location
    location = os.fspath(location)
    parts = urlsplit(location)
    if parts.scheme in ("file", "local"):
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"file:// URL with a remote host is not a local folder: {location}")
        return Path(unquote(parts.path))
    if _scheme(location):
        raise ValueError(f"{parts.scheme}:// is not a local folder: {location}")
    return Path(location)


def storage_location(location: str | os.PathLike, storage_options: dict | None = None) -> Location:
    """Return `location` as a resolved local `Path`, or as a `UPath` on its fsspec filesystem.

    `storage_options` go to the filesystem (e.g. `{"client_kwargs": {"endpoint_url": ...}}` for s3fs); without
    them the filesystem reads its usual environment (AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL, ...).
    """
    if isinstance(location, UPath) and is_remote(location):
        return location
    if not is_remote(location):
        return local_path(location).resolve()
    url = os.fspath(location)
    options = dict(storage_options or {})
    if _scheme(url) in LISTING_CACHED:
        options.setdefault("use_listings_cache", False)
    return UPath(url, **options)


def fs_and_path(location: Location):
    """Return (filesystem, path) for pyarrow's `filesystem=` arguments: (None, str) for a local path."""
    if isinstance(location, UPath) and is_remote(location):
        return location.fs, location.path
    return None, str(location)


def url_of(location: Location) -> str:
    """Return the absolute URL (remote) or absolute path (local) of `location`, for DuckDB and for people."""
    if isinstance(location, UPath) and is_remote(location):
        return str(location)
    return str(Path(location).resolve())


def register_filesystems(con: duckdb.DuckDBPyConnection, locations: Iterable[Location]) -> None:
    """Let DuckDB read the remote `locations` through their fsspec filesystems (no httpfs extension needed)."""
    seen: set[int] = set()
    for location in locations:
        fs, _ = fs_and_path(location)
        if fs is not None and id(fs) not in seen:
            seen.add(id(fs))
            con.register_filesystem(fs)


def duckdb_connect(locations: Iterable[Location] = ()) -> duckdb.DuckDBPyConnection:
    """Return an in-memory DuckDB connection that can read `locations` (local paths always; remote ones through
    their fsspec filesystems)."""
    con = duckdb.connect()
    register_filesystems(con, locations)
    return con


def atomic_write_bytes(path: Location, data: bytes) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one."""
    fs, remote = fs_and_path(path)
    if fs is not None:
        fs.pipe_file(remote, data)  # one PUT: the object is replaced whole or not at all
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_table(path: Location, table: pa.Table, compression: str = "zstd") -> None:
    """Write an Arrow table as Parquet at `path` atomically (locally: temporary file, then rename; on object
    storage: the whole file in one PUT, so a failed write never leaves a truncated object)."""
    fs, remote = fs_and_path(path)
    if fs is not None:
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression=compression)
        fs.pipe_file(remote, sink.getvalue().to_pybytes())
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression=compression)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def upload_file(local: Path, dest: Location) -> None:
    """Copy a complete local file to `dest`: a rename-free copy locally, an upload (atomic per object) remotely."""
    fs, remote = fs_and_path(dest)
    if fs is None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(local, dest)
    else:
        fs.put_file(str(local), remote)


def download_file(source: Location, local: Path) -> None:
    """Copy `source` (local or remote) to the local file `local`."""
    fs, remote = fs_and_path(source)
    if fs is None:
        shutil.copyfile(source, local)
    else:
        fs.get_file(remote, str(local))


def remove_tree(location: Location) -> None:
    """Delete a folder (or prefix of objects) and everything under it."""
    fs, remote = fs_and_path(location)
    if fs is None:
        shutil.rmtree(location)
    else:
        fs.rm(remote, recursive=True)


def list_files(folder: Location, suffix: str = "") -> list[Location]:
    """Return the files directly in `folder` whose names end with `suffix`, by name (hidden names excluded).

    A remote listing is asked for afresh each time: other processes and machines add files.
    """
    fs, remote = fs_and_path(folder)
    if fs is None:
        if not folder.exists():
            return []
        return sorted(p for p in folder.glob(f"*{suffix}") if not p.name.startswith("."))
    fs.invalidate_cache(remote)
    try:
        entries = fs.ls(remote, detail=True)
    except FileNotFoundError:
        return []
    names = sorted(
        e["name"].rstrip("/").rsplit("/", 1)[-1] for e in entries if e.get("type") == "file"
    )
    return [folder / n for n in names if n.endswith(suffix) and not n.startswith(".")]


def part_rows(path: Location) -> int:
    """Return the number of rows of a Parquet file, read from its footer."""
    fs, where = fs_and_path(path)
    return pq.read_metadata(where, filesystem=fs).num_rows


def read_schema(path: Location) -> pa.Schema:
    """Return the Arrow schema (with its metadata) stored in a Parquet file."""
    fs, where = fs_and_path(path)
    return pq.read_schema(where, filesystem=fs)


def to_arrow(df: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    """Return `df` as an Arrow table of exactly `schema` (column order and types)."""
    return pa.Table.from_pandas(df[schema.names], schema=schema, preserve_index=False)


def part_name(keys: Iterable[str], prefix: str = "part") -> str:
    """Return a part file name derived from the sorted keys of its rows, so a re-done write reuses it."""
    digest = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:20]
    return f"{prefix}-{digest}{PART_SUFFIX}"


class TableStore:
    """One table of the warehouse: a folder of Parquet parts that share one Arrow schema.

    `root` is a local folder or a remote location (see `storage_location`); a string is resolved by it.
    """

    def __init__(self, root: Location | str, name: str, schema: pa.Schema):
        root = storage_location(root) if isinstance(root, str) else root
        self.name = name
        self.dir: Location = root / name
        self.schema = schema
        self._fs, _ = fs_and_path(self.dir)

    @property
    def remote(self) -> bool:
        return self._fs is not None

    def ensure(self) -> None:
        """Create the folder and its zero-row schema part, so the table can be read before it has data."""
        empty = self.dir / EMPTY_PART
        if not empty.exists():
            atomic_write_table(empty, self.schema.empty_table())

    def parts(self) -> list[Location]:
        """Return the complete part files of the table, oldest name first (temporary files excluded)."""
        return list_files(self.dir, PART_SUFFIX)

    def append(self, df: pd.DataFrame, keys: Iterable[str], prefix: str = "part") -> Location | None:
        """Write `df` as one new part named after `keys`; return its path, or None when `df` is empty."""
        self.ensure()
        if df.empty:
            return None
        path = self.dir / part_name(keys, prefix)
        atomic_write_table(path, to_arrow(df, self.schema))
        # Arrow's allocator keeps freed memory for reuse; handed back after each part, a long backlog grows the
        # process less
        pa.default_memory_pool().release_unused()
        return path

    def dataset(self, parts: Sequence[Location]) -> ds.Dataset:
        """Return a pyarrow dataset over `parts` of this table (local or remote), typed by the table's schema."""
        return ds.dataset([fs_and_path(p)[1] for p in parts], schema=self.schema, format="parquet",
                          filesystem=self._fs)

    def _with_fresh_listing(self, read):
        """Return read(parts); on object storage, list again once if a part vanished in between.

        Parts are only ever deleted when superseded (drop_parts_without), and on object storage no file lock
        keeps a reader and that clean-up apart, so a listing can name a part that is gone by the time it is read;
        the fresh listing no longer holds it.
        """
        try:
            return read(self.parts())
        except FileNotFoundError:
            if not self.remote:
                raise
            return read(self.parts())

    def read(self, columns: list[str] | None = None, filter=None) -> pd.DataFrame:
        """Return the rows of every part (optionally only `columns`, rows matching an Arrow `filter`)."""
        return self.read_table(columns, filter).to_pandas()

    def read_table(self, columns: list[str] | None = None, filter=None) -> pa.Table:
        """Return the rows of every part as an Arrow table (a few times smaller than a frame of Python strings)."""

        def read(parts):
            if not parts:
                return self.schema.empty_table().select(columns or self.schema.names)
            return self.dataset(parts).to_table(columns=columns, filter=filter)

        return self._with_fresh_listing(read)

    def iter_batches(
        self, columns: list[str] | None = None, filter=None, batch_size: int = 5000,
        parts: Sequence[Location] | None = None,
    ):
        """Yield the rows of every part (or of `parts`) as data frames of at most `batch_size` rows, without loading
        the table."""
        parts = self.parts() if parts is None else parts
        if not parts:
            return
        # A threaded scan decodes far ahead of a consumer that takes one batch at a time, whatever its readahead
        # settings (hundreds of MB of article text); one thread with a readahead of one keeps a row group or so
        scan = self.dataset(parts).to_batches(
            columns=columns, filter=filter, batch_size=batch_size, batch_readahead=1, fragment_readahead=1,
            use_threads=False,
        )
        for record_batch in scan:
            if record_batch.num_rows:
                yield record_batch.to_pandas()

    def parts_holding(self, index: pa.Table, parts: Sequence[Location]) -> list[Location]:
        """Return the `parts` (in their order) that hold a row of `index`, a read of this table with the special
        column "__filename" (the path pyarrow's scanner names each row's file by)."""
        held = set(index["__filename"].to_pylist())
        return [p for p in parts if fs_and_path(p)[1] in held]

    def read_part(self, path: Location) -> pd.DataFrame:
        """Return the rows of one part file, typed by the table's schema."""
        return self.read_arrow(path).to_pandas()

    def read_arrow(self, path: Location) -> pa.Table:
        """Return one part file as an Arrow table of the table's schema."""
        fs, where = fs_and_path(path)
        return pq.read_table(where, schema=self.schema, filesystem=fs)

    def read_if_changed(self, path: Location, written: pd.DataFrame | None) -> pa.Table | None:
        """Return one part file as Arrow, or None when it reads back equal to the rows `written` to it.

        The comparison runs in Arrow: checking a stored part against rows already validated costs no Python
        object per cell. With `written` None the part is always returned.
        """
        stored = self.read_arrow(path)
        if written is not None and stored.equals(to_arrow(written, self.schema)):
            return None
        return stored

    def drop_parts_without(self, column: str, value: str) -> list[Location]:
        """Delete the parts in which no row has `column == value` (e.g. another extractor version's figures).

        Returns the deleted paths. Parts are written one extractor version each, so a part either belongs to
        the current version or is entirely superseded.
        """
        if column not in self.schema.names:
            return []
        dropped = []
        for path in self.parts():
            if path.name == EMPTY_PART:
                continue
            fs, where = fs_and_path(path)
            values = pq.read_table(where, columns=[column], filesystem=fs).column(column).unique().to_pylist()
            if value not in values:
                path.unlink()
                dropped.append(path)
        return dropped

    def count(self, filter=None) -> int:
        """Return the number of rows over all parts (matching an Arrow `filter`), without loading the rows."""

        def count(parts):
            if filter is None:
                return sum(part_rows(p) for p in parts)
            if not parts:
                return 0
            return self.dataset(parts).count_rows(filter=filter)

        return self._with_fresh_listing(count)

    def glob(self) -> str:
        """Return the absolute glob (a path, or a URL on object storage) that matches the table's parts, for
        DuckDB's read_parquet."""
        if self.remote:
            return f"{str(self.dir).rstrip('/')}/*{PART_SUFFIX}"
        return str(self.dir.resolve() / f"*{PART_SUFFIX}")
