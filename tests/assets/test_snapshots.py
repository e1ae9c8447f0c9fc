"""Snapshots: immutable versions, LATEST written last, unchanged tables give no new version, tampering is caught."""

import json

import duckdb
import pytest

from assets.snapshots import LATEST, list_versions, prune_snapshots, publish_snapshot, verify_snapshot


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "tally.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE articles AS SELECT 'a' AS article_id, 'x' AS text")
        con.execute("CREATE TABLE article_rejects AS SELECT 'r' AS reject_id WHERE false")
        con.execute("CREATE TABLE figures AS SELECT 'f' AS figure_id, 3 AS value")
        con.execute("CREATE TABLE figure_rejects AS SELECT 'f' AS figure_id, 'c' AS \"check\", 'v' AS \"column\"")
        con.execute("CREATE TABLE claims AS SELECT 'c' AS claim_id, 'f' AS figure_ids")
    return path


def card(version: str) -> str:
    return f"card {version}\n"


def test_a_snapshot_has_one_file_per_table_and_a_manifest(tmp_path, db):
    snaps = tmp_path / "snapshots"
    result = publish_snapshot(db, snaps, "1.0", card)
    assert result.created
    assert (snaps / LATEST).read_text().strip() == result.version
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["extractor_version"] == "1.0"
    assert manifest["tables"]["figures"]["rows"] == 1
    assert manifest["tables"]["article_rejects"]["rows"] == 0
    assert {e["file"] for e in manifest["tables"].values()} == {
        "articles.parquet", "article_rejects.parquet", "figures.parquet", "figure_rejects.parquet", "claims.parquet"}
    assert (result.path / "README.md").read_text() == f"card {result.version}\n"
    assert verify_snapshot(snaps) == []


def test_unchanged_tables_publish_no_new_version(tmp_path, db):
    snaps = tmp_path / "snapshots"
    first = publish_snapshot(db, snaps, "1.0", card)
    second = publish_snapshot(db, snaps, "1.0", card)
    assert not second.created and second.version == first.version
    assert list_versions(snaps) == [first.version]


def test_changed_tables_publish_a_new_version(tmp_path, db):
    snaps = tmp_path / "snapshots"
    first = publish_snapshot(db, snaps, "1.0", card)
    with duckdb.connect(str(db)) as con:
        con.execute("INSERT INTO figures VALUES ('g', 4)")
    second = publish_snapshot(db, snaps, "1.0", card)
    assert second.created and second.version > first.version
    assert (snaps / LATEST).read_text().strip() == second.version


def test_verify_reports_a_tampered_file(tmp_path, db):
    snaps = tmp_path / "snapshots"
    result = publish_snapshot(db, snaps, "1.0", card)
    target = result.path / "figures.parquet"
    data = bytearray(target.read_bytes())
    data[10] ^= 0xFF
    target.write_bytes(bytes(data))
    problems = verify_snapshot(snaps, result.version)
    assert any("figures" in p and "sha256" in p for p in problems)


def test_verify_without_any_snapshot_says_so(tmp_path):
    assert verify_snapshot(tmp_path / "nothing") == ["no snapshot has been published yet"]


def test_pruning_keeps_the_newest_and_latest(tmp_path):
    snaps = tmp_path / "snapshots"
    for version in ["v1", "v2", "v3"]:
        (snaps / version).mkdir(parents=True)
        (snaps / version / "manifest.json").write_text("{}")
    (snaps / LATEST).write_text("v3\n")
    assert prune_snapshots(snaps, keep=2) == ["v1"]
    assert list_versions(snaps) == ["v2", "v3"]


def test_a_large_table_is_exported_in_bounded_row_groups_in_order(tmp_path):
    import pyarrow.parquet as pq

    from assets.snapshots import EXPORT_ROW_GROUP

    path = tmp_path / "tally.duckdb"
    n = EXPORT_ROW_GROUP * 2 + 17
    with duckdb.connect(str(path)) as con:  # ids inserted in reverse, so the export has to sort them
        con.execute(f"CREATE TABLE articles AS SELECT printf('%08d', {n} - i) AS article_id, repeat('x', 300) AS text "
                    f"FROM range({n}) t(i)")
        con.execute("CREATE TABLE article_rejects AS SELECT 'r' AS reject_id WHERE false")
        con.execute("CREATE TABLE figures AS SELECT 'f' AS figure_id WHERE false")
        con.execute("CREATE TABLE figure_rejects AS SELECT 'f' AS figure_id, 'c' AS \"check\", 'v' AS \"column\" "
                    "WHERE false")
        con.execute("CREATE TABLE claims AS SELECT 'c' AS claim_id WHERE false")
    result = publish_snapshot(path, tmp_path / "snapshots", "1.0", card)
    exported = pq.ParquetFile(result.path / "articles.parquet")
    sizes = [exported.metadata.row_group(i).num_rows for i in range(exported.metadata.num_row_groups)]
    assert sum(sizes) == n and max(sizes) <= EXPORT_ROW_GROUP
    ids = exported.read(columns=["article_id"]).column("article_id").to_pylist()
    assert ids == sorted(ids)


@pytest.mark.parametrize(
    "table,order", [("articles", "article_id"), ("figure_rejects", 'figure_id, "check", "column"')]
)
def test_a_table_sorted_in_ranges_equals_the_table_sorted_whole(tmp_path, monkeypatch, table, order):
    import pyarrow.parquet as pq

    from assets import snapshots

    n = 5_003
    with duckdb.connect() as con:
        # keys repeat (ranges must not split them), one is NULL (sorted last), rows arrive unsorted
        con.execute(
            f"CREATE TABLE articles AS SELECT CASE WHEN i = 77 THEN NULL ELSE printf('%05d', (i * 7919) % 1500) END "
            f"AS article_id, i AS n, repeat('x', i % 50) AS text, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS at "
            f"FROM range({n}) t(i)"
        )
        con.execute(
            "CREATE TABLE figure_rejects AS SELECT printf('%04d', (i * 31) % 900) AS figure_id, "
            "CASE WHEN i % 3 = 0 THEN 'a' ELSE 'b' END AS \"check\", printf('%d', i % 7) AS \"column\", i AS n, "
            "[printf('%d', i), 'x'] AS ids, DATE '2026-01-01' + (i % 40)::INTEGER AS day, i % 2 = 0 AS even "
            f"FROM range({n}) t(i)"
        )
        whole, ranged = tmp_path / "whole.parquet", tmp_path / "ranged.parquet"
        snapshots._export(con, table, order, whole, tmp_path)
        monkeypatch.setattr(snapshots, "EXPORT_SORT_BYTES", 40_000)  # a few hundred rows per range
        snapshots._export(con, table, order, ranged, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ranged.parquet", "whole.parquet"]  # the split removed
    a, b = pq.read_table(whole), pq.read_table(ranged)
    # the same columns and types (what a snapshot's manifest records); DuckDB may mark NOT NULL differently
    assert [(f.name, f.type) for f in a.schema] == [(f.name, f.type) for f in b.schema]
    assert len(b) == n
    # rows with equal sort keys may come in either order; everything else is in the same place
    keys = [c.strip().strip('"') for c in order.split(",")]
    assert b.select(keys).to_pylist() == a.select(keys).to_pylist()
    assert sorted(b.to_pylist(), key=lambda r: r["n"]) == sorted(a.to_pylist(), key=lambda r: r["n"])
    assert pq.ParquetFile(ranged).metadata.num_row_groups > 1
