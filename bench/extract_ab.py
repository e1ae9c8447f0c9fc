"""Compare the rule engine's speed with an earlier commit's, interleaved in one process.

Usage (from the repository root):
  python bench/extract_ab.py --base a6ef721 --corpus bench/out/corpus-news-7.jsonl [--n 2000] [--reps 3]

The base commit's `extractors/` is exported with `git archive` into a temporary folder under another package
name, so both versions load side by side. They then read the same articles in alternating chunks of 100,
swapping which goes first on every repetition: noise from a shared machine hits both alike, and the ratio
new/base is what to report. The base's figures are compared with the working tree's on the way.
"""

from __future__ import annotations

import argparse
import importlib
import io
import itertools
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASE_PACKAGE = "extractors_base"


def load_base(commit: str, folder: Path):
    """Return the extract_figures of `commit`'s extractors/, imported as the package BASE_PACKAGE."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "extractors"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    package = folder / BASE_PACKAGE
    (folder / "extractors").rename(package)
    for source in package.glob("*.py"):
        text = re.sub(r"\b(from|import) extractors\b", rf"\1 {BASE_PACKAGE}", source.read_text())
        source.write_text(text)
    sys.path.insert(0, str(folder))
    return importlib.import_module(BASE_PACKAGE).extract_figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the commit to compare with (e.g. a tag or a hash)")
    parser.add_argument("--corpus", type=Path, required=True, help="JSON Lines articles (text, title)")
    parser.add_argument("--n", type=int, default=2000, help="articles read from the corpus")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)

    from extractors import extract_figures as new

    with open(args.corpus, encoding="utf-8") as handle:
        articles = [json.loads(line) for line in itertools.islice(handle, args.n)]
    with tempfile.TemporaryDirectory(prefix="tally-ab-") as tmp:
        base = load_base(args.base, Path(tmp))
        differ = sum(
            [f.to_dict() for f in base(a["text"], a.get("title"))]
            != [f.to_dict() for f in new(a["text"], a.get("title"))]
            for a in articles
        )
        chunks = [articles[i : i + 100] for i in range(0, len(articles), 100)]
        seconds = {"base": 0.0, "new": 0.0}
        for rep in range(args.reps):
            order = (("base", base), ("new", new)) if rep % 2 == 0 else (("new", new), ("base", base))
            for chunk in chunks:
                for name, extract in order:
                    start = time.perf_counter()
                    for article in chunk:
                        extract(article["text"], article.get("title"))
                    seconds[name] += time.perf_counter() - start
    reads = args.reps * len(articles)
    print(f"{len(articles)} articles x {args.reps}: base {args.base} {seconds['base'] / reads * 1e6:,.0f} us/article, "
          f"working tree {seconds['new'] / reads * 1e6:,.0f} us/article; "
          f"new/base = {seconds['new'] / seconds['base']:.3f}")
    print(f"articles whose figures differ: {differ}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
