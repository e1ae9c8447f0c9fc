"""Extraction sharded by article: shard runs through Dagster's multiprocess executor add up to an unpartitioned run."""

import json
import random

import dagster as dg
import pandas as pd
import pytest

from assets.extract import pending_batches
from assets.resources import TallyStore
from assets.shards import ALL_SHARDS_TAGS, SHARD_KEYS, shard_filter, shard_of
from extractors import EXTRACTOR_VERSION
from pipelines.runner import materialize_all

TEMPLATES = [
    "{n} soldiers were killed when shelling hit the {place} district.",
    "Officials said {n} civilians were wounded in the attack near {place}.",
    "The two sides exchanged {n} prisoners of war at the border near {place}.",
]
PLACES = ["Northfield", "Eastbrook", "Riverton", "Lakeside"]


def tally_job():
    """The whole pipeline's job, reconstructable in the executor's step processes (they read TALLY_* variables)."""
    from pipelines.definitions import defs

    return defs.resolve_job_def("tally_job")


def write_inbox(inbox, n_articles=48):
    rng = random.Random(5)
    inbox.mkdir(parents=True)
    lines = [
        json.dumps({"id": f"p{i}", "title": f"Report {i}", "published": f"2025-0{1 + i % 9}-1{i % 9}",
                    "text": " ".join(rng.choice(TEMPLATES).format(n=rng.randint(2, 900), place=rng.choice(PLACES))
                                     for _ in range(3))})
        for i in range(n_articles)
    ]
    (inbox / "batch.jsonl").write_text("\n".join(lines) + "\n")


def figures_in(data) -> pd.DataFrame:
    figures = TallyStore(data_dir=str(data)).table("figures").read()
    return figures.sort_values("figure_id").reset_index(drop=True)


