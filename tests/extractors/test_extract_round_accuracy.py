"""Number forms, running totals, event counts, medical bodies, list verbs and community names.

Sentences written for these tests; none is taken from an evaluation set.
"""

from __future__ import annotations

import pytest
from extract_helpers import one, pairs

from extractors.numbers import find_numbers

NUMBERS = [
    # (text, value, low, high, qualifier, vague_term)
    ("a few hundred", 200, 200, 999, "vague", "a few hundred"),
    ("a few thousand", 2000, 2000, 9999, "vague", "a few thousand"),
    ("a few dozen", 24, 24, 99, "vague", "a few dozen"),
    ("a few hundred thousand", 200000, 200000, 999999, "vague", "a few hundred thousand"),
    ("a few", 2, 2, 5, "vague", "a few"),
    ("half a million", 500000, 500000, 500000, "exact", None),
    ("a quarter of a million", 250000, 250000, 250000, "exact", None),
    ("more than half a million", 500000, 500000, None, "more_than", None),
    ("nearly a quarter of a million", 250000, None, 250000, "nearly", None),
]


@pytest.mark.parametrize(("text", "value", "low", "high", "qual", "vague"), NUMBERS)
def test_number_forms(text, value, low, high, qual, vague):
    (n,) = find_numbers(text)
    assert (n.value, n.low, n.high, n.qualifier, n.vague_term) == (value, low, high, qual, vague)


CASES = [
    # 1. number forms in sentences
    ("Moscow has sent a few hundred military instructors to Niger.", {("troops_deployed", 200)}),
    ("The famine and fighting have killed more than half a million people.", {("killed", 500000)}),
    ("Officials say a quarter of a million soldiers have been wounded.", {("wounded", 250000)}),
    ("Rebels abducted a few dozen villagers near the border.", {("captured", 24)}),
    ("A few soldiers were wounded in the blast.", {("wounded", 2)}),
    # 2. running totals named before "to N"
    (
        "The raid brought the number of policemen killed since the unrest began at the start of the year to 37.",
        {("killed", 37)},
    ),
    (
        "Sunday's attacks raised the toll of civilians killed in the border districts over the past month to 212.",
        {("killed", 212)},
    ),
    ("The release brings the total number of hostages freed under the truce to 105.", {("prisoners_exchanged", 105)}),
    ("The shelling raised the number of people injured in the district to 64.", {("wounded", 64)}),
    ("The agency said the new arrivals brought the number of tents to 400.", set()),
    # 3a. bodies received by hospitals and morgues are the killed; remains need a handover
    (
        "Doctors at the district hospital said they had received 31 bodies and that the injured had been "
        "transferred to a field clinic.",
        {("killed", 31)},
    ),
    ("Forty bodies were brought to the city morgue after the strike.", {("killed", 40)}),
    ("Kyiv said it had received 757 bodies in the latest repatriation.", {("remains_exchanged", 757)}),
    ("Kyiv brings home bodies of 900 fallen soldiers.", {("remains_exchanged", 900)}),
    # 3b. numbers of events are not figures
    ("The two countries have held more than 60 exchanges of prisoners since the war began.", set()),
    ("Mediators arranged 14 prisoner swaps last year.", set()),
    ("The militia carried out 25 raids on villages.", set()),
    ("Russia and Ukraine swapped 95 prisoners each.", {("prisoners_exchanged", 95)}),
    # 3c. a listed item with its own verb takes no category from the list
    (
        "At least eight guards were killed, including two officers, and 300 convicts escaped, the ministry said.",
        {("killed", 8), ("killed", 2)},
    ),
    ("The strike killed 5 soldiers and 3 civilians, officials said.", {("killed", 5), ("killed", 3)}),
    ("Gunmen killed 14 people and 6 children were also wounded.", {("killed", 14), ("wounded", 6)}),
    # 3d. "one remains missing": the verb, not the noun
    ("Two soldiers have died since the search began, and one remains missing.", {("killed", 2), ("missing", 1)}),
    ("The army said one remains in hospital.", set()),
    ("The remains of one soldier were returned in the exchange.", {("remains_exchanged", 1)}),
    # 4. communities counted by name
    ("Gunmen killed hundreds of Druze in the hills.", {("killed", 200)}),
    ("Some 600 Rohingya drowned when their boat sank.", {("killed", 600)}),
    ("Militants abducted 40 Yazidis near the mountain.", {("captured", 40)}),
    ("Clashes killed 2,000 Alawites along the coast.", {("killed", 2000)}),
    ("Nine Kurds were wounded in the shelling.", {("wounded", 9)}),
    # 5. membership of the counted group, with an age aside
    ("Four medics were among the dead.", {("killed", 4)}),
    ("Two girls, aged 4 and 11, were among the injured.", {("wounded", 2)}),
    ("Three fishermen are among the missing.", {("missing", 3)}),
    ("Two brothers, aged 19 and 23, were arrested.", set()),
    ("Five candidates were among the winners.", set()),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_round_cases(text, expected):
    assert pairs(text) == expected


def test_running_total_is_cumulative():
    f = one("The raid brought the number of policemen killed since the unrest began at the start of the year to 37.")
    assert f.cumulative is True


def test_a_few_hundred_keeps_vague_term():
    f = one("Moscow has sent a few hundred military instructors to Niger.")
    assert (f.value, f.value_low, f.value_high, f.qualifier, f.vague_term) == (200, 200, 999, "vague", "a few hundred")
