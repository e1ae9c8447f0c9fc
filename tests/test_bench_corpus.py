"""The benchmark corpus (bench/corpus.py): deterministic, and typeset like the news it stands for."""

from __future__ import annotations

import importlib.util
import random
from datetime import date
from pathlib import Path

from extractors import extract_figures

_SPEC = importlib.util.spec_from_file_location("bench_corpus", Path(__file__).parents[1] / "bench" / "corpus.py")
corpus = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(corpus)


def _articles(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    return [corpus.make_article(i, rng, date(2022, 1, 1)) for i in range(n)]


def test_same_seed_same_bytes(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert corpus.write_corpus(40, a, seed=3) == corpus.write_corpus(40, b, seed=3)
    assert a.read_bytes() == b.read_bytes()
    corpus.write_corpus(40, b, seed=4)
    assert a.read_bytes() != b.read_bytes()


def test_typeset_replaces_typewriter_punctuation():
    text = 'He said "we didn\'t leave" - and "none" did.\n"Open'
    assert corpus.typeset(text) == "He said \u201cwe didn\u2019t leave\u201d \u2013 and \u201cnone\u201d did.\n\"Open"


def test_most_articles_hold_characters_beyond_ascii():
    articles = _articles(300)
    share = sum(not a["text"].isascii() for a in articles) / len(articles)
    assert 0.88 <= share <= 1.0, share


def test_typesetting_changes_no_figure():
    for article in _articles(150):
        plain = article["text"].replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
        plain = plain.replace(" \u2013 ", " - ")
        typeset = {(f.category, f.value, f.qualifier) for f in extract_figures(article["text"])}
        assert typeset == {(f.category, f.value, f.qualifier) for f in extract_figures(plain)}, article["id"]
