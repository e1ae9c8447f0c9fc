"""Every row of FIGURES.md's number table, written in sentences of our own."""

from __future__ import annotations

import pytest
from extract_helpers import one

from extractors.numbers import find_numbers, parse_words

# sentence, category, value, low, high, qualifier, vague_term
NUMBER_TABLE = [
    ("Officials said 6,060 soldiers were killed in the fighting.", "killed", 6060, 6060, 6060, "exact", None),
    (
        "Officials said six thousand and sixty soldiers were killed.",
        "killed",
        6060,
        6060,
        6060,
        "exact",
        None,
    ),
    ("Officials said 6 060 soldiers were killed in the fighting.", "killed", 6060, 6060, 6060, "exact", None),
    (
        "Officials said 6\u202f060 soldiers were killed in the fighting.",
        "killed",
        6060,
        6060,
        6060,
        "exact",
        None,
    ),
    ("Officials said 6.060 soldiers were killed in the fighting.", "killed", 6060, 6060, 6060, "exact", None),
    ("About 300 villagers were injured in the raid.", "wounded", 300, None, None, "approximate", None),
    ("Around 300 villagers were injured in the raid.", "wounded", 300, None, None, "approximate", None),
    ("Some 300 villagers were injured in the raid.", "wounded", 300, None, None, "approximate", None),
    ("Roughly 300 villagers were injured in the raid.", "wounded", 300, None, None, "approximate", None),
    (
        "Approximately 300 villagers were injured in the raid.",
        "wounded",
        300,
        None,
        None,
        "approximate",
        None,
    ),
    ("An estimated 300 villagers were injured in the raid.", "wounded", 300, None, None, "approximate", None),
    ("Over 45 fighters were killed near the dam.", "killed", 45, 45, None, "more_than", None),
    ("More than 45 fighters were killed near the dam.", "killed", 45, 45, None, "more_than", None),
    ("In excess of 45 fighters were killed near the dam.", "killed", 45, 45, None, "more_than", None),
    ("At least 45 fighters were killed near the dam.", "killed", 45, 45, None, "at_least", None),
    ("No fewer than 45 fighters were killed near the dam.", "killed", 45, 45, None, "at_least", None),
    ("Up to 45 fighters were killed near the dam.", "killed", 45, None, 45, "at_most", None),
    ("As many as 45 fighters were killed near the dam.", "killed", 45, None, 45, "at_most", None),
    ("The strike killed as high as 45 fighters, locals claimed.", "killed", 45, None, 45, "at_most", None),
    ("No more than 45 fighters were killed near the dam.", "killed", 45, None, 45, "at_most", None),
    ("Nearly 45 fighters were killed near the dam.", "killed", 45, None, 45, "nearly", None),
    ("Almost 45 fighters were killed near the dam.", "killed", 45, None, 45, "nearly", None),
    ("Close to 45 fighters were killed near the dam.", "killed", 45, None, 45, "nearly", None),
    ("Just under 45 fighters were killed near the dam.", "killed", 45, None, 45, "nearly", None),
    ("Between 40 and 50 fighters were killed near the dam.", "killed", 40, 40, 50, "range", None),
    ("The shelling killed 40-50 fighters near the dam.", "killed", 40, 40, 50, "range", None),
    ("The shelling killed 40\u201350 fighters near the dam.", "killed", 40, 40, 50, "range", None),
    ("The shelling killed 40 to 50 fighters near the dam.", "killed", 40, 40, 50, "range", None),
    ("The shelling killed from 40 to 50 fighters near the dam.", "killed", 40, 40, 50, "range", None),
    (
        "The ministry said 1.2 million soldiers were killed or wounded.",
        "casualties",
        1200000,
        1200000,
        1200000,
        "exact",
        None,
    ),
    (
        "The ministry said 76k soldiers were killed or wounded.",
        "casualties",
        76000,
        76000,
        76000,
        "exact",
        None,
    ),
    (
        "The ministry said 2.5 thousand soldiers were killed or wounded.",
        "casualties",
        2500,
        2500,
        2500,
        "exact",
        None,
    ),
    ("A dozen guards were wounded at the gate.", "wounded", 12, 12, 12, "exact", None),
    ("A couple of guards were wounded at the gate.", "wounded", 2, 2, 2, "exact", None),
    ("A score of guards were wounded at the gate.", "wounded", 20, 20, 20, "exact", None),
    ("Several guards were wounded at the gate.", "wounded", 3, 3, 9, "vague", "several"),
    ("A few guards were wounded at the gate.", "wounded", 2, 2, 5, "vague", "a few"),
    ("Dozens of guards were wounded at the gate.", "wounded", 24, 24, 99, "vague", "dozens"),
    ("Several dozen guards were wounded at the gate.", "wounded", 36, 36, 99, "vague", "several dozen"),
    ("Scores of guards were wounded at the gate.", "wounded", 40, 40, 99, "vague", "scores"),
    ("Tens of guards were wounded at the gate.", "wounded", 20, 20, 99, "vague", "tens"),
    ("Hundreds of guards were wounded at the gate.", "wounded", 200, 200, 999, "vague", "hundreds"),
    (
        "Several hundred guards were wounded at the gate.",
        "wounded",
        300,
        300,
        999,
        "vague",
        "several hundred",
    ),
    ("Thousands of guards were wounded at the gate.", "wounded", 2000, 2000, 9999, "vague", "thousands"),
    (
        "Several thousand guards were wounded at the gate.",
        "wounded",
        3000,
        3000,
        9999,
        "vague",
        "several thousand",
    ),
    (
        "Tens of thousands of guards were wounded.",
        "wounded",
        20000,
        20000,
        99999,
        "vague",
        "tens of thousands",
    ),
    (
        "Hundreds of thousands of guards were wounded.",
        "wounded",
        200000,
        200000,
        999999,
        "vague",
        "hundreds of thousands",
    ),
    ("No casualties were reported after the blast.", "casualties", 0, 0, 0, "exact", None),
    ("No one was killed when the shell hit the market.", "killed", 0, 0, 0, "exact", None),
    ("Nobody was injured in the explosion, police said.", "wounded", 0, 0, 0, "exact", None),
    ("There were no deaths among the crew.", "killed", 0, 0, 0, "exact", None),
    ("A soldier was killed by a sniper overnight.", "killed", 1, 1, 1, "exact", None),
    ("Forty-seven recruits were killed in the ambush.", "killed", 47, 47, 47, "exact", None),
    ("Twenty-five demonstrators were hurt in the clashes.", "wounded", 25, 25, 25, "exact", None),
    ("Two dozen sailors were missing after the attack.", "missing", 24, 24, 24, "exact", None),
]


@pytest.mark.parametrize("sentence,category,value,low,high,qualifier,vague", NUMBER_TABLE)
def test_number_table(sentence, category, value, low, high, qualifier, vague):
    fig = one(sentence, category)
    assert (fig.value, fig.value_low, fig.value_high, fig.qualifier, fig.vague_term) == (
        value,
        low,
        high,
        qualifier,
        vague,
    )


@pytest.mark.parametrize(
    "words,value",
    [
        ("one", 1),
        ("twelve", 12),
        ("forty-seven", 47),
        ("forty seven", 47),
        ("two hundred", 200),
        ("two hundred and five", 205),
        ("six thousand and sixty", 6060),
        ("three million", 3000000),
        ("one hundred thousand", 100000),
        ("nineteen", 19),
        ("ninety-nine", 99),
        ("a", None),
    ],
)
def test_parse_words(words, value):
    parsed = parse_words(words)
    assert (parsed[0] if parsed else None) == value


def test_two_words_that_are_not_one_number_stay_apart():
    assert [n.value for n in find_numbers("two and three")] == [2, 3]


def test_increase_from_to_is_two_numbers_not_a_range():
    assert [n.value for n in find_numbers("plans to increase its force from 100 to 300 soldiers")] == [
        100,
        300,
    ]
