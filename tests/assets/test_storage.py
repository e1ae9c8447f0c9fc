"""The Parquet warehouse: parts are written whole, named by content, and read back with their types."""

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from assets.storage import TableStore, atomic_write_bytes, part_name
from schemas import ArticleRejectSchema, arrow_schema

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def rejects(*ids: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "reject_id": list(ids),
            "source": "inbox",
            "location": [f"inbox/{i}" for i in ids],
            "reason": "empty",
            "detail": "",
            "size_bytes": 0,
            "raw_sha256": None,
            "rejected_at": NOW,
        }
    )


def store(tmp_path) -> TableStore:
    return TableStore(tmp_path, "article_rejects", arrow_schema(ArticleRejectSchema))


def test_an_empty_table_reads_as_zero_typed_rows(tmp_path):
    table = store(tmp_path)
    table.ensure()
    df = table.read()
    assert df.empty and list(df.columns) == table.schema.names
    assert pq.read_schema(tmp_path / "article_rejects" / "_empty.parquet") == table.schema


def test_append_is_idempotent_for_the_same_rows(tmp_path):
    table = store(tmp_path)
    first = table.append(rejects("a" * 16, "b" * 16), ["a" * 16, "b" * 16])
    again = table.append(rejects("a" * 16, "b" * 16), ["b" * 16, "a" * 16])
    assert first == again
    assert table.count() == 2
    table.append(rejects("c" * 16), ["c" * 16])
    assert table.count() == 3
    assert sorted(table.read()["reject_id"]) == ["a" * 16, "b" * 16, "c" * 16]


def test_append_of_nothing_writes_no_part(tmp_path):
    table = store(tmp_path)
    assert table.append(rejects(), []) is None
    assert [p.name for p in table.parts()] == ["_empty.parquet"]


def test_temporary_files_are_not_parts(tmp_path):
    table = store(tmp_path)
    table.ensure()
    (table.dir / ".part-x.parquet.123.tmp").write_bytes(b"half a file")
    (table.dir / ".part-y.parquet").write_bytes(b"half a file")
    assert [p.name for p in table.parts()] == ["_empty.parquet"]
    assert table.read().empty


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    atomic_write_bytes(tmp_path / "LATEST", b"v1\n")
    atomic_write_bytes(tmp_path / "LATEST", b"v2\n")
    assert (tmp_path / "LATEST").read_bytes() == b"v2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["LATEST"]


def test_part_names_depend_on_the_keys_only():
    assert part_name(["x", "y"]) == part_name(["y", "x"])
    assert part_name(["x"]) != part_name(["x", "y"])


def test_parts_of_a_superseded_version_are_dropped(tmp_path):
    from schemas import ExtractionSchema

    table = TableStore(tmp_path, "extractions", arrow_schema(ExtractionSchema))

    def rows(version: str, ids: list[str]) -> pd.DataFrame:
        return pd.DataFrame({"article_id": ids, "extractor_version": version, "figures": 1, "rejects": 0,
                             "extracted_at": NOW})

    old = table.append(rows("1.0", ["a" * 16]), ["1.0", "a"])
    new = table.append(rows("2.0", ["a" * 16, "b" * 16]), ["2.0", "a", "b"])
    assert table.drop_parts_without("extractor_version", "2.0") == [old]
    assert new.exists() and (table.dir / "_empty.parquet").exists()
    assert set(table.read()["extractor_version"]) == {"2.0"}


def test_storage_locations_accept_file_urls_and_refuse_object_storage_plainly(tmp_path, monkeypatch):
    from assets.resources import TallyStore
    from assets.storage import local_path
    from pipelines import settings

    assert local_path(f"file://{tmp_path}/data") == tmp_path / "data"
    assert local_path("file://localhost/srv/tally%20data") == Path("/srv/tally data")
    assert local_path(str(tmp_path)) == tmp_path
    assert TallyStore(data_dir=f"file://{tmp_path}/data").warehouse_dir == (tmp_path / "data" / "warehouse").resolve()
    monkeypatch.setenv("TALLY_DATA_DIR", f"file://{tmp_path}/elsewhere")
    assert settings.data_dir() == (tmp_path / "elsewhere").resolve()
    for url in ("s3://bucket/tally", "gs://bucket/tally", "file://otherhost/data"):
        with pytest.raises(ValueError):
            local_path(url)
