"""Score the extractor on labelled articles and ACLED notes (the same as `tally eval`).

Usage: python bench/eval.py --gold GOLD.jsonl ARTICLES.jsonl [--acled FILE ...] [--show-errors]
"""

import sys

from pipelines.cli import main

if __name__ == "__main__":
    sys.exit(main(["eval", *sys.argv[1:]]))
