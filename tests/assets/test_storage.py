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


def test_storage_locations_accept_file_urls_and_take_object_storage_as_fsspec_paths(tmp_path, monkeypatch):
    from upath import UPath

    from assets.resources import TallyStore
    from assets.storage import is_remote, local_path, storage_location
    from pipelines import settings

    assert local_path(f"file://{tmp_path}/data") == tmp_path / "data"
    assert local_path("file://localhost/srv/tally%20data") == Path("/srv/tally data")
    assert local_path(str(tmp_path)) == tmp_path
    assert TallyStore(data_dir=f"file://{tmp_path}/data").warehouse_dir == (tmp_path / "data" / "warehouse").resolve()
    monkeypatch.setenv("TALLY_DATA_DIR", f"file://{tmp_path}/elsewhere")
    assert settings.data_dir() == (tmp_path / "elsewhere").resolve()
    for url in ("s3://bucket/tally", "gs://bucket/tally", "memory://tally"):
        assert is_remote(url)
        location = storage_location(url)
        assert isinstance(location, UPath) and not isinstance(location, Path) and str(location) == url
        with pytest.raises(ValueError):
            local_path(url)
    with pytest.raises(ValueError):
        local_path("file://otherhost/data")
    assert not is_remote(f"file://{tmp_path}") and not is_remote(tmp_path) and not is_remote("C:/data")


def test_a_table_on_an_fsspec_filesystem_behaves_as_on_disk():
    """memory:// stands in for object storage here (tests/assets/test_object_storage.py runs S3 itself)."""
    from upath import UPath

    from schemas import ExtractionSchema

    root = UPath("memory://tally-storage-test/warehouse")
    table = TableStore(root, "extractions", arrow_schema(ExtractionSchema))
    try:
        assert table.remote and table.read().empty and table.count() == 0

        def rows(version: str, ids: list[str]) -> pd.DataFrame:
            return pd.DataFrame({"article_id": ids, "extractor_version": version, "figures": 1, "rejects": 0,
                                 "extracted_at": NOW})

        old = table.append(rows("1.0", ["a" * 16]), ["1.0", "a"])
        new = table.append(rows("2.0", ["a" * 16, "b" * 16]), ["2.0", "a", "b"])
        assert table.append(rows("2.0", ["a" * 16, "b" * 16]), ["2.0", "b", "a"]) == new  # same part again
        assert [p.name for p in table.parts()] == sorted(["_empty.parquet", old.name, new.name])
        assert table.count() == 3 and len(table.read_part(new)) == 2
        assert table.glob() == "memory://tally-storage-test/warehouse/extractions/*.parquet"
        assert table.drop_parts_without("extractor_version", "2.0") == [old]
        assert set(table.read()["extractor_version"]) == {"2.0"}
        batches = list(table.iter_batches(columns=["article_id"], batch_size=1))
        assert sorted(b["article_id"].iloc[0] for b in batches) == ["a" * 16, "b" * 16]
        atomic_write_bytes(root / "LATEST", b"v1\n")
        assert (root / "LATEST").read_bytes() == b"v1\n"
    finally:
        root.fs.rm(root.path, recursive=True)
