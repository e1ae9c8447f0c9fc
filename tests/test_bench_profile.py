"""bench/profile_extractor.py (make profile): a pyinstrument profile of the rule engine over corpus articles."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).parents[1] / "bench"


def _load():
    """Import the script as the command line would, leaving sys.path as it was (it adds bench/ to it)."""
    saved = list(sys.path)
    try:
        spec = importlib.util.spec_from_file_location("bench_profile_extractor", BENCH / "profile_extractor.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path[:] = saved


def test_profile_names_the_rule_engine_functions(tmp_path, capsys):
    profile = _load()
    html = tmp_path / "profile.html"
    assert profile.main(["--n", "60", "--html", str(html)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("60 articles in ")
    for name in ("extract_figures", "find_numbers", "_mentions"):
        assert name in out
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")


def test_profile_reads_a_corpus_file(tmp_path, capsys):
    profile = _load()
    corpus = tmp_path / "articles.jsonl"
    corpus.write_text(
        '{"id": "a", "title": "Strike", "text": "At least 12 soldiers were killed, officials said."}\n\n'
        '{"id": "b", "text": "Five civilians were wounded."}\n',
        encoding="utf-8",
    )
    assert [t for t, _ in profile.sample_articles(corpus, 10, 7)] == [
        "At least 12 soldiers were killed, officials said.",
        "Five civilians were wounded.",
    ]
    assert profile.main(["--corpus", str(corpus)]) == 0
    assert capsys.readouterr().out.startswith("2 articles in ")
