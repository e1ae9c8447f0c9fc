"""The `tally` command line: extract without Dagster, read-only query, snapshot verify."""

import json
import subprocess
import sys

import dagster as dg
import pytest

from pipelines.cli import main
from pipelines.query import QueryRefused, check_read_only
from pipelines.runner import materialize_all
from tests.conftest import ROOT, SEED_FIGURES, SEEDS

FIGURES_MD_FIELDS = {
    "article_id", "category", "value", "value_low", "value_high", "qualifier", "vague_term", "party", "actor",
    "claimant", "location", "modality", "cumulative", "text", "char_start", "char_end", "sentence", "rule",
}


def test_extract_jsonl_carries_every_figures_md_field(seed_file, capsys):
    assert main(["extract", str(seed_file), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 7
    assert all(FIGURES_MD_FIELDS <= set(r) for r in rows)
    assert {r["article_id"] for r in rows} == {"403"}
    got = {(r["category"], r["value"], r["value_low"], r["value_high"], r["qualifier"], r["party"], r["actor"],
            r["modality"]) for r in rows}
    assert got == SEED_FIGURES


def test_extract_reads_json_lines_and_plain_text(tmp_path, capsys):
    jl = tmp_path / "a.jsonl"
    article = {"id": "x1", "title": "Clash", "text": "Twelve soldiers were killed in the attack."}
    jl.write_text(json.dumps(article) + "\n")
    txt = tmp_path / "b.txt"
    txt.write_text("Headline here\nThe ministry said 40 soldiers were wounded.\n")
    assert main(["extract", str(jl), str(txt), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("article_id,category,value")
    assert any(line.startswith("x1,killed,12,") for line in out)
    assert any(",wounded,40," in line for line in out)


def test_extract_csv_keeps_integers_where_a_bound_is_empty(tmp_path, capsys):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "b1", "title": "T", "text": "More than 7,000 soldiers are missing."}) + "\n")
    assert main(["extract", str(path), "--format", "csv"]) == 0
    header, row = capsys.readouterr().out.splitlines()[:2]
    fields = dict(zip(header.split(","), row.split(","), strict=False))
    assert (fields["value"], fields["value_low"], fields["value_high"]) == ("7000", "7000", "")


def test_extract_into_a_closed_pipe_exits_quietly(tmp_path):
    path = tmp_path / "many.jsonl"
    line = {"title": "T", "text": "Twelve soldiers were killed and 30 were wounded. " * 20}
    path.write_text("".join(json.dumps({"id": f"m{i}", **line}) + "\n" for i in range(400)))  # output >> a pipe
    proc = subprocess.run(f"{sys.executable} -m pipelines.cli extract {path} --format jsonl | head -1",
                          shell=True, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr
    assert json.loads(proc.stdout)["article_id"] == "m0"


def test_extract_reports_unreadable_files(tmp_path, capsys):
    missing = tmp_path / "nope.txt"
    assert main(["extract", str(missing)]) == 1
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    "sql",
    [
        "DROP VIEW figures",
        "CREATE TABLE x AS SELECT 1",
        "COPY (SELECT 1) TO 'out.csv'",
        "INSERT INTO figures VALUES (1)",
        "SELECT 1; DELETE FROM figures",
        "ATTACH 'other.duckdb'",
        "INSTALL httpfs",
        "SET enable_external_access = true",
    ],
)
def test_statements_that_would_change_anything_are_refused(sql):
    with pytest.raises(QueryRefused, match="refused"):
        check_read_only(sql)


@pytest.fixture(scope="module")
def populated(tmp_path_factory):
    data = tmp_path_factory.mktemp("cli") / "data"
    assert materialize_all(data, [SEEDS], instance=dg.DagsterInstance.ephemeral(), log_level="WARNING").success
    return data


def tally(populated, *args):
    env = {"TALLY_DATA_DIR": str(populated), "PATH": "", "HOME": str(populated)}
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_query_prints_the_seed_figures_as_csv(populated):
    proc = tally(populated, "query", "SELECT category, value FROM figures ORDER BY value", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["category,value"] + [
        f"{c},{v}" for c, v in sorted({(c, v) for c, v, *_ in SEED_FIGURES}, key=lambda cv: cv[1])]


def test_query_cannot_read_files_outside_the_data_folder(populated):
    proc = tally(populated, "query", "SELECT * FROM read_csv('/etc/passwd')")
    assert proc.returncode == 2
    assert "refused" in proc.stderr


def test_query_cannot_write_files(populated):
    proc = tally(populated, "query", f"COPY (SELECT 1) TO '{populated}/x.csv'")
    assert proc.returncode == 2 and "COPY statements are not allowed" in proc.stderr
    assert not (populated / "x.csv").exists()


def test_query_json_output(populated):
    proc = tally(populated, "query", "SELECT count(*) AS n FROM figures", "--format", "json")
    assert json.loads(proc.stdout) == [{"n": 7}]


def test_snapshot_verify_passes_then_fails_after_tampering(populated):
    assert tally(populated, "snapshot", "--verify").returncode == 0
    latest = (populated / "snapshots" / "LATEST").read_text().strip()
    target = populated / "snapshots" / latest / "articles.parquet"
    original = target.read_bytes()
    try:
        target.write_bytes(original[:-8] + b"tampered")
        proc = tally(populated, "snapshot", "--verify", latest)
        assert proc.returncode == 1 and "MISMATCH" in proc.stderr
    finally:
        target.write_bytes(original)
