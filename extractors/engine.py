"""Entry point of the rule engine (to be filled by the extractor work)."""

from __future__ import annotations

from extractors.figure import Figure

EXTRACTOR_VERSION = "0.0.0"


def extract_figures(text: str, title: str | None = None) -> list[Figure]:
    """Return the figures stated in an article's body `text` and its `title`, one per (category, value)."""
    raise NotImplementedError
