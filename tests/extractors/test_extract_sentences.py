"""Sentence splitting that survives abbreviations, initials and decimals."""

from __future__ import annotations

import pytest
from extract_helpers import one

from extractors.sentences import split_sentences

SPLITS = [
    ("The U.S. sent aid. It arrived on Monday.", ["The U.S. sent aid.", "It arrived on Monday."]),
    ("Gen. Smith said 40 died. Others fled.", ["Gen. Smith said 40 died.", "Others fled."]),
    ("It began on Jan. 5 and ended. Talks resumed.", ["It began on Jan. 5 and ended.", "Talks resumed."]),
    ("See No. 7 on the list. Then stop.", ["See No. 7 on the list.", "Then stop."]),
    ("Prices rose 1.5 times. Wages fell.", ["Prices rose 1.5 times.", "Wages fell."]),
    ("He wrote to John F. Kennedy. Nobody replied.", ["He wrote to John F. Kennedy.", "Nobody replied."]),
    ("Is it over? Yes! It is.", ["Is it over?", "Yes!", "It is."]),
    ("First line\nSecond line", ["First line", "Second line"]),
    ('He said "enough." Then he left.', ['He said "enough."', "Then he left."]),
    ("Dr. Lee and Mr. Park met. They agreed.", ["Dr. Lee and Mr. Park met.", "They agreed."]),
]


@pytest.mark.parametrize("text,expected", SPLITS)
def test_split(text, expected):
    assert split_sentences(text) == expected


def test_figure_sentence_is_the_whole_sentence_with_an_abbreviation():
    text = "Calm returned. The U.S. Army said 14 soldiers were wounded. More later."
    assert one(text).sentence == "The U.S. Army said 14 soldiers were wounded."
