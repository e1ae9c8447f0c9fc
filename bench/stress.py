"""Stress benchmark: extraction time of the pathological texts of tests/reliability at up to 1 MB.

    PYTHONPATH=. python bench/stress.py [--max 1000000] [--factor 4]

For each input, times extract_figures at max/factor and at max characters (best of 2) and prints the ratio
(linear: about `factor`; quadratic: factor squared) and the throughput. docs/RELIABILITY.md records a run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors import extract_figures  # noqa: E402
from tests.reliability.pathological import PATHOLOGICAL, growth  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=1_000_000, help="largest input, characters")
    parser.add_argument("--factor", type=int, default=4)
    parser.add_argument("--only", nargs="*", default=None, help="names of inputs to run")
    args = parser.parse_args()
    extract_figures("warm up: 5 soldiers were killed")
    print(f"| input | {args.max // args.factor:,} chars | {args.max:,} chars | ratio (linear = {args.factor}) "
          f"| chars/s at {args.max:,} |")
    print("|---|---|---|---|---|")
    worst = ("", 0.0)
    for name, (make, _) in PATHOLOGICAL.items():
        if args.only and name not in args.only:
            continue
        small, large, ratio = growth(extract_figures, make, args.max // args.factor, args.factor, repeats=2)
        worst = max(worst, (name, ratio), key=lambda w: w[1])
        print(f"| {name} | {small:.3f} s | {large:.3f} s | {ratio:.2f} | {args.max / large:,.0f} |", flush=True)
    print(f"\nworst ratio: {worst[1]:.2f} ({worst[0]}); linear would be {args.factor}, quadratic {args.factor ** 2}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
