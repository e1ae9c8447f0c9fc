"""Where Tally reads and writes by default; every path can be overridden with an environment variable."""

from __future__ import annotations

import json
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def data_dir():
    """Return the data folder (TALLY_DATA_DIR; default <project>/data): a local Path for a path or file:// URL,
    a UPath for object storage (s3://bucket/prefix, gs://...), with TALLY_STORAGE_OPTIONS."""
    from assets.storage import storage_location

    return storage_location(os.environ.get("TALLY_DATA_DIR", PROJECT_ROOT / "data"), storage_options())


def storage_options() -> dict:
    """Return the fsspec options for a remote data folder: TALLY_STORAGE_OPTIONS, a JSON object (default {}).

    e.g. '{"client_kwargs": {"endpoint_url": "http://minio:9000"}}' for s3fs. Credentials are better left to the
    filesystem's own environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, ...).
    """
    raw = os.environ.get("TALLY_STORAGE_OPTIONS", "").strip()
    if not raw:
        return {}
    options = json.loads(raw)
    if not isinstance(options, dict):
        raise ValueError(f"TALLY_STORAGE_OPTIONS must be a JSON object, not {raw!r}")
    return options


def source_folders() -> list[Path]:
    """Return the folders TALLY_SOURCES names (':'-separated) to read instead of the sources config; else []."""
    configured = os.environ.get("TALLY_SOURCES", "")
    return [Path(p).resolve() for p in configured.split(os.pathsep) if p]


def sources_config() -> Path:
    """Return the sources config file (TALLY_SOURCES_CONFIG, default <project>/pipelines/sources.toml)."""
    return Path(os.environ.get("TALLY_SOURCES_CONFIG", PROJECT_ROOT / "pipelines" / "sources.toml")).resolve()


def keep_snapshots() -> int:
    """Return how many snapshot versions to keep (TALLY_KEEP_SNAPSHOTS, default 10); older ones are pruned."""
    return max(1, int(os.environ.get("TALLY_KEEP_SNAPSHOTS", "10")))


def dagster_home() -> Path:
    """Return DAGSTER_HOME (default <project>/.dagster_home), created with a dagster.yaml if missing."""
    home = Path(os.environ.get("DAGSTER_HOME", PROJECT_ROOT / ".dagster_home")).resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        # runs and event logs stay in SQLite under this folder; nothing is sent anywhere
        config.write_text("telemetry:\n  enabled: false\n")
    return home
