"""The extraction work itself, importable without Dagster so that worker processes start quickly."""

from __future__ import annotations

import ctypes
import hashlib
import os
import signal
import sys
from collections.abc import Sequence

from extractors import extract_figures

ArticleItem = tuple[str, object, str | None, str]  # article_id, published_date, title, text


def figure_id(article_id: str, category: str, value: int) -> str:
    """Return the stable id of a figure: an article states a (category, value) once (FIGURES.md)."""
    return hashlib.sha256(f"{article_id}\x1f{category}\x1f{value}".encode()).hexdigest()[:16]


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent() -> None:
    """Make this worker process end when the process that started it dies (Linux; elsewhere a no-op).

    A run killed outright (SIGKILL, the OOM killer) cannot shut its pool down; without this its workers would
    linger, each holding the extractor's memory, until the machine restarts.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


ERROR_KEY = "extractor_error"  # a row holding this key is an article the extractor failed on, not a figure


def figure_rows(items: Sequence[ArticleItem], version: str) -> list[dict]:
    """Return the figures of the articles as table rows: FIGURES.md fields plus ids, date and extractor version.

    An article the extractor raises on gives one row {ERROR_KEY: "<exception>", "article_id": ...} instead of
    figures, so that one poisonous article becomes a figure reject and does not stop every run from then on.
    """
    rows = []
    for article_id, published_date, title, text in items:
        try:
            figures = extract_figures(text, title)
        except Exception as exc:  # the extractor's bug, recorded with the article it happened on
            rows.append({ERROR_KEY: f"{type(exc).__name__}: {exc}"[:500], "article_id": article_id})
            continue
        for fig in figures:
            row = fig.to_dict()
            row["figure_id"] = figure_id(article_id, fig.category, fig.value)
            row["article_id"] = article_id
            row["published_date"] = published_date
            row["extractor_version"] = version
            rows.append(row)
    return rows
