"""The whole pipeline through Dagster into a temporary data folder, read back through DuckDB."""

import json
import shutil

import dagster as dg
import duckdb
import pandas as pd
import pytest

from pipelines.query import run_query
from pipelines.runner import materialize_all
from tests.conftest import SEED_FIGURES, SEEDS


def materialize(data, sources):
    result = materialize_all(data, sources, instance=dg.DagsterInstance.ephemeral(), log_level="WARNING")
    assert result.success
    return result


def figures_of(data):
    return run_query(
        "SELECT category, value, value_low, value_high, qualifier, party, actor, modality FROM figures",
        data / "tally.duckdb", data,
    )


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def test_the_seed_article_gives_exactly_its_seven_figures(data):
    result = materialize(data, [SEEDS])
    rows = {tuple(None if pd.isna(v) else v for v in row) for row in figures_of(data).itertuples(index=False)}
    assert rows == SEED_FIGURES
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert all(checks.values()), checks


def test_a_second_run_adds_nothing_and_keeps_the_snapshot(data):
    materialize(data, [SEEDS])
    latest = (data / "snapshots" / "LATEST").read_text()
    materialize(data, [SEEDS])
    counts = run_query(
        "SELECT (SELECT count(*) FROM articles) a, (SELECT count(*) FROM figures) f, "
        "(SELECT count(DISTINCT figure_id) FROM figures) d", data / "tally.duckdb", data)
    assert counts.iloc[0].tolist() == [1, 7, 7]
    assert (data / "snapshots" / "LATEST").read_text() == latest


def test_bad_inputs_are_rejected_with_reasons_and_the_run_goes_on(data, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty.txt").write_text("")
    (inbox / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    (inbox / "mixed.jsonl").write_text(
        json.dumps({"id": "n1", "title": "Clash", "text": "Three soldiers were killed on Monday.",
                    "published": "2025-02-30"}) + "\n{not json\n"
    )
    result = materialize(data, [SEEDS, inbox])
    reasons = run_query("SELECT reason FROM article_rejects ORDER BY reason", data / "tally.duckdb", data)
    assert reasons["reason"].tolist() == ["binary", "empty", "malformed_json"]
    articles = run_query("SELECT source_id, date_status FROM articles ORDER BY source_id", data / "tally.duckdb", data)
    assert articles.values.tolist() == [["403", "ok"], ["n1", "invalid"]]
    accounting = [c for c in result.get_asset_check_evaluations() if c.check_name == "inputs_accounted_for"]
    assert accounting[0].passed


def test_new_articles_are_extracted_without_re_reading_old_ones(data, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    materialize(data, [SEEDS, inbox])
    shutil.copy(SEEDS / "000_410c8fd8b902e478.txt", inbox / "copy.txt")
    new = {"id": "n2", "title": "Attack", "text": "Twelve soldiers were killed."}
    (inbox / "new.jsonl").write_text(json.dumps(new))
    result = materialize(data, [SEEDS, inbox])
    meta = {
        e.event_specific_data.materialization.asset_key.to_user_string(): e.event_specific_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    assert meta["articles"]["unchanged_files_skipped"].value == 1  # seeds/ was read whole last time
    assert meta["articles"]["duplicates"].value == 1  # the seed's copy in the inbox
    assert meta["articles"]["new_articles"].value == 1
    assert meta["figures"]["articles_read"].value == 1


def test_a_changed_file_is_read_again(data, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    feed = inbox / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "title": "One", "text": "Two soldiers were wounded."}) + "\n")
    materialize(data, [inbox])
    with feed.open("a") as handle:
        handle.write(json.dumps({"id": "b", "title": "Two", "text": "Nine soldiers were wounded."}) + "\n")
    result = materialize(data, [inbox])
    [articles] = [e.event_specific_data.materialization.metadata for e in result.get_asset_materialization_events()
                  if e.event_specific_data.materialization.asset_key.to_user_string() == "articles"]
    assert articles["unchanged_files_skipped"].value == 0
    assert (articles["new_articles"].value, articles["duplicates"].value) == (1, 1)


def test_views_use_absolute_paths_so_any_working_directory_reads_them(data, monkeypatch, tmp_path):
    materialize(data, [SEEDS])
    monkeypatch.chdir(tmp_path)
    with duckdb.connect(str(data / "tally.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM figures").fetchone()[0] == 7
        sql = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'articles'").fetchone()[0]
    assert str(data.resolve()) in sql


def test_a_mixed_inbox_gives_every_good_article_once_and_every_bad_file_a_reason(data, tmp_path):
    """The ingestion issue's acceptance: good and broken files of every format dropped in the inbox."""
    fixtures = SEEDS.parent / "tests" / "sources" / "fixtures"
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS / "samples", inbox)  # one good article per format
    for name in ["page_no_text.html", "not_a_feed.rss", "seed_header_only.txt", "latin1.txt", "mixed.jsonl"]:
        shutil.copy(fixtures / name, inbox / name)
    shutil.copy(SEEDS / "samples" / "page.html", inbox / "page-again.html")  # the same article twice
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "blob.jsonl").write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)))
    first = materialize(data, [inbox])
    db = data / "tally.duckdb"
    articles = run_query("SELECT location, date_status FROM articles ORDER BY location", db, data)
    rejects = run_query("SELECT location, reason FROM article_rejects ORDER BY location", db, data)
    reasons = dict(zip(rejects["location"], rejects["reason"], strict=True))
    assert {k.rsplit("/", 1)[-1]: v for k, v in reasons.items() if ":" not in k} == {
        "page_no_text.html": "no_article_text",
        "not_a_feed.rss": "not_a_feed",
        "seed_header_only.txt": "no_text",
        "empty.txt": "empty",
        "blob.jsonl": "binary",
    }
    assert any(loc.endswith("mixed.jsonl:2") or "mixed.jsonl:" in loc for loc in reasons)  # its bad lines
    locations = set(articles["location"])
    pages = [loc for loc in locations if loc.endswith(("page-again.html", "/page.html"))]
    assert len(pages) == 1, "the same page twice is one article"
    assert any("latin1.txt" in loc for loc in locations), "a legacy encoding is decoded, not rejected"
    assert any("feed.rss" in loc for loc in locations) and any("feed.atom" in loc for loc in locations)
    [accounting] = [c for c in first.get_asset_check_evaluations() if c.check_name == "inputs_accounted_for"]
    assert accounting.passed
    meta = accounting.metadata
    assert meta["inputs"].value == meta["accounted"].value == len(articles) + len(rejects) + meta["duplicates"].value
    materialize(data, [inbox])
    again = run_query("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_rejects)", db, data)
    assert again.iloc[0].tolist() == [len(articles), len(rejects)], "a second run changes nothing"
