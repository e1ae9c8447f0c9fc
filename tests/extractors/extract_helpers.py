"""Helpers shared by the extractor tests."""

from __future__ import annotations

from extractors import extract_figures


def pairs(text: str, title: str | None = None) -> set[tuple[str, int]]:
    """Return the (category, value) pairs the extractor finds in `text`."""
    return {(f.category, f.value) for f in extract_figures(text, title)}


def one(text: str, category: str | None = None):
    """Return the only figure of `text` (of `category` when given); fail if there is not exactly one."""
    figs = [f for f in extract_figures(text) if category is None or f.category == category]
    assert len(figs) == 1, [(f.category, f.value, f.rule) for f in figs]
    return figs[0]
