"""Every bad input becomes exactly one Reject with a reason code; nothing raises, nothing is dropped."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assets.sources import REASONS, RawArticle, Reject, SourceSpec, count_inputs, iter_source, read_file

from .conftest import FIXTURES

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
# Bytes no single-byte or multi-byte code page reads as sensible text: charset-normalizer finds no match.
UNDETECTABLE = bytes(range(0x80, 0x100)) * 4

GENERATED: dict[str, bytes] = {
    "empty.txt": b"",
    "blank.txt": b"  \n\t\n\n",
    "bom_only.txt": b"\xef\xbb\xbf   \n",
    "image.png": PNG_HEADER,
    "nul.txt": b"Title\nsome text\x00with a NUL byte in it\n",
    "control.txt": bytes(range(1, 9)) * 40,
    "gzipped.jsonl": b"\x1f\x8b\x08\x00" + b"\x01" * 40,
    "undetectable.txt": UNDETECTABLE,
}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty"),
        ("blank.txt", "empty"),
        ("bom_only.txt", "empty"),
        ("image.png", "binary"),
        ("nul.txt", "binary"),
        ("control.txt", "binary"),
        ("gzipped.jsonl", "binary"),
        ("undetectable.txt", "encoding"),
    ],
)
def test_unreadable_bytes_are_rejected_with_size_and_hash(tmp_path, name, reason):
    path = tmp_path / name
    path.write_bytes(GENERATED[name])
    [record] = read_file(path, "test")
    assert isinstance(record, Reject)
    assert record.reason == reason, record.detail
    assert record.detail
    assert record.size_bytes == len(GENERATED[name])
    assert record.sha256 == hashlib.sha256(GENERATED[name]).hexdigest()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("seed_header_only.txt", "no_text"),
        ("plain_title_only.txt", "no_text"),
        ("page_no_text.html", "no_article_text"),
        ("not_a_feed.rss", "not_a_feed"),
        ("broken.xml", "not_a_feed"),
        ("empty_feed.rss", "empty_feed"),
    ],
)
def test_fixture_files_that_hold_no_article(name, reason):
    [record] = read_file(FIXTURES / name, "test", location=name)
    assert isinstance(record, Reject)
    assert (record.reason, record.location) == (reason, name)


def test_oversized_file_is_rejected_without_reading_it_whole(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Big file\n" + "word " * 5000)
    [record] = read_file(path, "test", max_bytes=1000)
    assert record.reason == "too_large"
    assert record.size_bytes == path.stat().st_size
    assert "max_bytes=1000" in record.detail


def test_max_bytes_from_the_source_spec_applies(tmp_path):
    (tmp_path / "big.txt").write_text("Big file\n" + "word " * 500)
    (tmp_path / "small.txt").write_text("Small file\nshort body\n")
    spec = SourceSpec(name="inbox", kind="folder", path=".", max_bytes=200)
    records = list(iter_source(spec, root=tmp_path, state_dir=tmp_path / "state"))
    assert [(type(r).__name__, r.location) for r in records] == [
        ("Reject", "big.txt"),
        ("RawArticle", "small.txt"),
    ]


def test_missing_single_file_source_is_an_unreadable_reject(tmp_path):
    spec = SourceSpec(name="one", kind="file", path="nowhere.txt")
    [record] = iter_source(spec, root=tmp_path, state_dir=tmp_path)
    assert (record.reason, record.source, record.location) == ("unreadable", "one", "nowhere.txt")


def test_a_path_that_cannot_be_read_as_a_file_is_unreadable(tmp_path):
    (tmp_path / "looks_like_a_file.txt").mkdir()
    spec = SourceSpec(name="one", kind="file", path="looks_like_a_file.txt")
    [record] = iter_source(spec, root=tmp_path, state_dir=tmp_path)
    assert record.reason == "unreadable"
    assert "IsADirectoryError" in record.detail


def test_folder_source_pointing_at_a_file(tmp_path):
    (tmp_path / "inbox").write_text("not a folder")
    spec = SourceSpec(name="inbox", kind="folder", path="inbox")
    [record] = iter_source(spec, root=tmp_path, state_dir=tmp_path)
    assert (record.reason, record.location) == ("unreadable", "inbox")


def test_absent_folder_is_an_empty_inbox(tmp_path):
    spec = SourceSpec(name="inbox", kind="folder", path="data/inbox")
    assert list(iter_source(spec, root=tmp_path, state_dir=tmp_path)) == []


def test_a_reader_bug_becomes_an_internal_error_reject(tmp_path, monkeypatch):
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>text</p></body></html>")

    def boom(*args, **kwargs):
        raise RuntimeError("simulated reader bug")

    monkeypatch.setattr("assets.sources.dispatch.parse_html", boom)
    [record] = read_file(path, "test")
    assert record.reason == "internal_error"
    assert "simulated reader bug" in record.detail


def test_every_reason_code_is_documented():
    assert all(isinstance(k, str) and v for k, v in REASONS.items())


def test_a_folder_of_good_and_bad_inputs_is_fully_accounted_for(tmp_path):
    for name in [
        "seed_ok.txt",
        "mixed.jsonl",
        "page_no_text.html",
        "feed_ok.rss",
        "not_a_feed.rss",
        "latin1.txt",
    ]:
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    for name, data in GENERATED.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / ".gitkeep").write_bytes(b"")
    sub = tmp_path / "nested"
    sub.mkdir()
    (sub / "plain_ok.txt").write_bytes((FIXTURES / "plain_ok.txt").read_bytes())
    spec = SourceSpec(name="inbox", kind="folder", path=str(tmp_path), recursive=True)
    records = list(iter_source(spec, root=Path("/"), state_dir=tmp_path / "state"))
    counts = count_inputs(records)
    # seed 1, mixed.jsonl 6, html 1, rss 4, not-a-feed 1, latin1 1, generated 8, nested 1; .gitkeep skipped
    assert counts.inputs == 23
    assert counts.articles == sum(isinstance(r, RawArticle) for r in records) == 9
    assert counts.reasons == {
        "binary": 4,
        "empty": 3,
        "encoding": 1,
        "malformed_json": 2,
        "no_article_text": 1,
        "no_text": 2,
        "not_a_feed": 1,
    }
    assert not any(r.location.endswith(".gitkeep") for r in records)
    assert set(counts.reasons) <= set(REASONS)
