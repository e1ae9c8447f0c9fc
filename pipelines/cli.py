"""The `tally` command: run the pipeline, extract figures from files, query the warehouse, manage snapshots."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

import pandas as pd

from pipelines import settings
from pipelines.render import render

FIGURE_COLUMNS = [
    "category", "value", "value_low", "value_high", "qualifier", "vague_term", "party", "actor", "claimant",
    "location", "modality", "cumulative", "text", "char_start", "char_end", "sentence", "rule",
]
TABLE_COLUMNS = ["article_id", "category", "value", "qualifier", "party", "actor", "modality", "text"]


def cmd_run(args: argparse.Namespace) -> int:
    """Materialize every asset over the configured sources, then print what was produced."""
    from pipelines.runner import materialize_all, summary

    os.environ["DAGSTER_HOME"] = str(settings.dagster_home())
    with live_progress():
        result = materialize_all()
    print(summary(result), file=sys.stderr)
    if not result.success:
        return 1
    from pipelines.query import run_query

    figures = run_query(
        "SELECT a.source_id, f.category, f.value, f.qualifier, f.party, f.actor, f.modality, f.text "
        "FROM figures f JOIN articles a USING (article_id) ORDER BY a.published_date, f.article_id, f.char_start",
        settings.data_dir() / "tally.duckdb",
        settings.data_dir(),
    )
    render(figures, args.format, title=f"{len(figures)} figures in {settings.data_dir() / 'tally.duckdb'}")
    return 0


@contextlib.contextmanager
def live_progress():
    """Show a progress bar per long stage on a terminal while the block runs (nothing when not a terminal)."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from assets import progress

    tasks: dict[str, int] = {}
    bar = Progress(TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), redirect_stderr=True, transient=False)

    def listener(stage: str, done: int, total: int | None) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    progress.subscribe(listener)
    try:
        with bar:
            yield
    finally:
        progress.unsubscribe(listener)


def extract_frame(paths: list[Path]) -> tuple[pd.DataFrame, list[str]]:
    """Return the figures of the articles in `paths` (one row per figure) and a line per input not read."""
    from assets.sources import Reject, article_id_for, content_sha256, read_file
    from extractors import extract_figures

    rows, problems = [], []
    for path in paths:
        if not path.is_file():
            problems.append(f"{path}: no such file")
            continue
        for record in read_file(path, path.parent.name or "cli"):
            if isinstance(record, Reject):
                problems.append(f"{record.location}: {record.reason}: {record.detail}")
                continue
            article_id = record.source_id or article_id_for(content_sha256(record.title, record.text))
            try:
                figures = extract_figures(record.text, record.title)
            except Exception as exc:  # an extractor bug on one article must not hide the others' figures
                problems.append(f"{record.location}: extractor_error: {type(exc).__name__}: {exc}")
                continue
            for fig in figures:
                rows.append({"article_id": article_id, **fig.to_dict()})
    columns = ["article_id", *FIGURE_COLUMNS, "field", "mentions"]
    frame = pd.DataFrame(rows, columns=columns)
    # nullable integers stay integers (a missing bound must not turn 6060 into 6060.0 in CSV)
    integer_columns = ["value", "value_low", "value_high", "char_start", "char_end", "mentions"]
    return frame.astype({c: "Int64" for c in integer_columns}), problems


def cmd_extract(args: argparse.Namespace) -> int:
    """Print the figures of article files, no Dagster involved."""
    frame, problems = extract_frame([Path(p) for p in args.paths])
    for line in problems:
        print(f"tally extract: skipped {line}", file=sys.stderr)
    render(frame if args.format != "table" else frame[TABLE_COLUMNS], args.format)
    return 1 if problems and frame.empty else 0


