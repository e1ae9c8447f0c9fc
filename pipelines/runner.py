"""Materialize the whole pipeline in-process, recording the run in DAGSTER_HOME so the UI shows it."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from assets.locking import writer_lock
from assets.shards import ALL_SHARDS_TAGS
from pipelines.resources import resources_for

INSTANCE_LOCK = ".tally-instance.lock"  # in DAGSTER_HOME


def home_instance(timeout_s: float = 120) -> dg.DagsterInstance:
    """Return the DAGSTER_HOME instance, its storages opened under a lock in that folder.

    Opening a new DAGSTER_HOME creates its SQLite tables; two runs starting together would both create them and
    one would fail ("table secondary_indexes already exists"). Under the lock the second run finds them made.
    """
    home = os.environ.get("DAGSTER_HOME")
    if not home:
        return dg.DagsterInstance.get()
    with writer_lock(Path(home) / INSTANCE_LOCK, timeout_s):
        instance = dg.DagsterInstance.get()
        # each storage creates its tables when first opened
        instance.get_runs(limit=1)
        instance.event_log_storage.get_maximum_record_id()
        if instance.schedule_storage is not None:
            instance.schedule_storage.all_instigator_state()
    return instance


def materialize_all(
    data_dir: Path | None = None, sources: list[Path] | None = None, instance: dg.DagsterInstance | None = None,
    log_level: str = "INFO", job: str = "tally_job",
) -> dg.ExecuteInJobResult:
    """Materialize the assets of `job` (every asset by default; "inbox_job" skips the snapshot) with their checks.

    The run covers every extraction shard (the partition range "0".."f"), so it extracts every pending article.
    """
    from pipelines.definitions import defs
    from pipelines.jobs import inbox_job, tally_job

    selection = {"tally_job": tally_job, "inbox_job": inbox_job}[job].selection
    assets = list(defs.assets or [])
    instance = instance or home_instance()
    return dg.materialize(
        assets,
        selection=selection,
        resources=resources_for(data_dir, sources),
        instance=instance,
        raise_on_error=False,
        tags=ALL_SHARDS_TAGS,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
    )


def summary(result: dg.ExecuteInJobResult) -> str:
    """Return one line per materialization and check of a run, for the terminal."""
    lines = [f"run {result.run_id}: {'success' if result.success else 'FAILED'}"]
    shown = set()
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        if mat.asset_key in shown:  # a partitioned asset has one event per shard, all with the run's metadata
            continue
        shown.add(mat.asset_key)
        meta = {k: v.value for k, v in mat.metadata.items() if k in {"dagster/row_count", "new_articles",
                                                                      "new_figures", "version", "created"}}
        lines.append(f"  materialized {mat.asset_key.to_user_string():<16} {meta}")
    for check in result.get_asset_check_evaluations():
        status = "passed" if check.passed else f"FAILED ({check.severity.value})"
        lines.append(f"  check {check.asset_key.to_user_string()}:{check.check_name} {status}")
    return "\n".join(lines)
