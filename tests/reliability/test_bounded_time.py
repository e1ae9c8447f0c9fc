"""Extraction time grows linearly with the input: each pathological text is timed at n and 4n characters.

No absolute thresholds (CI machines differ), only the ratio: linear gives about 4x, quadratic 16x. The bound
is 4x the size ratio, generous enough for timer noise on a busy 2-core runner, tight enough for any quadratic
blow-up (catastrophic backtracking is exponential). bench/stress.py runs the same inputs at 1 MB.
"""

from __future__ import annotations

import pytest

from extractors import extract_figures
from tests.reliability.pathological import PATHOLOGICAL, growth

FACTOR = 4
MAX_RATIO = 4 * FACTOR


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_extraction_time_is_linear_in_the_size(name):
    make, n = PATHOLOGICAL[name]
    extract_figures("warm up: 5 soldiers were killed")
    small, large, ratio = growth(extract_figures, make, n, FACTOR)
    if ratio >= MAX_RATIO:  # one retry: a single slow sample on a shared runner is not a blow-up
        small, large, ratio = growth(extract_figures, make, n, FACTOR)
    assert ratio < MAX_RATIO, f"{name}: {small:.3f}s at {n} chars, {large:.3f}s at {FACTOR * n} ({ratio:.1f}x)"
