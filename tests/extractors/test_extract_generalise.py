"""Ways news states figures that the first rules missed: one case per behaviour, with guards for precision.

Sentences written for these tests; none is taken from an evaluation set.
"""

from __future__ import annotations

import pytest
from extract_helpers import pairs

CASES = [
    # a month name ending the previous sentence is not a date of the next number
    ("Talks broke down in November. About 700 soldiers remain stationed near the border.", {("troops_deployed", 700)}),
    ("The convoy left on Nov. 12 soldiers say.", set()),
    # "2,000-odd": an approximate number
    ("Militia fighters killed 300-odd villagers over the weekend.", {("killed", 300)}),
    # quotes around the number
    ('A witness put the number of dead at "about forty".', {("killed", 40)}),
    ('The group said it had killed "more than 20 infidels".', {("killed", 20)}),
    ('The rebels say they still hold "dozens" of hostages.', {("captured", 24)}),
    # vague compounds
    ("Analysts put the losses at several hundred thousand men.", {("casualties", 300000)}),
    ("Fiji has contributed a couple of dozen soldiers to the force.", {("troops_deployed", 24)}),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_generalised_rules(text, expected):
    assert pairs(text) == expected
