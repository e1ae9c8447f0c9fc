"""Whole-article behaviour: dedup, title handling, offsets, the seed article, version, linear time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors import EXTRACTOR_VERSION, extract_figures
from extractors import lexicon as lx

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_410c8fd8b902e478.txt"

ARTICLES = [
    (
        "Strike kills 12 soldiers",
        "An overnight strike killed 12 soldiers near the river. The army later said 12 soldiers were killed "
        "and 30 were wounded. No civilians were hurt.",
    ),
    (
        "Thousands of troops to be sent",
        "The government will send thousands of troops to the border. Officials said 2,000 soldiers would go "
        "first, and another 3,000 troops would follow.",
    ),
    (
        None,
        "Rebels freed 40 hostages on Monday, while 15 hostages remain in captivity. A soldier was killed.",
    ),
    ("Hundreds dead", "Floods killed hundreds of people. At least 300 people died, the ministry said."),
    ("", "Nothing to see here: the talks lasted 3 hours on 4 May 2024 and cost $5 million."),
]


def _seed():
    raw = SEED.read_text(encoding="utf-8")
    _header, title, body = raw.split("\n", 2)
    return title, body


def test_same_category_and_value_twice_is_one_figure_with_mentions():
    title, text = ARTICLES[0]
    figs = [f for f in extract_figures(text, title) if f.category == "killed"]
    assert [(f.value, f.mentions, f.field) for f in figs] == [(12, 3, "text")]
    assert figs[0].char_start == text.index("killed 12")


def test_figure_only_in_title_has_title_field_and_title_offsets():
    title = "Blast wounds 9 workers"
    fig = [f for f in extract_figures("The plant was closed on Monday.", title)][0]
    assert fig.field == "title"
    assert title[fig.char_start : fig.char_end] == fig.text
    assert (fig.category, fig.value) == ("wounded", 9)


def test_vague_word_in_title_and_body_is_one_figure():
    title, text = ARTICLES[1]
    figs = [(f.category, f.value, f.mentions) for f in extract_figures(text, title) if f.value == 2000]
    assert figs == [("troops_deployed", 2000, 2)]  # "2,000 soldiers would go" is not a deployment verb


def test_hypothetical_mention_gives_way_to_asserted_one():
    text = "A dam collapse could kill 500 people. Last year a collapse did kill 500 people downstream."
    figs = extract_figures(text)
    assert [(f.value, f.modality) for f in figs] == [(500, "asserted")]


@pytest.mark.parametrize("title,text", ARTICLES + [_seed()])
def test_offsets_slice_to_text(title, text):
    figs = extract_figures(text, title)
    for f in figs:
        source = title if f.field == "title" else text
        assert source[f.char_start : f.char_end] == f.text
        assert f.text in f.sentence
        assert f.sentence in source


SEED_EXPECTED = {
    ("troops_deployed", 2000): (2000, 9999, "vague", "thousands", "North Korea", "North Korea", "planned"),
    ("troops_deployed", 1000): (1000, 1000, "exact", None, "North Korea", "North Korea", "planned"),
    ("troops_deployed", 5000): (5000, 5000, "exact", None, "North Korea", "North Korea", "planned"),
    ("casualties", 76000): (76000, None, "more_than", None, "Ukraine", None, "asserted"),
    ("remains_exchanged", 6060): (6060, 6060, "exact", None, "Ukraine", "Russia", "asserted"),
    ("remains_exchanged", 78): (78, 78, "exact", None, "Russia", "Ukraine", "asserted"),
    ("remains_exchanged", 1248): (1248, 1248, "exact", None, "Ukraine", "Russia", "planned"),
}


def test_seed_article_exact_figures():
    title, text = _seed()
    figs = extract_figures(text, title)
    got = {
        (f.category, f.value): (
            f.value_low,
            f.value_high,
            f.qualifier,
            f.vague_term,
            f.party,
            f.actor,
            f.modality,
        )
        for f in figs
    }
    assert got == SEED_EXPECTED
    cas = next(f for f in figs if f.category == "casualties")
    assert cas.claimant == "Russia's Defense Ministry"
    assert cas.cumulative is True
    assert cas.text == "over 76,000 casualties"
    thousands = next(f for f in figs if f.value == 2000)
    assert thousands.mentions == 2 and thousands.field == "text"


def test_seed_article_non_figures():
    title, text = _seed()
    values = {f.value for f in extract_figures(text, title)}
    assert not values & {2025, 2024, 403, 18}


def test_version_is_semver_plus_lexicon_hash():
    assert re.fullmatch(r"\d+\.\d+\.\d+\+[0-9a-f]{8}", EXTRACTOR_VERSION)
    assert EXTRACTOR_VERSION.endswith(lx.lexicon_hash())


@pytest.mark.parametrize("blob", ["1" * 1_000_000, "," * 100_000, "9" * 400 + " soldiers were killed"])
def test_huge_digit_runs_and_separators_give_no_figure_of_absurd_size(blob):
    # how the time grows with such inputs is checked in tests/reliability/test_bounded_time.py
    assert all(f.value < 10**12 for f in extract_figures(blob))
