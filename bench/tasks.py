"""The measurements of `bench/run.py`, each run in a fresh child process so its peak RSS is its own.

    python bench/tasks.py TASK '{"json": "arguments"}'

prints one JSON object (the measurement) as its last line of stdout. Peak memory is read from /proc while the
task runs (MemorySampler): the task process's own peak (VmHWM), the largest peak of any worker process it
started (each worker's VmHWM, sampled while it lives), and the largest sum of the resident sizes of the task
and all its descendants seen at one sampling instant (every 50 ms). getrusage(RUSAGE_CHILDREN) is not used: on
Linux a child started by fork+exec inherits its parent's peak at the fork, which overstates small workers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import threading
import time
from pathlib import Path

KIB = 1024


def _status_kib(pid: int, field: str) -> int:
    """Return a field of /proc/PID/status in KiB (0 when the process is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _descendants(root: int) -> list[tuple[int, int]]:
    """Return (pid, parent pid) of every living descendant of `root` (from the parent pids in /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        parent = todo.pop()
        for child in children.get(parent, []):
            out.append((child, parent))
            todo.append(child)
    return out


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


class MemorySampler:
    """Samples the resident memory of this process and its descendants in a thread, every `interval` seconds."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.worker_peak_kib = 0
        self.total_peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        me = os.getpid()
        total = _status_kib(me, "VmRSS")
        for pid, parent in _descendants(me):
            # A child caught between fork and exec (every worker here is spawned, and subprocesses exec) still
            # maps its parent's pages and shows the parent's size: it is the parent, counted once already.
            if _cmdline(pid) == _cmdline(parent):
                continue
            total += _status_kib(pid, "VmRSS")
            self.worker_peak_kib = max(self.worker_peak_kib, _status_kib(pid, "VmHWM"))
        self.total_peak_kib = max(self.total_peak_kib, total)


SAMPLER: MemorySampler | None = None


def peak_rss() -> dict:
    """Return peak memory in bytes: this process (VmHWM), its largest worker, and the largest sampled total."""
    own = _status_kib(os.getpid(), "VmHWM") * KIB
    if SAMPLER is None:
        return {"rss_self": own, "rss_child": 0, "rss_total": own}
    return {"rss_self": own, "rss_child": SAMPLER.worker_peak_kib * KIB,
            "rss_total": max(own, SAMPLER.total_peak_kib * KIB)}


def _articles(corpus: Path, limit: int | None):
    """Yield (title, text) of the first `limit` lines of a JSON Lines corpus, streamed."""
    with open(corpus, encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            if limit is not None and i >= limit:
                return
            obj = json.loads(line)
            yield obj.get("title"), obj["text"]


def task_idle(args: dict) -> dict:
    """The memory floor: an interpreter that has imported the pipeline and its libraries, doing nothing."""
    import pipelines.definitions  # noqa: F401

    return {}


def task_scan(args: dict) -> dict:
    """Stream the corpus through json.loads and either the extractor or the `\\d+` floor, on one core."""
    corpus, limit, kind = Path(args["corpus"]), args.get("limit"), args["kind"]
    if kind == "regex":
        digits = re.compile(r"\d+")

        def work(title, text):
            return len(digits.findall(text)) + (len(digits.findall(title)) if title else 0)
    else:
        from extractors import extract_figures

        def work(title, text):
            return len(extract_figures(text, title))

    # warm up (imports, lazy compiles) outside the timed loop
    for title, text in _articles(corpus, 20):
        work(title, text)
    n = nbytes = found = 0
    start = time.perf_counter()
    for title, text in _articles(corpus, limit):
        found += work(title, text)
        n += 1
        nbytes += len(text.encode()) + len((title or "").encode())
    seconds = time.perf_counter() - start
    return {"articles": n, "bytes": nbytes, "found": found, "seconds": seconds}


def _step_seconds(instance, run_id: str) -> dict[str, float]:
    """Return the wall time of each step of a run (step start to success or failure), from the event log."""
    starts, seconds = {}, {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or not entry.step_key:
            continue
        if event.event_type_value == "STEP_START":
            starts[entry.step_key] = entry.timestamp
        elif event.event_type_value in {"STEP_SUCCESS", "STEP_FAILURE"} and entry.step_key in starts:
            seconds[entry.step_key] = entry.timestamp - starts[entry.step_key]
    return seconds


def _materializations(result) -> dict[str, dict]:
    out = {}
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        out[mat.asset_key.to_user_string()] = {
            k: v.value for k, v in mat.metadata.items() if isinstance(v.value, (int, float, str, bool))
            and k != "preview"
        }
    return out


def _use_workers(workers: int | None) -> None:
    """Make the pipeline's TallyStore use `workers` extraction processes (None: its default, one per core)."""
    if workers is None:
        return
    import pipelines.runner as runner
    from assets.resources import TallyStore

    original = runner.resources_for

    def resources_for(data_dir=None, sources=None):
        res = original(data_dir, sources)
        res["store"] = TallyStore(data_dir=res["store"].data_dir, extract_workers=workers)
        return res

    runner.resources_for = resources_for


def task_pipeline(args: dict) -> dict:
    """Materialize the whole pipeline (ingest, extract, validate, Parquet, DuckDB views, snapshot) once."""
    import dagster as dg

    data_dir, sources = Path(args["data_dir"]), [Path(s) for s in args["sources"]]
    os.environ["TALLY_DATA_DIR"] = str(data_dir)
    _use_workers(args.get("workers"))
    from pipelines.runner import materialize_all

    instance = dg.DagsterInstance.ephemeral()
    start = time.perf_counter()
    result = materialize_all(data_dir, sources, instance=instance, log_level=args.get("log_level", "WARNING"),
                             job=args.get("job", "tally_job"))
    seconds = time.perf_counter() - start
    return {
        "success": result.success,
        "seconds": seconds,
        "steps": _step_seconds(instance, result.run_id),
        "assets": _materializations(result),
    }


def task_extract_stage(args: dict) -> dict:
    """Materialize the extract asset alone over a copy of stored articles, with `workers` processes."""
    import dagster as dg

    from assets.extract import extract_figures_asset
    from assets.resources import TallyStore

    data_dir = Path(args["data_dir"])
    if data_dir.exists():
        shutil.rmtree(data_dir)
    shutil.copytree(Path(args["articles_from"]) / "warehouse" / "articles", data_dir / "warehouse" / "articles")
    store = TallyStore(data_dir=str(data_dir), extract_workers=args["workers"])
    start = time.perf_counter()
    result = dg.materialize(
        [extract_figures_asset], resources={"store": store}, instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False, run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
    )
    seconds = time.perf_counter() - start
    assets = _materializations(result)
    shutil.rmtree(data_dir, ignore_errors=True)
    return {"success": result.success, "seconds": seconds, "assets": assets}


def task_duckdb(args: dict) -> dict:
    """Time analyst queries over a synthetic figures table of `rows` rows, through the published views."""
    from bench.duckdb_bench import run_duckdb_bench

    return run_duckdb_bench(Path(args["dir"]), args["rows"], args.get("repeat", 3))


TASKS = {
    "idle": task_idle,
    "scan": task_scan,
    "pipeline": task_pipeline,
    "extract_stage": task_extract_stage,
    "duckdb": task_duckdb,
}


def main(argv: list[str]) -> int:
    global SAMPLER
    task, args = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    with MemorySampler() as SAMPLER:
        result = TASKS[task](args)
    result.update(peak_rss())  # every task's memory, read after the sampler's last reading
    sys.stdout.write("\n" + json.dumps(result, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
