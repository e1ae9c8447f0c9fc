"""The warehouse on disk: each table is a folder of immutable Parquet part files, written atomically.

A part file appears under its final name only once it is complete (written to a temporary name in the same
folder, then renamed), so a reader or a killed run never sees half a file. Part names are derived from their
content, so a run that is re-done after a crash rewrites the same part rather than adding a second copy.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

PART_SUFFIX = ".parquet"
EMPTY_PART = "_empty.parquet"  # zero rows: keeps the table's schema readable before any data arrives


def local_path(location: str | Path) -> Path:
    """Return the local folder of a storage location: a path, or an fsspec-style `file://` URL.

    Other schemes (s3://, gs://, ...) are refused with a clear error: the warehouse writes local files (atomic
    renames, an flock writer lock), so object storage is mounted as a folder for now (README, "Running on more
    than one machine").
    """
    if isinstance(location, Path):
        return location
    parts = urlsplit(location)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"file:// URL with a remote host is not a local folder: {location}")
        return Path(unquote(parts.path))
    if len(parts.scheme) > 1:  # one letter is a Windows drive, not a scheme
        raise ValueError(
            f"{parts.scheme}:// storage is not supported yet: mount it as a folder and give that path ({location})"
        )
    return Path(location)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one."""
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


def atomic_write_table(path: Path, table: pa.Table, compression: str = "zstd") -> None:
    """Write an Arrow table as Parquet at `path` atomically (temporary file in the same folder, then rename)."""
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


def to_arrow(df: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    """Return `df` as an Arrow table of exactly `schema` (column order and types)."""
    return pa.Table.from_pandas(df[schema.names], schema=schema, preserve_index=False)


def part_name(keys: Iterable[str], prefix: str = "part") -> str:
    """Return a part file name derived from the sorted keys of its rows, so a re-done write reuses it."""
    digest = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:20]
    return f"{prefix}-{digest}{PART_SUFFIX}"


class TableStore:
    """One table of the warehouse: a folder of Parquet parts that share one Arrow schema."""

    def __init__(self, root: Path, name: str, schema: pa.Schema):
        self.name = name
        self.dir = Path(root) / name
        self.schema = schema

    def ensure(self) -> None:
        """Create the folder and its zero-row schema part, so the table can be read before it has data."""
        empty = self.dir / EMPTY_PART
        if not empty.exists():
            atomic_write_table(empty, self.schema.empty_table())

    def parts(self) -> list[Path]:
        """Return the complete part files of the table, oldest name first (temporary files excluded)."""
        if not self.dir.exists():
            return []
        return sorted(p for p in self.dir.glob(f"*{PART_SUFFIX}") if not p.name.startswith("."))

    def append(self, df: pd.DataFrame, keys: Iterable[str], prefix: str = "part") -> Path | None:
        """Write `df` as one new part named after `keys`; return its path, or None when `df` is empty."""
        self.ensure()
        if df.empty:
            return None
        path = self.dir / part_name(keys, prefix)
        atomic_write_table(path, to_arrow(df, self.schema))
        return path

    def read(self, columns: list[str] | None = None, filter=None) -> pd.DataFrame:
        """Return the rows of every part (optionally only `columns`, rows matching an Arrow `filter`)."""
        parts = self.parts()
        if not parts:
            return self.schema.empty_table().to_pandas()[columns or self.schema.names]
        dataset = ds.dataset([str(p) for p in parts], schema=self.schema, format="parquet")
        return dataset.to_table(columns=columns, filter=filter).to_pandas()

    def iter_batches(self, columns: list[str] | None = None, filter=None, batch_size: int = 5000):
        """Yield the rows of every part as data frames of at most `batch_size` rows, without loading the table."""
        parts = self.parts()
        if not parts:
            return
        dataset = ds.dataset([str(p) for p in parts], schema=self.schema, format="parquet")
        for record_batch in dataset.to_batches(columns=columns, filter=filter, batch_size=batch_size):
            if record_batch.num_rows:
                yield record_batch.to_pandas()

    def read_part(self, path: Path) -> pd.DataFrame:
        """Return the rows of one part file, typed by the table's schema."""
        return pq.read_table(path, schema=self.schema).to_pandas()

    def drop_parts_without(self, column: str, value: str) -> list[Path]:
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
            values = pq.read_table(path, columns=[column]).column(column).unique().to_pylist()
            if value not in values:
                path.unlink()
                dropped.append(path)
        return dropped

    def count(self, filter=None) -> int:
        """Return the number of rows over all parts (matching an Arrow `filter`), without loading the rows."""
        if filter is None:
            return sum(pq.ParquetFile(p).metadata.num_rows for p in self.parts())
        parts = self.parts()
        if not parts:
            return 0
        return ds.dataset([str(p) for p in parts], schema=self.schema, format="parquet").count_rows(filter=filter)

    def glob(self) -> str:
        """Return the absolute glob that matches the table's parts, for DuckDB's read_parquet."""
        return str(self.dir.resolve() / f"*{PART_SUFFIX}")