def run_multiprocess(monkeypatch, data, inbox, instance, tags):
    monkeypatch.setenv("TALLY_DATA_DIR", str(data))
    monkeypatch.setenv("TALLY_SOURCES", str(inbox))
    result = dg.execute_job(
        dg.reconstructable(tally_job),
        instance=instance,
        run_config={"execution": {"config": {"multiprocess": {"max_concurrent": 2}}},
                    "loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        tags=tags,
    )
    assert result.success
    started = {e.dagster_event.event_type_value for e in instance.all_logs(result.run_id) if e.dagster_event}
    assert "STEP_WORKER_STARTED" in started, "each step ran in its own process"
    return result


def test_shard_filter_selects_articles_by_first_hex_digit():
    assert shard_filter(SHARD_KEYS) is None
    assert shard_of("3fa0c2d19e8b7a65") == "3"
    with pytest.raises(ValueError):
        shard_filter(["g"])


def test_shard_runs_with_the_multiprocess_executor_equal_one_unpartitioned_run(monkeypatch, tmp_path):
    inbox = tmp_path / "inbox"
    write_inbox(inbox)
    whole = tmp_path / "whole"
    assert materialize_all(whole, [inbox], instance=dg.DagsterInstance.ephemeral(), log_level="WARNING").success
    expected = figures_in(whole)
    shards_hit = set(expected["article_id"].map(shard_of))
    assert len(shards_hit) >= 8, "the sample should spread over most shards"
    first = sorted(shards_hit)[0]

    sharded = tmp_path / "sharded"
    (tmp_path / "dagster_home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        # One shard: only that shard's articles are read.
        one = run_multiprocess(monkeypatch, sharded, inbox, instance, {"dagster/partition": first})
        done = TallyStore(data_dir=str(sharded)).table("extractions").read()
        assert set(done["article_id"].map(shard_of)) == {first}
        mine = expected[expected["article_id"].map(shard_of) == first].reset_index(drop=True)
        pd.testing.assert_frame_equal(figures_in(sharded), mine)
        assert one.get_asset_check_evaluations() and all(c.passed for c in one.get_asset_check_evaluations()
                                                        if c.check_name == "figures_contract")

        # The whole range in one run: the other shards are read, the first one is not read again.
        rest = run_multiprocess(monkeypatch, sharded, inbox, instance, ALL_SHARDS_TAGS)
        figures_events = [e.event_specific_data.materialization for e in rest.get_asset_materialization_events()
                          if e.event_specific_data.materialization.asset_key == dg.AssetKey("figures")]
        assert sorted(e.partition for e in figures_events) == SHARD_KEYS
        n_first = int((done["extractor_version"] == EXTRACTOR_VERSION).sum())
        assert figures_events[0].metadata["articles_read"].value == 48 - n_first
    pd.testing.assert_frame_equal(figures_in(sharded), expected)


def test_pending_articles_are_counted_per_shard(tmp_path):
    inbox = tmp_path / "inbox"
    write_inbox(inbox, n_articles=20)
    data = tmp_path / "data"
    # a full run stores the articles; forgetting the processed-set makes every article pending again
    assert materialize_all(data, [inbox], instance=dg.DagsterInstance.ephemeral(), log_level="WARNING").success
    store = TallyStore(data_dir=str(data))
    ids = store.table("articles").read(columns=["article_id"])["article_id"]
    for part in store.table("extractions").parts():
        part.unlink()
    total = 0
    for shard in SHARD_KEYS:
        pending, batches = pending_batches(store, EXTRACTOR_VERSION, shards=[shard])
        read = [aid for batch in batches for aid in batch["article_id"]]
        assert pending == len(read) == int((ids.map(shard_of) == shard).sum())
        assert all(aid.startswith(shard) for aid in read)
        total += pending
    assert total == len(ids) == pending_batches(store, EXTRACTOR_VERSION)[0]


def test_a_run_without_any_partition_still_extracts_every_shard(tmp_path):
    """A run launched with no shard at all (an older caller, a plain materialize) reads every pending article."""
    from pipelines.definitions import defs
    from pipelines.resources import resources_for
    from tests.conftest import SEEDS

    data = tmp_path / "data"
    result = dg.materialize(list(defs.assets or []), resources=resources_for(data, [SEEDS]),
                            instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert result.success
    assert len(figures_in(data)) == 7


def test_only_the_parts_holding_pending_articles_are_read(tmp_path, monkeypatch):
    """An article part whose articles were all extracted is not scanned again for its texts."""
    inbox = tmp_path / "inbox"
    write_inbox(inbox, n_articles=12)
    data = tmp_path / "data"
    assert materialize_all(data, [inbox], instance=dg.DagsterInstance.ephemeral(), log_level="WARNING").success
    second = tmp_path / "inbox2"
    second.mkdir()
    (second / "more.jsonl").write_text(
        json.dumps({"id": "late", "title": "Late report", "text": "Officials said 41 civilians were wounded."}) + "\n"
    )
    store = TallyStore(data_dir=str(data))
    articles = store.table("articles")
    before = {str(p) for p in articles.parts()}
    from assets import ingest
    from pipelines.resources import resources_for

    # ingest alone: the articles table gains a part whose article no extraction has read yet
    result = dg.materialize([ingest.ingest_articles], resources=resources_for(data, [second]),
                            instance=dg.DagsterInstance.ephemeral())
    assert result.success
    (new_part,) = {str(p) for p in articles.parts()} - before
    read_parts = []
    original = type(articles).iter_batches

    def spy(self, *args, parts=None, **kwargs):
        read_parts.append(articles.parts() if parts is None else list(parts))  # None: every part
        return original(self, *args, parts=parts, **kwargs)

    monkeypatch.setattr(type(articles), "iter_batches", spy)
    pending, batches = pending_batches(store, EXTRACTOR_VERSION)
    rows = pd.concat(list(batches))
    assert pending == 1 and rows["title"].tolist() == ["Late report"]
    assert [[str(p) for p in ps] for ps in read_parts] == [[new_part]]
