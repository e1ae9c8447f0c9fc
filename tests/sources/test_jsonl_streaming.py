"""Bulk JSON Lines files are streamed: the size cap applies per line, and a bad line is rejected on its own."""

import json

from assets.sources import RawArticle, Reject, read_file


def line(i: int, text: str = "Five soldiers were wounded.") -> bytes:
    return (json.dumps({"id": f"a{i}", "title": f"T{i}", "text": text}) + "\n").encode()


def test_a_file_larger_than_the_cap_is_read_when_each_line_fits(tmp_path):
    path = tmp_path / "bulk.jsonl"
    path.write_bytes(b"".join(line(i) for i in range(500)))
    assert path.stat().st_size > 20_000
    records = list(read_file(path, "bulk", max_bytes=1_000))
    assert len(records) == 500 and all(isinstance(r, RawArticle) for r in records)
    assert records[-1].location.endswith(":500")


def test_an_oversized_line_is_rejected_and_the_next_lines_still_read(tmp_path):
    path = tmp_path / "bulk.jsonl"
    path.write_bytes(line(1) + line(2, "x" * 5_000) + line(3))
    records = list(read_file(path, "bulk", max_bytes=1_000))
    assert [type(r).__name__ for r in records] == ["RawArticle", "Reject", "RawArticle"]
    assert records[1].reason == "too_large" and records[1].location.endswith(":2")
    assert records[1].size_bytes > 5_000
    assert records[2].source_id == "a3"


def test_a_line_that_is_not_utf8_deep_in_a_bulk_file_is_rejected_alone(tmp_path):
    path = tmp_path / "bulk.jsonl"
    good = b"".join(line(i) for i in range(2_000))  # well past the start that decides how the file is read
    path.write_bytes(good + b'{"id": "x", "text": "caf\xe9"}\n' + line(2_001))
    records = list(read_file(path, "bulk"))
    assert [r.reason for r in records if isinstance(r, Reject)] == ["encoding"]
    assert sum(isinstance(r, RawArticle) for r in records) == 2_001


def test_a_small_file_in_a_legacy_encoding_is_decoded_whole(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes('{"id": "x", "text": "Le café a été touché, 3 morts."}\n'.encode("cp1252"))
    [record] = read_file(path, "bulk")
    assert isinstance(record, RawArticle) and "café" in record.text


def test_a_byte_order_mark_on_the_first_line_is_accepted(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + line(1))
    [record] = read_file(path, "bulk")
    assert isinstance(record, RawArticle) and record.source_id == "a1"


def test_a_file_of_only_blank_lines_or_a_byte_order_mark_is_still_accounted_for(tmp_path):
    for name, data in [("bom.jsonl", b"\xef\xbb\xbf"), ("blank.jsonl", b"\n   \n\n" + b" " * 70_000 + b"\n")]:
        path = tmp_path / name
        path.write_bytes(data)
        [record] = read_file(path, "bulk")
        assert isinstance(record, Reject) and record.reason == "empty", (name, record)
