"""Scores the extractor on labelled articles and ACLED notes.

Usage: PYTHONPATH=. python bench/eval.py --gold GOLD.jsonl ARTICLES.jsonl [--acled FILE ...] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from extractors import EXTRACTOR_VERSION, extract_figures
from extractors.scoring import evaluate, format_report


def _read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, score, print the report; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("articles", help="articles JSON Lines (id, title, text)")
    ap.add_argument("--gold", required=True, help="gold figures JSON Lines (id, figures)")
    ap.add_argument("--acled", nargs="*", default=[], help="ACLED notes JSON Lines (text, gold_fatalities)")
    ap.add_argument("--show-errors", action="store_true", help="list false positives and misses")
    args = ap.parse_args(argv)
    articles = _read_jsonl(args.articles)
    gold = _read_jsonl(args.gold)
    notes = [n for path in args.acled for n in _read_jsonl(path)] if args.acled else None
    t0 = time.perf_counter()
    report = evaluate(articles, gold, extract_figures, acled=notes)
    elapsed = time.perf_counter() - t0
    print(f"extractor {EXTRACTOR_VERSION}")
    print(format_report(report, show_errors=args.show_errors))
    print(f"\n(scored in {elapsed:.2f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
