"""Tally's benchmark: `make bench` (or `python bench/run.py --n 20000` for a quick run) prints one table.

Each measurement runs in a fresh child process (bench/tasks.py) so that its peak RSS is its own, and each is set
against a baseline measured in the same run:

- extractor throughput, one core, vs one compiled `\\d+` findall over the same JSON Lines articles;
- the whole pipeline (ingest, extract, validate, Parquet, DuckDB views, snapshot) over N articles, vs that floor
  over all N articles; its peak RSS vs an idle interpreter that imported the pipeline, and vs the run at N/4;
- an incremental run that adds one article to the N stored, vs the full run;
- the extract stage with extract_workers=2 vs 1 over the same stored articles;
- analyst queries over a 10-million-row figures table through the published views, vs a one-pass count.

Results go to bench/out/results.json; the corpus and data folders live under bench/out/ (gitignored).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GIB = 1024**3
MIB = 1024**2
FILE_ARTICLES = 1000  # articles per source file: a folder source rejects files over 5 MB (max_bytes)

WIDTH = 160  # the table stays readable when piped to a file or `make`
console = Console(stderr=True)


def child(task: str, args: dict) -> dict:
    """Run one measurement in a fresh interpreter and return what it printed as its last line."""
    env = dict(os.environ)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(ROOT) not in paths:
        paths.append(str(ROOT))
    env["PYTHONPATH"] = os.pathsep.join(paths)
    proc = subprocess.run(
        [sys.executable, str(HERE / "tasks.py"), task, json.dumps(args)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"bench task {task} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def corpus_name(profile: str, seed: int) -> str:
    """Return the corpus file's name: profile, seed and a digest of corpus.py, so that a corpus written by an
    earlier version of the generator is never taken for the current one."""
    digest = hashlib.sha256((HERE / "corpus.py").read_bytes()).hexdigest()[:8]
    return f"corpus-{profile}-{seed}-{digest}.jsonl"


def write_corpus(corpus: Path, n: int, seed: int, profile: str) -> Path:
    """Write the corpus of `n` articles (once: kept while it holds at least `n`); return its path."""
    if not corpus.exists() or _lines(corpus) < n:
        subprocess.run([sys.executable, str(HERE / "corpus.py"), "--n", str(n), "--out", str(corpus),
                        "--seed", str(seed), "--profile", profile], check=True)
    return corpus


def build_sources(corpus: Path, n: int, folder: Path) -> Path:
    """Split the first `n` articles of `corpus` into files of FILE_ARTICLES in `folder`, streamed."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    with open(corpus, encoding="utf-8") as src:
        out = None
        for i, line in enumerate(src):
            if i >= n:
                break
            if i % FILE_ARTICLES == 0:
                if out:
                    out.close()
                out = open(folder / f"corpus-{i // FILE_ARTICLES:05d}.jsonl", "w", encoding="utf-8")
            out.write(line)
        if out:
            out.close()
    return folder


def _lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def one_more_article(folder: Path, seed: int) -> Path:
    """Add a file holding one new article (different seed and id, so new content) to the sources folder."""
    path = folder / "zz-one-more.jsonl"
    subprocess.run([sys.executable, str(HERE / "corpus.py"), "--n", "1", "--out", str(path),
                    "--seed", str(seed + 1_000_003), "--start-index", "9999999"], check=True)
    return path


def machine() -> dict:
    mem = ""
    try:
        mem = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()[1].split()[1]
    except (OSError, IndexError):
        pass
    return {"nproc": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "platform": platform.platform(), "processor": platform.processor()}


