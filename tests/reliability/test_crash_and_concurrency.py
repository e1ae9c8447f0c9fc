"""Kill -9 at random moments, readers racing the writer, and two runs at once: no table is ever lost or torn.

* Random kills (seeded; TALLY_RELIABILITY_REPEATS scales them up): a run killed at a random moment, its re-run
  killed again, then a last re-run, leaves tables identical to an uninterrupted run. Meanwhile a reader opens
  data/tally.duckdb read-only and counts every view, over and over: no error, and every count is one of the
  complete states (nothing yet, or the whole result). After every kill, every Parquet file in data/ under a
  final name reads whole, and LATEST names a snapshot that matches its manifest.
* Readers during a publish: `pipelines.query.run_query` in a loop, and `tally query` as a subprocess in a loop,
  while a second run adds articles: no error, and each count is the before or the after state.
* Two runs started together: each exits 0 (one waits on the writer lock) or is refused with WarehouseBusy's
  message; the tables equal a single run's.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from assets.snapshots import latest_version, verify_snapshot
from assets.views import ANALYTIC_VIEWS
from pipelines.query import run_query
from tests.conftest import ROOT
from tests.test_crash_safety import tables, tally_run, write_inbox

N_ARTICLES = 600  # above the extract stage's MIN_PARALLEL, so worker processes are killed too
REPEATS = int(os.environ.get("TALLY_RELIABILITY_REPEATS", "2"))
KILLS_PER_REPEAT = 2
SEED = 20250618
VIEWS = ["articles", "article_rejects", "figures", "figure_rejects", "claims", *ANALYTIC_VIEWS]
STATS: dict[str, object] = {"runs_killed": 0, "queries": 0, "cli_queries": 0, "reader_errors": 0}


def view_counts(data: Path) -> dict[str, int]:
    sql = " UNION ALL ".join(f"SELECT '{v}' AS view, count(*) AS n FROM {v}" for v in VIEWS)
    frame = run_query(sql, data / "tally.duckdb", data)
    return dict(zip(frame["view"], map(int, frame["n"]), strict=True))


class Reader(threading.Thread):
    """Counts every view of data/tally.duckdb in a loop until stopped; keeps what it saw and any error."""

    def __init__(self, data: Path):
        super().__init__(daemon=True)
        self.data = data
        self.stop = threading.Event()
        self.seen: list[dict[str, int]] = []
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            if not (self.data / "tally.duckdb").exists():
                self.stop.wait(0.01)  # nothing published yet: poll again shortly
                continue
            try:
                self.seen.append(view_counts(self.data))
            except Exception as exc:  # any error at all is what the test is looking for
                self.errors.append(f"{type(exc).__name__}: {exc}")

    def __enter__(self) -> Reader:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.join(timeout=60)
        STATS["queries"] += len(self.seen) + len(self.errors)
        STATS["reader_errors"] += len(self.errors)


def assert_complete_states(seen: list[dict[str, int]], states: list[dict[str, int]]) -> None:
    """Each view's count, in every observation, is its count in one of the complete `states`."""
    for counts in seen:
        for view, n in counts.items():
            allowed = {state.get(view, 0) for state in states}
            assert n in allowed, f"{view}: a reader counted {n} rows; complete states have {sorted(allowed)}"


def assert_files_whole(data: Path) -> None:
    """Every Parquet file under a final (not dot-) name reads whole; LATEST's snapshot matches its manifest."""
    for path in data.rglob("*.parquet"):
        if any(part.startswith(".") for part in path.relative_to(data).parts):
            continue  # temporary files and staging folders: never read by anyone
        pq.read_table(path)
    if latest_version(data / "snapshots"):
        assert verify_snapshot(data / "snapshots") == []


def run_to_end(data: Path, inbox: Path, home: Path) -> None:
    proc = tally_run(data, inbox, home)
    assert proc.wait(timeout=600) == 0, proc.stderr.read()


