"""The inbox sensor and the daily schedule, through Dagster's own test contexts."""

import dagster as dg

from pipelines.definitions import defs
from pipelines.schedules import daily_schedule
from pipelines.sensors import inbox_sensor


def evaluate(monkeypatch, data_dir, cursor=None):
    monkeypatch.setenv("TALLY_DATA_DIR", str(data_dir))
    with dg.build_sensor_context(cursor=cursor, definitions=defs) as context:
        result = inbox_sensor.evaluate_tick(context)
    return result


def test_an_empty_inbox_requests_no_run(monkeypatch, tmp_path):
    (tmp_path / "inbox").mkdir()
    result = evaluate(monkeypatch, tmp_path)
    assert not result.run_requests and result.skip_message


def test_new_files_request_one_run_and_the_same_files_no_second(monkeypatch, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Headline\nBody.\n")
    first = evaluate(monkeypatch, tmp_path)
    assert len(first.run_requests) == 1 and first.run_requests[0].job_name in (None, "inbox_job")
    again = evaluate(monkeypatch, tmp_path, cursor=first.cursor)
    assert not again.run_requests
    (inbox / "b.txt").write_text("Another\nBody.\n")
    third = evaluate(monkeypatch, tmp_path, cursor=first.cursor)
    assert len(third.run_requests) == 1
    assert third.run_requests[0].run_key != first.run_requests[0].run_key


def test_dotfiles_being_copied_do_not_trigger(monkeypatch, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / ".partial.txt").write_text("still copying")
    assert not evaluate(monkeypatch, tmp_path).run_requests


def test_the_daily_schedule_requests_the_whole_pipeline():
    context = dg.build_schedule_context(scheduled_execution_time=None)
    data = daily_schedule.evaluate_tick(context)
    assert len(data.run_requests) == 1
    assert daily_schedule.job_name == "tally_job"


def test_the_sensor_and_the_schedule_request_every_extraction_shard(monkeypatch, tmp_path):
    from assets.shards import ALL_SHARDS_TAGS

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Headline\nBody.\n")
    [sensed] = evaluate(monkeypatch, tmp_path).run_requests
    [scheduled] = daily_schedule.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=None)).run_requests
    for request in (sensed, scheduled):
        assert ALL_SHARDS_TAGS.items() <= request.tags.items() and request.partition_key is None
