"""Numbers that are never figures (FIGURES.md): years, dates, ages, times, money, units, labels, models."""

from __future__ import annotations

import pytest
from extract_helpers import pairs

NEVER = [
    "In 2024 soldiers were killed along the border, the report said.",
    "On 3 March soldiers were killed along the border.",
    "On March 3 the soldiers were killed along the border.",
    "The killings began in the 1980s and continued for decades.",
    "A 19-year-old soldier was wounded by shrapnel.",
    "The wounded man, aged 34, was taken to hospital.",
    "Soldiers were killed at 5:30 on Tuesday morning.",
    "The fighting lasted 24 hours and left buildings burning.",
    "Militants were killed during three years of clashes.",
    "The army paid $22,000 to each wounded soldier.",
    "The fund promised 5 million euros to families of those killed.",
    "About 15% of the wounded soldiers were officers.",
    "Shells landed 12 km from where civilians were killed.",
    "The third soldier killed was a medic.",
    "Two F-16 jets struck the area where fighters were killed.",
    "An Il-76 carrying soldiers was shot down, officials said.",
    "An S-300 battery was destroyed and the crew were wounded.",
    "The strike destroyed 12 tanks and wounded the crews.",
    "Drones hit 40 villages where civilians were killed.",
    "Artillery fired 300 shells at positions where soldiers were killed.",
    "See page 3 for the list of soldiers killed.",
    "Article 5 obliges allies to defend members whose soldiers are killed.",
    "The 93rd brigade said its soldiers were killed in the assault.",
    "Tens of thousands displaced by the fighting have fled to the coast.",
    "The 2010 prisoner swap freed ten agents.",
]


@pytest.mark.parametrize("sentence", NEVER)
def test_never_a_figure(sentence):
    found = pairs(sentence)
    # none of the numbers written in the sentence may come out as a figure
    bad = {p for p in found if p[1] not in (0, 1, 10)}
    assert not bad, found


def test_related_story_headlines_are_not_part_of_the_article():
    body = (
        "Officials said the convoy reached the city on Monday.\n"
        "Read more: Twelve killed in a separate attack elsewhere\n"
        "Seven killed as storm hits coastal town\n"
        "The aid will be distributed this week."
    )
    assert pairs(body) == set()


def test_prisoner_swap_of_2010_keeps_only_the_people():
    assert pairs("The 2010 prisoner swap freed ten agents.") == {("prisoners_exchanged", 10)}
