"""Dagster resources the assets use: where the data lives, and where the articles come from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from assets.locking import writer_lock
from assets.sources import FileLedger, RawArticle, Reject, SourceSpec, iter_source, load_sources
from assets.storage import TableStore, local_path
from schemas import TABLE_MODELS, arrow_schema


class TallyStore(dg.ConfigurableResource):
    """The data folder: Parquet warehouse, DuckDB views file and snapshots."""

    data_dir: str  # a folder, or a file:// URL (fsspec style)
    keep_snapshots: int = 10
    extract_workers: int = 0  # worker processes for extraction; 0 = one per core
    lock_timeout_s: float = 600.0  # how long a run waits for another run's writes before giving up

    def writing(self):
        """Return a context manager that holds the warehouse's writer lock (one writing run at a time)."""
        return writer_lock(self.root / ".writer.lock", self.lock_timeout_s)

    @property
    def root(self) -> Path:
        return local_path(self.data_dir).resolve()

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
    """Where articles come from: the sources of pipelines/sources.toml, or an explicit list of folders."""

    config_path: str
    root: str
    state_dir: str
    folders: list[str] = []  # when set, these folders (top level) are read instead of the configured sources

    def specs(self) -> list[SourceSpec]:
        """Return the enabled sources to read, in order."""
        if self.folders:
            return [
                SourceSpec(name=Path(folder).name or "folder", kind="folder", path=str(Path(folder).resolve()))
                for folder in self.folders
            ]
        return [spec for spec in load_sources(self.config_path) if spec.enabled]

    def ledger(self) -> FileLedger:
        """Return the ledger of files already read whole (kept in the state folder)."""
        return FileLedger.load(Path(self.state_dir) / "files.json")

    def records(self, ledger: FileLedger | None = None) -> Iterator[RawArticle | Reject]:
        """Yield one article or reject per input of every source, in a stable order (unchanged files skipped)."""
        state_dir = Path(self.state_dir)
        for spec in self.specs():
            yield from iter_source(spec, root=Path(self.root), state_dir=state_dir, ledger=ledger)
