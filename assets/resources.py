"""Dagster resources the assets use: where the data lives, and where the articles come from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from assets.locking import writer_lock
from assets.sources import RawArticle, Reject, read_text_file
from assets.storage import TableStore
from schemas import TABLE_MODELS, arrow_schema

READABLE_SUFFIXES = {".txt", ".jsonl", ".ndjson"}


class TallyStore(dg.ConfigurableResource):
    """The data folder: Parquet warehouse, DuckDB views file and snapshots."""

    data_dir: str
    keep_snapshots: int = 10
    extract_workers: int = 0  # worker processes for extraction; 0 = one per core
    lock_timeout_s: float = 600.0  # how long a run waits for another run's writes before giving up

    def writing(self):
        """Return a context manager that holds the warehouse's writer lock (one writing run at a time)."""
        return writer_lock(self.root / ".writer.lock", self.lock_timeout_s)

    @property
    def root(self) -> Path:
        return Path(self.data_dir).resolve()

    @property
    def warehouse_dir(self) -> Path:
        return self.root / "warehouse"

    @property
    def duckdb_path(self) -> Path:
        return self.root / "tally.duckdb"

    @property
    def snapshots_dir(self) -> Path:
        return self.root / "snapshots"

    def table(self, name: str) -> TableStore:
        """Return the store of table `name` (one of schemas.TABLE_MODELS)."""
        return TableStore(self.warehouse_dir, name, arrow_schema(TABLE_MODELS[name]))


class ArticleSources(dg.ConfigurableResource):
    """The folders whose files are read as articles (seed text, JSON Lines, plain text)."""

    folders: list[str]

    def records(self) -> Iterator[RawArticle | Reject]:
        """Yield one article or reject per input found in the folders, in a stable order."""
        for folder in self.folders:
            base = Path(folder)
            if not base.is_dir():
                continue
            for path in sorted(p for p in base.rglob("*") if p.is_file() and not p.name.startswith(".")):
                if path.suffix.lower() not in READABLE_SUFFIXES:
                    yield Reject(str(base), str(path), "unsupported_format", f"no reader for {path.suffix!r} files")
                    continue
                yield from read_text_file(path, source=base.name or str(base))
