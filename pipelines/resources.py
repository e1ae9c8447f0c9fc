"""Resources by deployment: local (default) and test both point at folders; TALLY_DATA_DIR moves the data."""

from __future__ import annotations

from pathlib import Path

from assets.resources import ArticleSources, TallyStore
from assets.storage import storage_location
from pipelines import settings


def resources_for(data_dir: Path | str | None = None, sources: list[Path] | None = None) -> dict:
    """Return the resources of a deployment whose data lives in `data_dir` (a folder, or an fsspec URL such as
    s3://bucket/prefix; default TALLY_DATA_DIR).

    Articles come from `sources` folders when given (or TALLY_SOURCES), else from pipelines/sources.toml.
    """
    options = settings.storage_options()
    data = storage_location(data_dir, options) if data_dir else settings.data_dir()
    folders = sources if sources is not None else settings.source_folders()
    return {
        "store": TallyStore(data_dir=str(data), storage_options=options, keep_snapshots=settings.keep_snapshots()),
        "sources": ArticleSources(
            config_path=str(settings.sources_config()),
            root=str(settings.PROJECT_ROOT),
            state_dir=str(data / "state"),
            folders=[str(f) for f in folders],
            storage_options=options,
        ),
    }
