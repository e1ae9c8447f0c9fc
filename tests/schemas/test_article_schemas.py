"""ArticleSchema and ArticleRejectSchema: what an article row and a reject row must hold."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from schemas import ArticleRejectSchema, ArticleSchema, validate_rows

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def article(**changes) -> dict:
    row = {
        "article_id": "0123456789abcdef",
        "source": "seeds",
        "source_id": "403",
        "location": "seeds/a.txt",
        "url": None,
        "published_date": date(2025, 6, 18),
        "date_status": "ok",
        "title": "A title",
        "text": "Body text.",
        "content_sha256": "0123456789abcdef" * 4,
        "ingested_at": NOW,
    }
    row.update(changes)
    return row


def test_an_undated_article_is_kept_with_its_date_flagged():
    out = ArticleSchema.validate(pd.DataFrame([article(published_date=None, date_status="missing")]))
    assert out.loc[0, "date_status"] == "missing"


@pytest.mark.parametrize(
    "changes",
    [
        {"date_status": "ok", "published_date": None},
        {"date_status": "unknown"},
        {"text": ""},
        {"content_sha256": "xyz"},
        {"article_id": "ABCDEF0123456789"},
    ],
)
def test_bad_article_rows_are_rejected(changes):
    checked = validate_rows(ArticleSchema, pd.DataFrame([article(**changes)]))
    assert checked.valid.empty and list(checked.rejected_index) == [0]


def test_reject_rows_need_a_reason():
    row = {
        "reject_id": "0123456789abcdef",
        "source": "inbox",
        "location": "inbox/x.bin",
        "reason": "",
        "detail": "",
        "size_bytes": 3,
        "raw_sha256": None,
        "rejected_at": NOW,
    }
    assert validate_rows(ArticleRejectSchema, pd.DataFrame([row])).valid.empty
    row["reason"] = "binary"
    assert len(ArticleRejectSchema.validate(pd.DataFrame([row]))) == 1
