"""Counting what a source produced, so the ingest step can check every input is accounted for."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from assets.sources.records import RawArticle, Reject


@dataclass(frozen=True, slots=True)
class InputCounts:
    """Articles and rejects from a source; each input (file, JSON line, feed entry, URL) is one of them."""

    articles: int = 0
    rejects: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def inputs(self) -> int:
        """Return the number of inputs: articles + rejects."""
        return self.articles + self.rejects

    def balances(self, new_articles: int, duplicates: int) -> bool:
        """Return True when inputs == new_articles + duplicates + rejects (the ingest step's invariant)."""
        return (
            self.inputs == new_articles + duplicates + self.rejects
            and new_articles + duplicates == self.articles
        )


def count_inputs(records: Iterable[RawArticle | Reject]) -> InputCounts:
    """Return the InputCounts of `records` (articles, rejects, and rejects per reason code)."""
    articles = 0
    reasons: Counter[str] = Counter()
    for record in records:
        if isinstance(record, Reject):
            reasons[record.reason] += 1
        elif isinstance(record, RawArticle):
            articles += 1
        else:
            raise TypeError(f"not a RawArticle or Reject: {type(record).__name__}")
    return InputCounts(articles, sum(reasons.values()), dict(sorted(reasons.items())))
