"""Time one stage of the pipeline and sample its memory, the way bench/run.py samples whole runs.

Usage (from the repository root):
  python bench/stage_memory.py snapshot --data-dir bench/out/data-n     # publish a snapshot (to a scratch folder)
  python bench/stage_memory.py claims --data-dir bench/out/data-n       # a full claims regrouping (on a copy)
  python bench/stage_memory.py extract --data-dir bench/out/data-n      # extract every stored article (a copy)
  python bench/stage_memory.py pipeline --sources bench/out/sources-n   # the whole pipeline, with a trace

`snapshot`, `claims` and `extract` read a warehouse an earlier run left (bench/run.py keeps bench/out/data-n);
none changes it. `pipeline` runs everything into a scratch folder and prints the main process's resident size once a
second (the trace that shows in which stage the peak falls). Peaks come from tasks.MemorySampler: the process
itself (VmHWM), its largest worker, and the largest sum over the process and its workers.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import tasks  # noqa: E402


def _snapshot(data_dir: Path, scratch: Path) -> dict:
    from assets.snapshots import publish_snapshot

    result = publish_snapshot(data_dir / "tally.duckdb", scratch / "snapshots", "bench", lambda version: "bench\n",
                              data_root=data_dir)
    return {"tables": {t: e["rows"] for t, e in result.manifest["tables"].items()}}


def _claims(data_dir: Path, scratch: Path) -> dict:
    import dagster as dg

    from assets.claims import claims
    from assets.resources import TallyStore

    for table in ("articles", "figures", "extractions"):
        shutil.copytree(data_dir / "warehouse" / table, scratch / "warehouse" / table)
    result = dg.materialize([claims], resources={"store": TallyStore(data_dir=str(scratch))},
                            instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
                            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}})
    return {"success": result.success}


def _extract(data_dir: Path, scratch: Path) -> dict:
    out = tasks.task_extract_stage({"data_dir": str(scratch / "data"), "articles_from": str(data_dir), "workers": 0})
    return {"success": out["success"], "figures": out["assets"].get("figures", {}).get("dagster/row_count")}


def _pipeline(sources: Path, scratch: Path) -> dict:
    stop = threading.Event()
    start = time.perf_counter()

    def trace():
        while not stop.wait(1.0):
            rss = tasks._status_kib(tasks.os.getpid(), "VmRSS") // 1024
            print(f"  {time.perf_counter() - start:6.1f} s  main RSS {rss:,} MiB", flush=True)

    thread = threading.Thread(target=trace, daemon=True)
    thread.start()
    try:
        out = tasks.task_pipeline({"data_dir": str(scratch / "data"), "sources": [str(sources)]})
    finally:
        stop.set()
        thread.join()
    return {"success": out["success"], "steps": {k: round(v, 1) for k, v in out["steps"].items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stage", choices=["snapshot", "claims", "extract", "pipeline"])
    parser.add_argument("--data-dir", type=Path, help="a warehouse an earlier run left (snapshot, claims, extract)")
    parser.add_argument("--sources", type=Path, help="a folder of sources (pipeline)")
    args = parser.parse_args(argv)
    if args.stage == "pipeline" and args.sources is None or args.stage != "pipeline" and args.data_dir is None:
        parser.error("snapshot, claims and extract need --data-dir; pipeline needs --sources")
    with tempfile.TemporaryDirectory(prefix="tally-stage-") as tmp, tasks.MemorySampler() as sampler:
        tasks.SAMPLER = sampler
        start = time.perf_counter()
        if args.stage == "snapshot":
            out = _snapshot(args.data_dir.resolve(), Path(tmp))
        elif args.stage == "claims":
            out = _claims(args.data_dir.resolve(), Path(tmp))
        elif args.stage == "extract":
            out = _extract(args.data_dir.resolve(), Path(tmp))
        else:
            out = _pipeline(args.sources.resolve(), Path(tmp))
        out["seconds"] = round(time.perf_counter() - start, 1)
    out.update({k: f"{v >> 20:,} MiB" for k, v in tasks.peak_rss().items()})
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
