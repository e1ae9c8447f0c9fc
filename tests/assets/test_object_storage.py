"""The warehouse on object storage: the partitioned job, run by the multiprocess executor against a local S3
server (moto, on 127.0.0.1), leaves in the bucket exactly the figures of a local run, and `tally query` and the
snapshot checks read them from there.

Credentials and the endpoint come from the standard AWS environment variables, as on a cluster; the executor's
step processes inherit them.
"""

import logging
import uuid

import dagster as dg
import pandas as pd
import pytest

from assets.resources import WRITER_POOL, TallyStore
from assets.shards import ALL_SHARDS_TAGS, SHARD_KEYS
from pipelines.runner import materialize_all
from tests.assets.test_partitions import figures_in, run_multiprocess, write_inbox

s3fs = pytest.importorskip("s3fs", reason="the s3 extra (pip install -e '.[s3]') is not installed")
moto_server = pytest.importorskip("moto.server", reason="moto[server] (the dev extra) is not installed")

pytestmark = pytest.mark.slow  # a local S3 server and Dagster step processes


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto S3 server on 127.0.0.1 (a free port) for this module's tests, stopped when they are done."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint, monkeypatch, tmp_path):
    """A fresh bucket; AWS_* variables point every process of the test (and Dagster's step processes) at it."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_EC2_METADATA_DISABLED": "true",  # never ask 169.254.169.254 for credentials
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TALLY_STORAGE_OPTIONS", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    name = f"tally-{uuid.uuid4().hex[:12]}"
    fs = s3fs.S3FileSystem(skip_instance_cache=True)
    fs.mkdir(name)
    return name


def test_the_partitioned_job_on_s3_with_the_multiprocess_executor_equals_a_local_run(bucket, monkeypatch, tmp_path):
    inbox = tmp_path / "inbox"
    write_inbox(inbox, n_articles=24)
    local = tmp_path / "local"
    assert materialize_all(local, [inbox], instance=dg.DagsterInstance.ephemeral(), log_level="WARNING").success
    expected = figures_in(local)

    url = f"s3://{bucket}/tally"
    (tmp_path / "dagster_home").mkdir()
    # the instance limits the tally_writer pool to one step at a time, as the README's dagster.yaml does
    pools = {"concurrency": {"pools": {"granularity": "op", "default_limit": 1}}}
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home"), overrides=pools) as instance:
        # every shard in one run, each step in its own process, all of them reading and writing the bucket
        result = run_multiprocess(monkeypatch, url, inbox, instance, ALL_SHARDS_TAGS)
        figures_events = [e.event_specific_data.materialization for e in result.get_asset_materialization_events()
                          if e.event_specific_data.materialization.asset_key == dg.AssetKey("figures")]
        assert sorted(e.partition for e in figures_events) == SHARD_KEYS
        assert all(c.passed for c in result.get_asset_check_evaluations())
        assert instance.event_log_storage.get_concurrency_info(WRITER_POOL).slot_count == 1

    # Run again (in-process): the ledger, the processed-set and LATEST are read back from the bucket, so nothing
    # is read, extracted or published twice.
    again = materialize_all(url, [inbox], instance=dg.DagsterInstance.ephemeral(), log_level="WARNING")
    assert again.success
    metadata = {e.event_specific_data.materialization.asset_key.to_user_string(): e.event_specific_data.materialization
                .metadata for e in again.get_asset_materialization_events()}
    assert metadata["articles"]["new_articles"].value == 0
    assert metadata["figures"]["articles_read"].value == 0
    assert metadata["snapshot"]["created"].value is False

    store = TallyStore(data_dir=url)
    assert store.remote and str(store.root) == url
    pd.testing.assert_frame_equal(figures_in(url), expected)
    pd.testing.assert_frame_equal(figures_in(url), figures_in(local))

    fs = s3fs.S3FileSystem(skip_instance_cache=True)
    keys = set(fs.find(bucket))
    tally = f"{bucket}/tally"
    assert any(k.startswith(f"{tally}/warehouse/figures/part-") for k in keys)
    assert {f"{tally}/tally.duckdb", f"{tally}/snapshots/LATEST", f"{tally}/state/files.json"} <= keys
    assert not any("/." in k for k in keys), "no temporary or lock objects are left in the bucket"

    # the views file in the bucket names the parts by absolute s3:// URLs; tally query reads them through s3fs
    from assets.snapshots import latest_version, verify_snapshot
    from pipelines.query import run_query

    sql = "SELECT count(*) AS n, sum(value) AS total FROM figures"
    remote = run_query(sql, store.duckdb_path, store.root)
    here = run_query(sql, local / "tally.duckdb", local)
    assert remote.iloc[0].tolist() == here.iloc[0].tolist() == [len(expected), int(expected["value"].sum())]
    assert latest_version(store.snapshots_dir) is not None
    assert verify_snapshot(store.snapshots_dir) == []


def test_tally_query_and_snapshot_commands_read_an_s3_warehouse(bucket, monkeypatch, tmp_path, capsys):
    """The `tally` command with TALLY_DATA_DIR=s3://... (endpoint given as storage options, not AWS_ENDPOINT_URL)."""
    import json
    import os

    from pipelines.cli import main
    from tests.conftest import SEEDS

    endpoint = os.environ["AWS_ENDPOINT_URL"]
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    monkeypatch.setenv("TALLY_STORAGE_OPTIONS", json.dumps({"client_kwargs": {"endpoint_url": endpoint}}))
    url = f"s3://{bucket}/cli"
    monkeypatch.setenv("TALLY_DATA_DIR", url)
    assert materialize_all(None, [SEEDS], instance=dg.DagsterInstance.ephemeral(), log_level="WARNING").success
    capsys.readouterr()
    assert main(["query", "SELECT count(*) AS n FROM figures", "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "7"]
    # the sandbox holds on object storage too: nothing outside the data prefix can be read
    secret = f"s3://{bucket}/elsewhere/secret.parquet"
    s3fs.S3FileSystem(skip_instance_cache=True, client_kwargs={"endpoint_url": endpoint}).copy(
        f"{bucket}/cli/warehouse/figures/_empty.parquet", secret[len("s3://"):])
    for path in (secret, f"s3://{bucket}/cli/../elsewhere/secret.parquet"):
        assert main(["query", f"SELECT count(*) FROM read_parquet('{path}')"]) != 0, path
        out, err = capsys.readouterr()
        assert out == "" and ("refused" in err or path != secret), err
    assert main(["snapshot", "--verify"]) == 0