def measure(args: argparse.Namespace, progress: Progress) -> dict:
    out = args.out
    n, small = args.n, max(1, args.n // 4)
    sample = min(args.extract_sample, n)
    corpus = out / corpus_name(args.profile, args.seed)
    dense = out / corpus_name("dense", args.seed)
    res: dict = {"n": n, "seed": args.seed, "profile": args.profile, "extract_sample": sample,
                 "duckdb_rows": args.duckdb_rows}
    steps = ["corpus", "idle", "regex floor", "extractor", f"pipeline N/4={small}", f"pipeline N={n}",
             "incremental +1", "extract N/4 workers=1", "extract N/4 workers=2", f"duckdb {args.duckdb_rows:,} rows"]
    task = progress.add_task("bench", total=len(steps))

    def step(name: str):
        progress.update(task, description=name)

    def done():
        progress.advance(task)

    step(steps[0])
    write_corpus(corpus, n, args.seed, args.profile)
    write_corpus(dense, sample, args.seed, "dense")
    big_src = build_sources(corpus, n, out / "sources-n")
    small_src = build_sources(corpus, small, out / "sources-small")
    res["corpus_bytes"] = sum(p.stat().st_size for p in big_src.iterdir())
    done()
    step(steps[1])
    res["idle"] = child("idle", {})
    done()
    step(steps[2])
    res["regex"] = child("scan", {"corpus": str(corpus), "limit": sample, "kind": "regex"})
    res["regex_all"] = child("scan", {"corpus": str(corpus), "limit": n, "kind": "regex"})
    done()
    step(steps[3])
    res["extractor"] = child("scan", {"corpus": str(corpus), "limit": sample, "kind": "extractor"})
    res["regex_dense"] = child("scan", {"corpus": str(dense), "limit": sample, "kind": "regex"})
    res["extractor_dense"] = child("scan", {"corpus": str(dense), "limit": sample, "kind": "extractor"})
    done()
    data_small, data_big = out / "data-small", out / "data-n"
    for d in (data_small, data_big):
        shutil.rmtree(d, ignore_errors=True)
    step(steps[4])
    res["pipeline_small"] = child("pipeline", {"data_dir": str(data_small), "sources": [str(small_src)]})
    done()
    # the parallel speed-up is measured over the N/4 articles just stored, to keep the whole bench short
    for workers, name in ((1, steps[7]), (2, steps[8])):
        step(name)
        res[f"extract_w{workers}"] = child(
            "extract_stage", {"data_dir": str(out / f"data-w{workers}"), "articles_from": str(data_small),
                              "workers": workers})
        done()
    shutil.rmtree(data_small, ignore_errors=True)
    step(steps[5])
    res["pipeline"] = child("pipeline", {"data_dir": str(data_big), "sources": [str(big_src)]})
    done()
    step(steps[6])
    one_more_article(big_src, args.seed)
    # what the inbox sensor runs when a file arrives (the snapshot is the daily run's job)
    res["incremental"] = child("pipeline", {"data_dir": str(data_big), "sources": [str(big_src)], "job": "inbox_job"})
    done()
    step(steps[9])
    if args.duckdb_rows:
        res["duckdb"] = child("duckdb", {"dir": str(out / f"duckdb-{args.duckdb_rows}"), "rows": args.duckdb_rows})
    done()
    return res


def _fmt_s(s: float) -> str:
    return f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def rows_of(res: dict) -> list[tuple[str, str, str, str, str, bool | None]]:
    """Return the table rows: (measure, figure, baseline, ratio, target, passed)."""
    rows = []
    ex, rx = res["extractor"], res["regex"]
    ex_rate, rx_rate = ex["articles"] / ex["seconds"], rx["articles"] / rx["seconds"]
    ex_mbs = ex["bytes"] / MIB / ex["seconds"]
    rows.append((f"extractor, 1 core, {res.get('profile', 'dense')} corpus", f"{ex_rate:,.0f}/s  {ex_mbs:.2f} MiB/s",
                 f"\\d+ floor {rx_rate:,.0f}/s", f"{rx_rate / ex_rate:.1f}x slower",
                 ">= 2,000/s and <= 6x", ex_rate >= 2000 and rx_rate / ex_rate <= 6))
    if "extractor_dense" in res:
        exd, rxd = res["extractor_dense"], res["regex_dense"]
        exd_rate, rxd_rate = exd["articles"] / exd["seconds"], rxd["articles"] / rxd["seconds"]
        rows.append(("extractor, 1 core, dense corpus (stress)",
                     f"{exd_rate:,.0f}/s  {exd['bytes'] / MIB / exd['seconds']:.2f} MiB/s",
                     f"\\d+ floor {rxd_rate:,.0f}/s", f"{rxd_rate / exd_rate:.1f}x slower", "(no target)", None))
    p, ps, inc, idle = res["pipeline"], res["pipeline_small"], res["incremental"], res["idle"]
    floor_all = res["regex_all"]["seconds"]
    n = res["n"]
    steps = ", ".join(f"{k.replace('extract_figures_asset', 'extract').replace('ingest_articles', 'ingest')} "
                      f"{v:.1f}" for k, v in p["steps"].items())
    rows.append((f"end-to-end, {n:,} articles", _fmt_s(p["seconds"]) + ("" if p["success"] else " FAILED"),
                 f"\\d+ floor over N {_fmt_s(floor_all)}", f"{p['seconds'] / floor_all:.1f}x",
                 "< 120 s" if n >= 100_000 else f"< {120 * n / 100_000:.0f} s (120 s per 100k)",
                 p["success"] and p["seconds"] < 120 * max(n, 1) / 100_000))
    rows.append(("  stages (s)", steps, "", "", "", None))
    inc_new = inc["assets"].get("figures", {}).get("articles_read")
    rows.append((f"incremental, +1 article on {n:,}", _fmt_s(inc["seconds"]) + f" (read {inc_new})",
                 f"full run {_fmt_s(p['seconds'])}", f"{inc['seconds'] / p['seconds']:.2f}x", "< 10 s",
                 inc["success"] and inc["seconds"] < 10 and inc_new == 1))
    inc_steps = ", ".join(f"{k.replace('extract_figures_asset', 'extract').replace('ingest_articles', 'ingest')} "
                          f"{v:.1f}" for k, v in inc["steps"].items())
    rows.append(("  stages (s)", inc_steps, "", "", "", None))
    idle_rss = idle["rss_self"]
    for label, r in ((f"peak RSS, end-to-end N={n:,}", p), (f"peak RSS, end-to-end N/4={n // 4:,}", ps),
                     ("peak RSS, incremental", inc)):
        total = r.get("rss_total", r["rss_self"] + r["rss_child"] * 2)
        rows.append((label, f"{total / MIB:,.0f} MiB in all ({r['rss_self'] / MIB:,.0f} main, largest worker "
                            f"{r['rss_child'] / MIB:,.0f})",
                     f"idle import {idle_rss / MIB:,.0f} MiB", f"{total / idle_rss:.1f}x",
                     "< 2 GiB (main + workers)", total < 2 * GIB))
    total_n, total_small = (r.get("rss_total", r["rss_self"]) for r in (p, ps))
    growth = total_n / total_small
    rows.append(("peak RSS growth N/4 -> N", f"{growth:.2f}x", f"N/4 {total_small / MIB:,.0f} MiB",
                 f"{growth:.2f}x", "<= 1.25x (flat)", growth <= 1.25))
    w1, w2 = res["extract_w1"], res["extract_w2"]
    speedup = w1["seconds"] / w2["seconds"]
    rows.append((f"extract stage, {n // 4:,} articles, 2 workers", _fmt_s(w2["seconds"]),
                 f"1 worker {_fmt_s(w1['seconds'])}", f"{speedup:.2f}x speed-up", "> 1.5x on 2 cores",
                 speedup > 1.5 and w1["success"] and w2["success"]))
    if "duckdb" in res:
        d = res["duckdb"]
        base = d["baseline"]["median"]
        for name, q in d["queries"].items():
            rows.append((f"duckdb {d['rows'] / 1e6:.0f}M rows: {name}",
                         f"{q['median'] * 1000:,.0f} ms (first {q['first'] * 1000:,.0f})",
                         f"count+sum {base * 1000:,.0f} ms", f"{q['median'] / base:.1f}x", "< 1 s",
                         q["max"] < 1.0))
    return rows


def source_commit() -> str:
    """Return the checked-out commit, with "+changes" when the tree differs from it ("unknown" outside git)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def render(res: dict) -> Table:
    load = res.get("loadavg_1_5_15", {}).get("before", [None])[0]
    table = Table(title=f"Tally bench  N={res['n']:,}  seed={res['seed']}  {res['date']}  "
                        f"commit {res.get('commit', '?')}  {res['machine']['nproc']} cores, "
                        f"{res['machine']['memory']} RAM, Python {res['machine']['python']}, "
                        f"load avg {'?' if load is None else f'{load:.2f}'}")
    for col in ("measure", "figure", "baseline", "ratio", "target", "ok"):
        table.add_column(col, overflow="fold")
    for measure_, figure, baseline, ratio, target, ok in rows_of(res):
        mark = "" if ok is None else ("[green]pass[/]" if ok else "[red]FAIL[/]")
        table.add_row(measure_, figure, baseline, ratio, target, mark)
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="articles in the corpus (default 100000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", choices=["news", "dense"], default="news",
                        help="corpus density (bench/corpus.py): news = real reporting's (default), dense = ~6x figures")
    parser.add_argument("--extract-sample", type=int, default=2_000,
                        help="articles for the one-core extractor and regex-floor measurements")
    parser.add_argument("--duckdb-rows", type=int, default=10_000_000, help="0 skips the DuckDB queries")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--render", type=Path, default=None, help="print the table of a results.json and exit")
    args = parser.parse_args(argv)
    if args.render:
        Console(width=WIDTH).print(render(json.loads(args.render.read_text())))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    load_before = os.getloadavg()
    columns = [TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
               TimeElapsedColumn()]
    with Progress(*columns, console=console) as progress:
        res = measure(args, progress)
    res["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    res["machine"] = machine()
    res["loadavg_1_5_15"] = {"before": load_before, "after": os.getloadavg()}
    res["bench_seconds"] = time.perf_counter() - started
    res["command"] = " ".join([Path(sys.executable).name, "bench/run.py", *(argv or sys.argv[1:])])
    res["commit"] = source_commit()
    (args.out / "results.json").write_text(json.dumps(res, indent=2, default=str) + "\n")
    Console(width=WIDTH).print(render(res))
    console.print(f"results: {args.out / 'results.json'}  ({res['bench_seconds']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