def cmd_query(args: argparse.Namespace) -> int:
    """Run read-only SQL against data/tally.duckdb and print the result."""
    from pipelines.query import QueryRefused, run_query

    data = settings.data_dir()
    try:
        frame = run_query(args.sql, data / "tally.duckdb", data)
    except (QueryRefused, FileNotFoundError) as exc:
        print(f"tally query: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # DuckDB's own errors: a typo in SQL is the user's to fix, not a crash
        print(f"tally query: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    render(frame, args.format)
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Publish a snapshot of the current tables, or verify one against its manifest."""
    from assets.datacard import data_card
    from assets.snapshots import publish_snapshot, verify_snapshot
    from extractors import EXTRACTOR_VERSION

    snapshots = settings.data_dir() / "snapshots"
    if args.verify is not None:
        version = args.verify or None
        problems = verify_snapshot(snapshots, version)
        for line in problems:
            print(f"tally snapshot: MISMATCH {line}", file=sys.stderr)
        if problems:
            return 1
        print(f"snapshot {version or 'LATEST'}: every file matches manifest.json")
        return 0
    db = settings.data_dir() / "tally.duckdb"
    result = publish_snapshot(
        db, snapshots, EXTRACTOR_VERSION, lambda v: data_card(v, EXTRACTOR_VERSION), keep=args.keep
    )
    print(f"snapshot {result.version} {'written' if result.created else 'unchanged (same tables as LATEST)'}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the snapshots folder read-only over HTTP until interrupted."""
    from pipelines.serve import make_server

    folder = Path(args.dir) if args.dir else settings.data_dir() / "snapshots"
    if not isinstance(folder, Path):  # object storage: the bucket (or a CDN before it) serves the snapshots itself
        print(f"tally serve: {folder} is on object storage; serve it from the bucket, or give --dir a local copy",
              file=sys.stderr)
        return 2
    try:
        server = make_server(folder, args.host, args.port)
    except FileNotFoundError:
        print(f"tally serve: {folder}: no such folder (publish one with `tally snapshot`)", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"tally serve: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    host, port = server.server_address[:2]
    print(f"tally serve: {folder} on http://{host}:{port}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Score the extractor on hand-labelled articles (and ACLED notes): P/R/F1 per category, errors listed."""
    import json
    import time

    from extractors import EXTRACTOR_VERSION, extract_figures
    from extractors.scoring import evaluate, format_report

    def read_jsonl(path: str) -> list[dict]:
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    notes = [n for path in args.acled for n in read_jsonl(path)] if args.acled else None
    started = time.perf_counter()
    report = evaluate(read_jsonl(args.articles), read_jsonl(args.gold), extract_figures, acled=notes)
    print(f"extractor {EXTRACTOR_VERSION}")
    print(format_report(report, show_errors=args.show_errors))
    print(f"\n(scored in {time.perf_counter() - started:.2f}s)")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    """Start the Dagster UI on 127.0.0.1 with the project's DAGSTER_HOME."""
    os.environ["DAGSTER_HOME"] = str(settings.dagster_home())
    workspace = settings.PROJECT_ROOT / "workspace.yaml"
    # the interpreter running tally has dagster installed, whether or not its bin/ is on PATH
    argv = [sys.executable, "-m", "dagster", "dev", "-h", args.host, "-p", str(args.port), "-w", str(workspace)]
    os.chdir(settings.PROJECT_ROOT)
    os.execv(argv[0], argv)
    return 0  # not reached


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the `tally` command."""
    parser = argparse.ArgumentParser(prog="tally", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="materialize every asset over the sources and print the figures")
    run.add_argument("--format", choices=["table", "csv", "json", "jsonl"], default="table")
    run.set_defaults(func=cmd_run)

    ext = sub.add_parser(
        "extract", help="figures from article files: seed format, JSON Lines, JSON, plain text, HTML, RSS/Atom"
    )
    ext.add_argument("paths", nargs="+", metavar="PATH")
    ext.add_argument("--format", choices=["table", "csv", "jsonl"], default="table")
    ext.set_defaults(func=cmd_extract)

    query = sub.add_parser("query", help="read-only SQL over data/tally.duckdb")
    query.add_argument("sql")
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    query.set_defaults(func=cmd_query)

    snap = sub.add_parser("snapshot", help="publish a snapshot, or --verify one")
    snap.add_argument("--verify", nargs="?", const="", default=None, metavar="VERSION",
                      help="recompute the checksums of VERSION (default LATEST) and fail on any mismatch")
    snap.add_argument("--keep", type=int, default=settings.keep_snapshots(), metavar="N",
                      help="versions to keep; older ones are pruned (default TALLY_KEEP_SNAPSHOTS or 10)")
    snap.set_defaults(func=cmd_snapshot)

    serve = sub.add_parser("serve", help="serve data/snapshots read-only over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--dir", default=None, metavar="PATH", help="snapshots folder (default data/snapshots)")
    serve.set_defaults(func=cmd_serve)

    ev = sub.add_parser("eval", help="score the extractor against gold figures (precision, recall, F1)")
    ev.add_argument("articles", help="articles as JSON Lines (id, title, text)")
    ev.add_argument("--gold", required=True, help="gold figures as JSON Lines (id, figures)")
    ev.add_argument("--acled", nargs="*", default=[], help="ACLED notes as JSON Lines (text, gold_fatalities)")
    ev.add_argument("--show-errors", action="store_true", help="list false positives and misses with sentences")
    ev.set_defaults(func=cmd_eval)

    ui = sub.add_parser("ui", help="the Dagster UI on 127.0.0.1")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `tally` command line; return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `tally ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
