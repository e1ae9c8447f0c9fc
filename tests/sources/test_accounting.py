"""The accounting helper: inputs = articles + rejects, and the ingest invariant."""

from __future__ import annotations

import pytest

from assets.sources import InputCounts, RawArticle, Reject, count_inputs
from assets.sources.records import DATE_MISSING


def article(n: int) -> RawArticle:
    return RawArticle("s", f"f{n}", None, "t", f"text {n}", None, DATE_MISSING)


def test_counts_articles_rejects_and_reasons():
    records = [
        article(1),
        Reject("s", "a", "empty", "d"),
        article(2),
        Reject("s", "b", "binary", "d"),
        Reject("s", "c", "empty", "d"),
    ]
    counts = count_inputs(iter(records))
    assert (counts.articles, counts.rejects, counts.inputs) == (2, 3, 5)
    assert counts.reasons == {"binary": 1, "empty": 2}


@pytest.mark.parametrize(
    ("new", "duplicates", "ok"), [(2, 1, True), (3, 0, True), (2, 0, False), (3, 1, False)]
)
def test_balances(new, duplicates, ok):
    assert InputCounts(articles=3, rejects=2).balances(new, duplicates) is ok


def test_empty_and_foreign_records():
    assert count_inputs([]).inputs == 0
    with pytest.raises(TypeError):
        count_inputs(["not a record"])
