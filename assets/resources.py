"""Dagster resources the assets use: where the data lives, and where the articles come from."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg

from assets.locking import writer_lock
from assets.sources import FileLedger, RawArticle, Reject, SourceSpec, iter_source, load_sources
from assets.storage import Location, TableStore, is_remote, storage_location
from schemas import TABLE_MODELS, arrow_schema

# The Dagster concurrency pool of the steps that must not overlap another run's (ingest, claims, the views file,
# the snapshot). Unlimited unless the instance sets a limit; on object storage, where the flock writer lock does
# not exist, `dagster instance concurrency set tally_writer 1` makes them one at a time (README, cluster section).
WRITER_POOL = "tally_writer"


class TallyStore(dg.ConfigurableResource):
    """The data folder: Parquet warehouse, DuckDB views file and snapshots."""

    data_dir: str  # a folder, a file:// URL, or an fsspec URL of object storage (s3://bucket/prefix, gs://...)
    storage_options: dict[str, Any] = {}  # for the fsspec filesystem of a remote data_dir (endpoint, region, ...)
    keep_snapshots: int = 10
    extract_workers: int = 0  # worker processes for extraction and full claims regroupings; 0 = one per core
    lock_timeout_s: float = 600.0  # how long a run waits for another run's writes before giving up

    @property
    def remote(self) -> bool:
        """True when the data lives on object storage (an fsspec URL), not in a local or mounted folder."""
        return is_remote(self.data_dir)

    def writing(self):
        """Return a context manager that holds the warehouse's writer lock (one writing run at a time).

        On a local (or mounted) folder this is an flock on `.writer.lock`. Object storage has no lock: there,
        parts are immutable objects written in one PUT each, shards never write the same object, and the steps
        that must not overlap (ingest, claims, views, snapshot) share the Dagster pool WRITER_POOL, limited to 1
        by the instance (README, "Running on more than one machine").
        """
        if self.remote:
            return contextlib.nullcontext()
        return writer_lock(self.root / ".writer.lock", self.lock_timeout_s)

    @property
    def root(self) -> Location:
        return storage_location(self.data_dir, self.storage_options)

    @property
    def warehouse_dir(self) -> Location:
        return self.root / "warehouse"

    @property
    def duckdb_path(self) -> Location:
        return self.root / "tally.duckdb"

    @property
    def snapshots_dir(self) -> Location:
        return self.root / "snapshots"

    def table(self, name: str) -> TableStore:
        """Return the store of table `name` (one of schemas.TABLE_MODELS)."""
        return TableStore(self.warehouse_dir, name, arrow_schema(TABLE_MODELS[name]))


class ArticleSources(dg.ConfigurableResource):
    """Where articles come from: the sources of pipelines/sources.toml, or an explicit list of folders."""

    config_path: str
    root: str
    state_dir: str  # a folder or an fsspec URL (the ledger and feed states live beside the warehouse)
    folders: list[str] = []  # when set, these folders (top level) are read instead of the configured sources
    storage_options: dict[str, Any] = {}  # for the fsspec filesystem of a remote state_dir

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
        return FileLedger.load(self.state_location / "files.json")

    @property
    def state_location(self) -> Location:
        return storage_location(self.state_dir, self.storage_options)

    def records(self, ledger: FileLedger | None = None) -> Iterator[RawArticle | Reject]:
        """Yield one article or reject per input of every source, in a stable order (unchanged files skipped)."""
        state_dir = self.state_location
        for spec in self.specs():
            yield from iter_source(spec, root=Path(self.root), state_dir=state_dir, ledger=ledger)
