"""Stages report their progress to in-process listeners (what `tally run` draws as progress bars)."""

import json

import dagster as dg

from assets import progress
from pipelines.runner import materialize_all


def test_ingest_and_extract_report_progress_up_to_their_totals(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lines = [json.dumps({"id": f"p{i}", "title": "T", "text": f"{i + 2} soldiers were wounded."}) for i in range(30)]
    (inbox / "a.jsonl").write_text("\n".join(lines) + "\n")
    seen: list[tuple] = []
    progress.subscribe(lambda *event: seen.append(event))
    try:
        assert materialize_all(tmp_path / "data", [inbox], instance=dg.DagsterInstance.ephemeral(),
                               log_level="WARNING").success
    finally:
        progress._listeners.clear()
    assert ("ingest", 30, None) in seen
    assert seen[-1] == ("extract", 30, 30)
    assert ("extract", 0, 30) in seen
