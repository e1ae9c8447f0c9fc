"""Validated frames are freed when their last user drops them, not at the next full garbage collection."""

from __future__ import annotations

import gc
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
