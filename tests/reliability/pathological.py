"""Pathological article texts for the bounded-time checks (tests/reliability) and bench/stress.py.

Each maker returns a text of about `n` characters. The base sizes keep the test quick (the size-4x text takes
well under a second); bench/stress.py runs the same makers at 1 MB.
"""

from __future__ import annotations

import time


def repeat(unit: str, n: int) -> str:
    return unit * max(1, n // len(unit))


PATHOLOGICAL = {
    # name: (maker, base size in characters for the test)
    "one digit run": (lambda n: "1" * n, 200_000),
    "digit runs of 300": (lambda n: repeat("1" * 300 + " ", n), 200_000),
    "commas": (lambda n: "," * n, 200_000),
    "digits and commas": (lambda n: repeat("1,", n), 50_000),
    "thousand groups": (lambda n: repeat("1,000,000,000 ", n), 50_000),
    "line without punctuation": (lambda n: repeat("word ", n), 100_000),
    "more than more than": (lambda n: repeat("more than ", n) + "5 soldiers were killed", 25_000),
    "numbers and spaces": (lambda n: repeat("1 ", n), 4_000),
    "numbers and dashes": (lambda n: repeat("1-", n), 6_000),
    "between ranges": (lambda n: repeat("between 1 and 2 ", n), 8_000),
    "figures in one sentence": (lambda n: repeat("5 soldiers killed, ", n), 10_000),
    "figures in many sentences": (lambda n: repeat("5 soldiers were killed. ", n), 25_000),
    "number words": (lambda n: repeat("six thousand and sixty ", n), 20_000),
    "abbreviations": (lambda n: repeat("U.S. Gen. Jan. No. ", n), 50_000),
    "newlines": (lambda n: "\n" * n, 200_000),
}


def seconds(fn, text: str, repeats: int = 3) -> float:
    """Return the best of `repeats` timings of fn(text)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - started)
    return best


def growth(fn, make, n: int, factor: int = 4, repeats: int = 3) -> tuple[float, float, float]:
    """Return (seconds at n, seconds at factor*n, their ratio); 1x the size factor is linear, its square quadratic."""
    small = seconds(fn, make(n), repeats)
    large = seconds(fn, make(factor * n), repeats)
    return small, large, large / max(small, 1e-4)
