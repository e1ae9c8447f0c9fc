"""Time the rule engine's whole-text scans on Python's `re` against PCRE2 with its JIT (the `pcre2` package).

Usage (from the repository root; pcre2 is not a dependency of Tally, install it to run this):
  pip install 'pcre2==0.7.1'
  python bench/regex_engines.py [--corpus FILE.jsonl] [--n 1000]

For each pattern: the same spans from both engines over every article (checked), then the time per article of
one finditer over the whole text, and of a match tried at each offset where the engine tries the pattern
today. Without --corpus it uses fresh news-profile articles from bench/corpus.py (seed 7).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from corpus import sample_articles  # noqa: E402

from extractors import engine, numbers  # noqa: E402


def _per_article(fn, items, reps: int = 3) -> float:
    """Return the best of `reps` runs of fn over `items`, in microseconds per item."""
    best = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, time.perf_counter() - start)
    return best / len(items) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args(argv)
    try:
        import pcre2
    except ImportError:
        parser.error("needs the pcre2 package: pip install 'pcre2==0.7.1'")
    texts = [text for text, _ in sample_articles(args.corpus, args.n, 7)]
    lowered = [" " + t.lower() for t in texts]
    scans = [
        ("number words (lower-cased copy)", numbers._WORDS_LOW_RE.pattern, lowered),
        ("digits (Unicode \\d lead)", numbers._DIGITS_RE.pattern, texts),
        ("articles a/an/another (lower-cased)", engine._ARTICLE_LOW_RE.pattern, lowered),
        ("lone noun ('a soldier')", engine._LONE_RE.pattern, texts),
        ("lone noun, generic ('a man was killed')", engine._LONE_GENERIC_RE.pattern, texts),
    ]
    print(f"{len(texts)} articles; microseconds per article, best of 3\n")
    print(f"{'pattern':42s} {'re finditer':>12s} {'pcre2 finditer':>15s} {'ratio':>7s}")
    for name, pattern, items in scans:
        ours, theirs = re.compile(pattern), pcre2.compile(pattern)
        for item in items:
            if [m.span() for m in ours.finditer(item)] != [m.span() for m in theirs.finditer(item)]:
                print(f"{name}: the engines disagree on an article; not timed")
                break
        else:
            a = _per_article(lambda s, rx=ours: list(rx.finditer(s)), items)
            b = _per_article(lambda s, rx=theirs: list(rx.finditer(s)), items)
            print(f"{name:42s} {a:12.1f} {b:15.1f} {b / a:6.2f}x")
    # A match at given offsets, as the lone-noun pass tries _LONE_RE where an article starts.
    starts = [[m.start() for m in engine._ARTICLE_LOW_RE.finditer(t.lower())] for t in texts]
    pairs = list(zip(texts, starts, strict=True))
    calls = sum(len(s) for s in starts) / len(texts)
    ours, theirs = re.compile(engine._LONE_RE.pattern), pcre2.compile(engine._LONE_RE.pattern)
    a = _per_article(lambda p: [ours.match(p[0], i) for i in p[1]], pairs)
    b = _per_article(lambda p: [theirs.match(p[0], i) for i in p[1]], pairs)
    print(f"\nlone noun tried at each article start ({calls:.1f} calls per article): re {a:.1f}, pcre2 {b:.1f} "
          f"({b / a:.2f}x; {a / calls:.2f} vs {b / calls:.2f} us per call)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
