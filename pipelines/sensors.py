"""Sensors: a run starts when files arrive in (or change in) the inbox folder."""


import hashlib
from pathlib import Path

import dagster as dg

from assets.shards import ALL_SHARDS_TAGS
from pipelines.jobs import inbox_job
from pipelines.settings import PROJECT_ROOT, data_dir


def inbox_fingerprint(inbox: Path) -> str | None:
    """Return a digest of the inbox's file names, sizes and modification times, or None when it holds no files."""
    if not inbox.is_dir():
        return None
    entries = sorted(
        f"{p.relative_to(inbox)}\x1f{p.stat().st_size}\x1f{p.stat().st_mtime_ns}"
        for p in inbox.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    if not entries:
        return None
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()[:20]


def inbox_folder() -> Path:
    """Return the inbox folder the sensor watches: <data>/inbox, or, when the data is on object storage, the
    project's data/inbox (the folder pipelines/sources.toml reads; sources are local folders or feeds)."""
    data = data_dir()
    if isinstance(data, Path):
        return data / "inbox"
    return PROJECT_ROOT / "data" / "inbox"


@dg.sensor(
    name="inbox_sensor",
    job=inbox_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts the pipeline when the files in data/inbox/ change.",
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    """Request one run per new state of the inbox folder, over every extraction shard."""
    fingerprint = inbox_fingerprint(inbox_folder())
    if fingerprint is None or fingerprint == context.cursor:
        return dg.SkipReason("no new files in the inbox")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=f"inbox-{fingerprint}", tags=ALL_SHARDS_TAGS)
