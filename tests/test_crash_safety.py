"""A run killed with SIGKILL at any stage, then run again, leaves the same tables as a run never interrupted."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.query import run_query
from tests.conftest import ROOT

TEMPLATES = [
    "{n} soldiers were killed when shelling hit the {place} district on {day}.",
    "Officials said {n} civilians were wounded in the attack near {place}.",
    "The two sides exchanged {n} prisoners of war at the border near {place}.",
    "Authorities returned the remains of {n} servicemen killed near {place}.",
    "The ministry said it will send {n} troops to {place} next month.",
]
PLACES = ["Northfield", "Eastbrook", "Riverton", "Lakeside", "Hillcrest", "Westmoor"]
DAYS = ["Monday", "Tuesday", "Friday", "Sunday"]

# (what appears on disk, meaning the run has reached that stage)
KILL_POINTS = [
    ("warehouse/articles", "ingest wrote its part"),
    ("warehouse/figures", "extraction wrote a part"),
    ("warehouse/extractions", "extraction recorded a batch"),
    ("warehouse/claims", "claims wrote a shard"),
    ("tally.duckdb", "views were published"),
]


def write_inbox(inbox: Path, n_articles: int) -> None:
    rng = random.Random(11)
    inbox.mkdir(parents=True)
    lines = []
    for i in range(n_articles):
        sentences = [
            rng.choice(TEMPLATES).format(n=rng.randint(2, 900), place=rng.choice(PLACES), day=rng.choice(DAYS))
            for _ in range(6)
        ]
        lines.append(json.dumps({"id": f"c{i}", "title": f"Report {i}", "text": " ".join(sentences),
                                 "published": f"2025-0{1 + i % 9}-1{i % 9}"}))
    (inbox / "batch.jsonl").write_text("\n".join(lines) + "\n")
    (inbox / "broken.jsonl").write_text("{oops\n")


def tally_run(data: Path, inbox: Path, home: Path) -> subprocess.Popen:
    env = {**os.environ, "TALLY_DATA_DIR": str(data), "TALLY_SOURCES": str(inbox), "DAGSTER_HOME": str(home)}
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run", "--format", "csv"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def has_part(path: Path) -> bool:
    if path.suffix == ".duckdb":
        return path.exists()
    return path.is_dir() and any(p.name.startswith("part-") for p in path.iterdir())


def children_of(pid: int) -> list[int]:
    """Return the pids of the living processes whose parent is `pid` (from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                out.append(int(entry))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


KILLED_WORKERS: list[list[int]] = []  # the worker processes each killed run had, to check they did not outlive it


def kill_when(proc: subprocess.Popen, marker: Path, timeout_s: float = 240) -> bool:
    """Kill -9 the run as soon as `marker` shows on disk; return False if the run ended first."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if has_part(marker):
            workers = children_of(proc.pid)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            KILLED_WORKERS.append(workers)
            return True
        time.sleep(0.005)  # polling the file system for the stage to appear, not waiting for the run to finish
    proc.kill()
    raise AssertionError(f"{marker} never appeared")


def tables(data: Path) -> dict[str, list]:
    db, out = data / "tally.duckdb", {}
    queries = {
        "articles": "SELECT article_id, source_id, published_date, date_status, content_sha256 FROM articles",
        "article_rejects": "SELECT reject_id, location, reason FROM article_rejects",
        "figures": "SELECT * EXCLUDE (extractor_version) FROM figures",
        "figure_rejects": "SELECT figure_id, \"check\" FROM figure_rejects",
        "claims": "SELECT claim_id, array_to_string(figure_ids, ' ') AS members, n_articles FROM claims",
    }
    for name, sql in queries.items():
        frame = run_query(sql, db, data)
        out[name] = sorted(map(tuple, frame.astype(str).to_numpy().tolist()))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    inbox = tmp_path_factory.mktemp("corpus") / "inbox"
    write_inbox(inbox, 1000)
    return inbox


@pytest.fixture(scope="module")
def reference(tmp_path_factory, corpus):
    base = tmp_path_factory.mktemp("reference")
    proc = tally_run(base / "data", corpus, base / "home")
    assert proc.wait(timeout=600) == 0, proc.stderr.read()
    return tables(base / "data")


@pytest.mark.parametrize("marker, stage", KILL_POINTS, ids=[s for _, s in KILL_POINTS])
def test_killed_run_then_rerun_equals_an_uninterrupted_run(tmp_path, corpus, reference, marker, stage):
    data, home = tmp_path / "data", tmp_path / "home"
    proc = tally_run(data, corpus, home)
    killed = kill_when(proc, data / marker)
    rerun = tally_run(data, corpus, home)
    assert rerun.wait(timeout=600) == 0, rerun.stderr.read()
    assert tables(data) == reference, f"tables differ after a kill when {stage} (killed: {killed})"
    leftovers = [p for p in (data / "warehouse").rglob("*.parquet") if not p.name.startswith(("part-", "_empty"))]
    assert leftovers == []
    if killed:  # the killed run's extraction workers end with it (they ask the kernel for a signal when it dies)
        workers = KILLED_WORKERS[-1]
        deadline = time.monotonic() + 30
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)  # polling /proc for the workers' exit
        assert not any(alive(w) for w in workers), f"workers outlived the killed run: {workers}"
    assert reference["figures"], "the corpus must produce figures for the comparison to mean anything"
