"""The one Definitions loads, names its assets after the tables, groups them by stage and declares the checks."""

import os
import subprocess
import sys

import dagster as dg

from pipelines.definitions import defs
from tests.conftest import ROOT

EXPECTED_GROUPS = {
    "articles": "ingest",
    "article_rejects": "ingest",
    "figures": "extract",
    "figure_rejects": "extract",
    "claims": "analyze",
    "tally_duckdb": "publish",
    "snapshot": "publish",
}


def test_assets_are_the_tables_grouped_by_stage():
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups == EXPECTED_GROUPS


def test_every_asset_has_a_description_and_owner():
    for spec in defs.resolve_all_asset_specs():
        assert spec.description, spec.key
        assert spec.owners, spec.key


def test_contract_and_accounting_checks_are_declared_with_their_assets():
    checks = {(k.asset_key.to_user_string(), k.name) for k in defs.resolve_asset_graph().asset_check_keys}
    assert ("articles", "inputs_accounted_for") in checks
    assert ("figures", "figures_contract") in checks
    assert ("figure_rejects", "no_figure_rejects") in checks
    assert ("snapshot", "snapshot_checksums_match") in checks
    assert ("claims", "every_figure_in_one_claim") in checks


def test_job_schedule_and_sensor_are_defined():
    assert defs.resolve_job_def("tally_job") is not None
    inbox = {k.to_user_string() for k in defs.resolve_job_def("inbox_job").asset_layer.selected_asset_keys}
    assert "snapshot" not in inbox and {"articles", "figures", "tally_duckdb"} <= inbox
    assert defs.resolve_schedule_def("daily_tally").cron_schedule == "0 6 * * *"
    assert isinstance(defs.resolve_sensor_def("inbox_sensor"), dg.SensorDefinition)


def test_dagster_definitions_validate_passes(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}  # whatever the caller's DAGSTER_HOME, it must exist
    proc = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", str(ROOT / "workspace.yaml")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_steps_that_need_one_writer_share_a_pool_and_shards_do_not():
    """On object storage (no flock) the instance's limit on the tally_writer pool keeps these steps apart."""
    from assets.resources import WRITER_POOL

    pools = {}
    for assets_def in defs.assets or []:
        for key in assets_def.keys:
            pools[key.to_user_string()] = assets_def.op.pool
    writers = {"articles", "article_rejects", "claims", "tally_duckdb", "snapshot"}
    assert {name for name, pool in pools.items() if pool == WRITER_POOL} == writers
    assert pools["figures"] is None and pools["figure_rejects"] is None
