"""Validated frames are freed when their last user drops them, not at the next full garbage collection."""

from __future__ import annotations

import gc
import sys
import weakref

import pandas as pd
import pytest

from schemas import ArticleSchema, validate_rows, validated
from tests.schemas.test_article_schemas import article


@pytest.fixture
def no_cycle_collector():
    """Switch the cycle collector off, so only reference counting can free a frame."""
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


def test_a_validated_frame_is_freed_by_reference_counting(no_cycle_collector):
    frame = validated(ArticleSchema, pd.DataFrame([article()]))
    assert frame.loc[0, "article_id"] == "0123456789abcdef"
    freed = weakref.ref(frame)
    del frame
    assert freed() is None


@pytest.mark.parametrize("rows", [[article()], [article(), article(article_id="bad", content_sha256="1" * 64)]])
def test_rows_validated_in_batches_are_freed_with_the_batch(no_cycle_collector, rows):
    checked = validate_rows(ArticleSchema, pd.DataFrame(rows))
    assert len(checked.valid) == 1
    valid = weakref.ref(checked.valid)
    del checked
    assert valid() is None


def _rows(text: str, n: int = 50) -> list[dict]:
    return [article(text=text, article_id=f"{i:016x}", content_sha256=f"{i:064x}") for i in range(n)]


def test_the_texts_of_a_validated_frame_are_freed_with_it(no_cycle_collector):
    # pandera's string checks cache a `.str` accessor on columns the frame keeps; accessor and column refer to
    # each other, and the column is a view of the frame's object block, texts included
    text = "a text of its own " * 200
    frame = pd.DataFrame(_rows(text))
    before = sys.getrefcount(text)
    out = validated(ArticleSchema, frame)
    assert sys.getrefcount(text) > before  # the coerced copy holds the texts
    del out
    assert sys.getrefcount(text) == before


@pytest.mark.parametrize("bad_rows", [0, 2])
def test_the_texts_of_rows_validated_in_batches_are_freed_with_them(no_cycle_collector, bad_rows):
    text = "another text of its own " * 200
    frame = pd.DataFrame(_rows(text))
    frame.loc[: bad_rows - 1, "article_id"] = "not hex"
    before = sys.getrefcount(text)
    checked = validate_rows(ArticleSchema, frame)
    assert len(checked.valid) == 50 - bad_rows and checked.rejected_index.tolist() == list(range(bad_rows))
    del checked
    assert sys.getrefcount(text) == before
