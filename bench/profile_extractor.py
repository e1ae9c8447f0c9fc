"""Profile the rule engine with pyinstrument over benchmark or real articles: where its time goes.

Usage (from the repository root):
  python bench/profile_extractor.py                          # 1,000 fresh news-profile articles (seed 7)
  python bench/profile_extractor.py --corpus FILE.jsonl      # articles with text (and optional title)
  python bench/profile_extractor.py --html bench/out/extractor-profile.html   # also an interactive report

Prints the functions by their own time (flat) and the call tree, both from one sampled run of extract_figures
over every article; the rule engine's regular expressions show as the functions that call them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from corpus import sample_articles  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from extractors import extract_figures  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="JSON Lines articles (default: fresh news-profile articles)")
    parser.add_argument("--n", type=int, default=1000, help="articles to profile (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--html", type=Path, help="also write pyinstrument's interactive HTML report here")
    args = parser.parse_args(argv)
    texts = sample_articles(args.corpus, args.n, args.seed)
    for text, title in texts[:20]:  # lexicon loading and lazy compiles stay out of the profile
        extract_figures(text, title)
    profiler = Profiler(interval=0.0005)
    start = time.perf_counter()
    profiler.start()
    for text, title in texts:
        extract_figures(text, title)
    profiler.stop()
    seconds = time.perf_counter() - start
    print(f"{len(texts)} articles in {seconds:.2f} s under the profiler "
          f"({seconds / max(1, len(texts)) * 1e6:,.0f} us per article; unprofiled runs are faster)\n")
    print(profiler.output_text(unicode=True, flat=True, flat_time="self"))
    print(profiler.output_text(unicode=True, short_mode=True))
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        profiler.write_html(args.html)
        print(f"HTML report: {args.html}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
