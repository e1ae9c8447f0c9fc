"""The extraction work itself, importable without Dagster so that worker processes start quickly."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from extractors import extract_figures

ArticleItem = tuple[str, object, str | None, str]  # article_id, published_date, title, text


def figure_id(article_id: str, category: str, value: int) -> str:
    """Return the stable id of a figure: an article states a (category, value) once (FIGURES.md)."""
    return hashlib.sha256(f"{article_id}\x1f{category}\x1f{value}".encode()).hexdigest()[:16]


def figure_rows(items: Sequence[ArticleItem], version: str) -> list[dict]:
    """Return the figures of the articles as table rows: FIGURES.md fields plus ids, date and extractor version."""
    rows = []
    for article_id, published_date, title, text in items:
        for fig in extract_figures(text, title):
            row = fig.to_dict()
            row["figure_id"] = figure_id(article_id, fig.category, fig.value)
            row["article_id"] = article_id
            row["published_date"] = published_date
            row["extractor_version"] = version
            rows.append(row)
    return rows
