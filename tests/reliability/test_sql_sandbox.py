"""`tally query` cannot change the warehouse, write or delete files, or read files outside data/.

Extends tests/test_cli.py's refusals: every statement kind that writes or reconfigures, EXPLAIN ANALYZE of a
writing statement (it runs what it explains), and file-reading table functions aimed outside data/ by absolute
path, `../`, `~`, URLs, lists, and symlinks inside data/ that lead out. After all of it, the warehouse and the
folder around it are byte-for-byte unchanged.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from assets.storage import TableStore
from assets.views import publish_views
from pipelines.query import QueryRefused, run_query
from schemas import TABLE_MODELS, arrow_schema
from tests.conftest import ROOT

SECRET = "secret-outside-the-data-folder"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("sql")
    (base / "secret.txt").write_text(SECRET + "\n")
    (base / "secret.csv").write_text(f"a\n{SECRET}\n")
    data = base / "data"
    tables = {name: TableStore(data / "warehouse", name, arrow_schema(TABLE_MODELS[name])) for name in TABLE_MODELS}
    publish_views(data / "tally.duckdb", tables, "test")
    (data / "inside.csv").write_text("a\ninside\n")
    (data / "link_dir").symlink_to(base, target_is_directory=True)
    (data / "link_file.csv").symlink_to(base / "secret.csv")
    return base, data


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under `folder` (symlinks not followed) with a hash of its bytes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            out[str(path)] = "-> " + os.readlink(path)
        elif path.is_file():
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


WRITES = [
    "COPY (SELECT 1) TO '{data}/out.csv'",
    "COPY figures TO '{data}/figures.csv'",
    "COPY (SELECT 1) TO '{base}/out.parquet' (FORMAT parquet)",
    "EXPORT DATABASE '{data}/export'",
    "IMPORT DATABASE '{base}'",
    "ATTACH '{data}/other.duckdb' AS other",
    "ATTACH ':memory:' AS m",
    "DETACH tally",
    "USE memory",
    "INSTALL httpfs",
    "LOAD httpfs",
    "FORCE INSTALL httpfs",
    "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
    "CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
    "DROP SECRET s",
    "PRAGMA enable_profiling",
    "PRAGMA database_size",
    "SET enable_external_access = true",
    "SET allowed_directories = ['/']",
    "SET GLOBAL lock_configuration = false",
    "RESET allowed_directories",
    "CHECKPOINT",
    "VACUUM",
    "CALL pragma_version()",
    "CREATE TEMP TABLE t AS SELECT 1",
    "CREATE VIEW v AS SELECT 1",
    "CREATE OR REPLACE VIEW figures AS SELECT 1 AS x",
    "CREATE MACRO m() AS 1",
    "DROP VIEW figures",
    "ALTER VIEW figures RENAME TO f2",
    "INSERT INTO figures SELECT * FROM figures",
    "UPDATE figures SET value = 0",
    "DELETE FROM figures",
    "SELECT 1; COPY (SELECT 1) TO '{data}/second.csv'",
    "EXPLAIN COPY (SELECT 1) TO '{data}/explained.csv'",
    "EXPLAIN ANALYZE COPY (SELECT 1) TO '{data}/analyzed.csv'",
    "explain analyse copy (select 1) to '{data}/analysed.csv'",
    "EXPLAIN ANALYZE EXPORT DATABASE '{data}/export2'",
    "/* comment */ EXPLAIN ANALYZE COPY (SELECT 1) TO '{data}/commented.csv'",
    "SELECT * FROM query('COPY (SELECT 1) TO ''{data}/via_query.csv''')",
]

READS_OUTSIDE = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('{base}/secret.txt')",
    "SELECT * FROM read_text('{data}/../secret.txt')",
    "SELECT * FROM read_csv('{data}/warehouse/../../secret.csv')",
    "SELECT * FROM read_blob('{base}/secret.txt')",
    "SELECT * FROM read_json('{base}/secret.txt')",
    "SELECT * FROM read_parquet('{base}/*.parquet')",
    "SELECT * FROM glob('{base}/*')",
    "SELECT * FROM glob('{data}/../*')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM sniff_csv('{base}/secret.csv')",
    "SELECT * FROM read_text(['{data}/inside.csv', '{base}/secret.txt'])",
    "SELECT * FROM read_text('secret.txt')",
    "SELECT * FROM read_text('../secret.txt')",
    "SELECT * FROM read_text('~/.bashrc')",
    "SELECT * FROM read_text('file://{base}/secret.txt')",
    "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')",
    "SELECT * FROM read_text('{data}/link_dir/secret.txt')",
    "SELECT * FROM read_csv('{data}/link_file.csv')",
    "SELECT * FROM read_text('{data}/link_dir/data/../secret.txt')",
    "SELECT * FROM '{base}/secret.csv'",
    "FROM duckdb_secrets()",
    "WITH x AS (SELECT * FROM read_text('{base}/secret.txt')) SELECT * FROM x",
    "EXPLAIN ANALYZE SELECT * FROM read_text('{base}/secret.txt')",
]


def fill(sql: str, site) -> str:
    base, data = site
    return sql.format(base=base, data=data)


@pytest.mark.parametrize("sql", WRITES)
def test_statements_that_write_or_reconfigure_are_refused_and_change_nothing(site, sql):
    base, data = site
    before = fingerprint(base)
    with pytest.raises((QueryRefused, duckdb.Error)):
        run_query(fill(sql, site), data / "tally.duckdb", data)
    assert fingerprint(base) == before


@pytest.mark.parametrize("sql", READS_OUTSIDE)
def test_files_outside_data_cannot_be_read(site, sql):
    base, data = site
    with pytest.raises((QueryRefused, duckdb.Error)) as info:
        frame = run_query(fill(sql, site), data / "tally.duckdb", data)
        assert SECRET not in frame.to_string()  # only reached if no error: then the secret must not show
    assert SECRET not in str(info.value)


def test_reading_inside_data_still_works(site):
    base, data = site
    frame = run_query(f"SELECT * FROM read_csv('{data}/inside.csv')", data / "tally.duckdb", data)
    assert frame["a"].tolist() == ["inside"]
    assert run_query("EXPLAIN ANALYZE SELECT count(*) FROM figures", data / "tally.duckdb", data).shape[0] >= 1


def test_the_cli_exits_2_on_a_refusal_and_writes_nothing(site):
    base, data = site
    before = fingerprint(base)
    env = {**os.environ, "TALLY_DATA_DIR": str(data)}
    for sql in ["EXPLAIN ANALYZE COPY (SELECT 1) TO '{data}/cli.csv'", "SELECT * FROM read_text('{base}/secret.txt')"]:
        proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "query", fill(sql, site)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2 and "refused" in proc.stderr, proc.stderr
        assert SECRET not in proc.stdout + proc.stderr
    assert fingerprint(base) == before
