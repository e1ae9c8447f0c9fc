"""plan_ingest: every input is a new article, a duplicate, or a reject, and nothing is counted twice."""

from datetime import UTC, date, datetime

from assets.ingest import plan_ingest, reject_id
from assets.sources import RawArticle, Reject, content_sha256

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def raw(text: str, title: str = "T", **kw) -> RawArticle:
    defaults = {"source": "inbox", "location": "inbox/a.txt", "source_id": None, "published_date": date(2025, 1, 2),
                "date_status": "ok"}
    defaults.update(kw)
    return RawArticle(title=title, text=text, **defaults)


def test_the_same_content_twice_is_one_article_and_one_duplicate():
    batch = plan_ingest([raw("Ten soldiers were killed."), raw("Ten  soldiers were\nkilled.")], set(), set(), NOW)
    assert len(batch.articles) == 1
    assert (batch.counts.new_articles, batch.counts.duplicates) == (1, 1)
    assert batch.inputs_seen == batch.counts.inputs == 2


def test_articles_already_stored_are_duplicates():
    stored = {content_sha256("T", "Ten soldiers were killed.")}
    batch = plan_ingest([raw("Ten soldiers were killed.")], stored, set(), NOW)
    assert batch.articles.empty and batch.counts.duplicates == 1


def test_rejects_are_recorded_once_and_known_ones_counted():
    bad = Reject("inbox", "inbox/empty.txt", "empty", "the file holds no text", 0, "e3b0c442")
    first = plan_ingest([bad, bad], set(), set(), NOW)
    assert len(first.rejects) == 1 and first.counts.new_rejects == 1 and first.counts.known_rejects == 1
    second = plan_ingest([bad], set(), {reject_id(bad)}, NOW)
    assert second.rejects.empty and second.counts.known_rejects == 1
    assert second.inputs_seen == second.counts.inputs == 1


def test_an_article_breaking_the_contract_becomes_a_reject_not_a_crash():
    broken = raw("Text.", published_date=None, date_status="ok")
    batch = plan_ingest([broken, raw("Fine text.")], set(), set(), NOW)
    assert len(batch.articles) == 1
    assert batch.rejects["reason"].tolist() == ["contract"]
    assert "published_date" in batch.rejects["detail"].iloc[0]
    assert batch.inputs_seen == batch.counts.inputs == 2


def test_undated_articles_are_kept():
    batch = plan_ingest([raw("No date here.", published_date=None, date_status="missing")], set(), set(), NOW)
    assert batch.articles["date_status"].tolist() == ["missing"]


def test_a_stored_part_that_differs_from_what_was_written_is_checked_against_the_contract(tmp_path):
    import pyarrow as pa

    from assets.ingest import stored_part_failures
    from assets.storage import TableStore, atomic_write_table, to_arrow
    from schemas import ArticleSchema, arrow_schema

    batch = plan_ingest([raw("Ten soldiers were killed."), raw("Two medics were wounded.")], set(), set(), NOW)
    table = TableStore(tmp_path, "articles", arrow_schema(ArticleSchema))
    part = table.append(batch.articles, batch.articles["article_id"])
    assert stored_part_failures(table, part, batch.articles).empty  # read back equal: meets the contract
    stored = to_arrow(batch.articles, table.schema)
    ids = stored.column("article_id").to_pylist()
    broken = stored.set_column(stored.schema.get_field_index("article_id"), "article_id",
                               pa.array([ids[0], "not-a-hex-id"]))
    atomic_write_table(part, broken)  # the file on disk no longer holds what was validated
    failures = stored_part_failures(table, part, batch.articles)
    assert failures["column"].tolist() == ["article_id"] and failures["part"].tolist() == [part.name]