def kill_after(proc: subprocess.Popen, delay: float) -> bool:
    """SIGKILL the run `delay` seconds after it started; return False if it had already ended."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        time.sleep(0.01)  # polling the clock and the process: the kill moment itself is what is random
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    STATS["runs_killed"] += 1
    return True


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    inbox = tmp_path_factory.mktemp("rel-corpus") / "inbox"
    write_inbox(inbox, N_ARTICLES)
    return inbox


@pytest.fixture(scope="module")
def reference(tmp_path_factory, corpus):
    """Tables, view counts and duration of one uninterrupted run."""
    base = tmp_path_factory.mktemp("rel-reference")
    started = time.monotonic()
    run_to_end(base / "data", corpus, base / "home")
    duration = time.monotonic() - started
    return {"tables": tables(base / "data"), "counts": view_counts(base / "data"), "seconds": duration}


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    print(f"\nreliability: {json.dumps(STATS)}")


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(VIEWS, 0)


@pytest.mark.parametrize("repeat", range(REPEATS))
def test_random_kills_then_rerun_equal_an_uninterrupted_run(tmp_path, corpus, reference, repeat):
    rng = random.Random(SEED + repeat)
    data, home = tmp_path / "data", tmp_path / "home"
    states = [empty_counts(), reference["counts"]]
    with Reader(data) as reader:
        for _ in range(KILLS_PER_REPEAT):
            delay = rng.uniform(0.1, 0.9) * reference["seconds"]
            kill_after(tally_run(data, corpus, home), delay)
            assert_files_whole(data)
        run_to_end(data, corpus, home)
    assert reader.errors == []
    assert_complete_states(reader.seen, states)
    assert tables(data) == reference["tables"]
    assert_files_whole(data)


def test_readers_during_a_publish_see_the_before_or_the_after_state(tmp_path, corpus, reference):
    inbox, data, home = tmp_path / "inbox", tmp_path / "data", tmp_path / "home"
    shutil.copytree(corpus, inbox)
    run_to_end(data, inbox, home)
    before = view_counts(data)
    assert before == reference["counts"]
    more = tmp_path / "more"
    write_inbox(more, 300)
    lines = [json.loads(line) for line in (more / "batch.jsonl").read_text().splitlines()]
    for row in lines:  # other ids and other text, so they are new articles
        row["id"], row["text"] = "m" + row["id"], f"Update {row['id']}. " + row["text"]
    (inbox / "more.jsonl").write_text("".join(json.dumps(row) + "\n" for row in lines))

    env = {**os.environ, "TALLY_DATA_DIR": str(data)}
    cli = ("import sys\nfrom pipelines.cli import main\nn = 0\nwhile sys.stdin.readline():\n"
           "    code = main(['query', 'SELECT count(*) AS n FROM figures', '--format', 'csv'])\n"
           "    print('EXIT', code, flush=True)\n")
    proc = subprocess.Popen([sys.executable, "-c", cli], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    cli_counts, cli_exits = [], []
    with Reader(data) as reader:
        run = tally_run(data, inbox, home)
        while run.poll() is None or not cli_exits:  # at least one CLI query, however fast the run
            proc.stdin.write("go\n")
            proc.stdin.flush()
            lines = []
            while not (line := proc.stdout.readline()).startswith("EXIT"):
                lines.append(line.strip())
            cli_exits.append(int(line.split()[1]))
            cli_counts.append(int(lines[-1]))
        assert run.wait(timeout=600) == 0, run.stderr.read()
    proc.stdin.close()
    proc.wait(timeout=60)
    STATS["cli_queries"] += len(cli_exits)
    after = view_counts(data)
    assert after["articles"] == before["articles"] + 300
    assert reader.errors == [] and set(cli_exits) == {0}, (reader.errors[:3], proc.stderr.read()[-2000:])
    assert_complete_states(reader.seen, [before, after])
    assert set(cli_counts) <= {before["figures"], after["figures"]}
    assert len(reader.seen) > 0


def test_two_runs_started_together_corrupt_nothing(tmp_path, corpus, reference):
    data, home = tmp_path / "data", tmp_path / "home"
    with Reader(data) as reader:
        first, second = tally_run(data, corpus, home), tally_run(data, corpus, home)
        results = [(p.wait(timeout=900), p.stderr.read()) for p in (first, second)]
    STATS["two_runs_exit_codes"] = [code for code, _ in results]
    for code, stderr in results:
        assert code == 0 or "another Tally run" in stderr, stderr[-3000:]
    assert any(code == 0 for code, _ in results)
    assert reader.errors == []
    assert_complete_states(reader.seen, [empty_counts(), reference["counts"]])
    assert tables(data) == reference["tables"]
    assert_files_whole(data)
