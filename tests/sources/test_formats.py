"""Each supported format read from a fixture file: articles, titles, dates and where the text came from."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from assets.sources import RawArticle, Reject, iter_source, load_sources, read_file
from assets.sources.records import DATE_INVALID, DATE_MISSING, DATE_OK, ORIGIN_FEED_ENTRY, ORIGIN_FILE

from .conftest import FIXTURES


def read(name: str, **kwargs) -> list[RawArticle | Reject]:
    return list(read_file(FIXTURES / name, "test", location=name, **kwargs))


@pytest.mark.parametrize(
    ("name", "source_id", "title", "published", "status", "text_start"),
    [
        ("seed_ok.txt", "T-1", "Bridge reopened after repairs", date(2025, 6, 18), DATE_OK, "Officials said"),
        ("seed_impossible_date.txt", "T-2", "Talks postponed again", None, DATE_INVALID, "The mediators"),
        ("seed_missing_date.txt", "T-3", "No date on this report", None, DATE_MISSING, "The regional"),
        ("plain_ok.txt", None, "Harbour cleared after storm", None, DATE_MISSING, "Crews cleared"),
        ("plain_date_title.txt", None, "date night ideas for the city", None, DATE_MISSING, "This plain"),
        (
            "page_ok.html",
            None,
            "Library reopens in old town",
            date(2025, 4, 9),
            DATE_OK,
            "The public library",
        ),
        ("page_impossible_date.html", None, "Market day returns", None, DATE_INVALID, "Traders set up"),
        ("page_no_date.html", None, "Ferry service resumes", None, DATE_MISSING, "The ferry between"),
        ("feed_ok.atom", "urn:test:a1", "School reopens", date(2025, 5, 5), DATE_OK, "The village school"),
        ("feed_named.txt", "S-1", "Sniffed as a feed", None, DATE_MISSING, "Content decides"),
    ],
)
def test_single_article_formats(name, source_id, title, published, status, text_start):
    records = read(name)
    assert len(records) == 1, records
    article = records[0]
    assert isinstance(article, RawArticle), article
    assert article.source == "test"
    assert article.location.startswith(name)
    assert article.source_id == source_id
    assert article.title == title
    assert article.published_date == published
    assert article.date_status == status
    assert article.text.startswith(text_start)


@pytest.mark.parametrize(
    ("header", "status"),
    [("date unknown X", DATE_MISSING), ("date - X", DATE_MISSING), ("date 2025-99-01 X", DATE_INVALID)],
)
def test_seed_dates_that_are_not_dates_keep_the_article(tmp_path, header, status):
    path = tmp_path / "seed.txt"
    path.write_text(f"{header}\nTitle\nBody text of the article.\n")
    [article] = read_file(path, "test")
    assert isinstance(article, RawArticle)
    assert (article.published_date, article.date_status) == (None, status)


def test_html_text_drops_navigation_and_repeated_headline():
    [article] = read("page_ok.html")
    assert "Home" not in article.text
    assert not article.text.startswith("Library reopens")
    assert "5,000 books" in article.text
    assert article.text_origin == ORIGIN_FILE


def test_json_lines_keep_good_lines_and_reject_bad_ones():
    records = read("mixed.jsonl")
    by_location = {r.location: r for r in records}
    assert sorted(by_location) == [f"mixed.jsonl:{n}" for n in (1, 2, 3, 5, 6, 7)]
    assert isinstance(by_location["mixed.jsonl:1"], RawArticle)
    assert by_location["mixed.jsonl:1"].published_date == date(2025, 1, 14)
    assert by_location["mixed.jsonl:2"].reason == "malformed_json"
    assert by_location["mixed.jsonl:3"].date_status == DATE_MISSING
    assert by_location["mixed.jsonl:5"].reason == "malformed_json"
    assert by_location["mixed.jsonl:6"].reason == "no_text"
    assert by_location["mixed.jsonl:7"].date_status == DATE_INVALID


def test_json_line_with_raw_line_separator_is_one_record():
    [article] = read("line_separator.jsonl")
    assert isinstance(article, RawArticle)
    assert "\u2028" in article.text


def test_json_array_document():
    records = read("array.json")
    assert [type(r).__name__ for r in records] == ["RawArticle", "Reject"]
    assert records[0].location == "array.json[0]"
    assert records[0].published_date == date(2025, 3, 3)
    assert records[1].reason == "malformed_json"


def test_rss_entries_from_a_file_use_entry_text_and_keep_bad_dates():
    records = read("feed_ok.rss")
    assert [r.location for r in records] == [f"feed_ok.rss#R-{n}" for n in (1, 2, 3, 4)]
    first, bad_date, no_date, empty = records
    assert first.text == "Volunteers planted 400 trees along the river on Sunday."
    assert first.published_date == date(2025, 3, 3)
    assert first.text_origin == ORIGIN_FEED_ENTRY
    assert first.url == "http://127.0.0.1/r1"
    assert (bad_date.published_date, bad_date.date_status) == (None, DATE_INVALID)
    assert (no_date.published_date, no_date.date_status) == (None, DATE_MISSING)
    assert isinstance(empty, Reject) and empty.reason == "no_text"


def test_atom_prefers_the_longer_content_over_the_summary():
    [article] = read("feed_ok.atom")
    assert "85 pupils" in article.text


def test_legacy_encoding_is_decoded_and_noted():
    [article] = read("latin1.txt")
    assert isinstance(article, RawArticle)
    assert article.title == "Café reopens on the square"
    assert "façade" in article.text
    assert article.note and article.note.startswith("decoded from")


@pytest.mark.parametrize("bom_codec", ["utf-16", "utf-8-sig", "utf-32"])
def test_byte_order_marks_are_honoured(tmp_path, bom_codec):
    path = tmp_path / "bom.txt"
    path.write_bytes("Water restored\nWater supply was restored to 2,000 homes.\n".encode(bom_codec))
    [article] = read_file(path, "test")
    assert isinstance(article, RawArticle)
    assert article.title == "Water restored"


def test_read_file_locates_records_by_path_when_given_no_location():
    [article] = read_file(FIXTURES / "seed_ok.txt", "seeds")
    assert article.source == "seeds"
    assert article.location == str(FIXTURES / "seed_ok.txt")
    assert article.source_id == "T-1"


def test_shipped_seeds_and_samples_read_cleanly(tmp_path):
    repo = Path(__file__).resolve().parents[2]
    specs = {s.name: s for s in load_sources(repo / "pipelines" / "sources.toml")}
    [seed] = iter_source(specs["seeds"], root=repo, state_dir=tmp_path)
    assert (seed.source_id, seed.published_date) == ("403", date(2025, 6, 18))  # the samples stay out
    assert list(iter_source(specs["samples"], root=repo, state_dir=tmp_path)) == []  # disabled by default
    samples = dataclasses.replace(specs["samples"], enabled=True)
    records = list(iter_source(samples, root=repo, state_dir=tmp_path))
    assert [r for r in records if isinstance(r, Reject)] == []
    suffixes = {r.location.split("#")[0].split(":")[0].split("[")[0].rsplit(".", 1)[1] for r in records}
    assert suffixes == {"txt", "jsonl", "json", "html", "rss", "atom"}
    assert all(r.date_status == "ok" for r in records if r.source_id)
