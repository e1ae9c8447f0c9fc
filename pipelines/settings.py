"""Where Tally reads and writes by default; every path can be overridden with an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """Return the data folder (TALLY_DATA_DIR, a path or a file:// URL; default <project>/data)."""
    from assets.storage import local_path

    return local_path(os.environ.get("TALLY_DATA_DIR", PROJECT_ROOT / "data")).resolve()


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
