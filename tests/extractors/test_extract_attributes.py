"""Attributes of a figure: party, actor, claimant, location, modality, cumulative."""

from __future__ import annotations

import pytest
from extract_helpers import one

from extractors import extract_figures

PARTY = [
    ("Russia returned the remains of 300 Ukrainian troops.", "remains_exchanged", "Ukraine"),
    ("Ukraine handed over the remains of 40 Russian soldiers.", "remains_exchanged", "Russia"),
    ("The strike killed 12 Palestinians in the camp.", "killed", "Palestinians"),
    ("Shelling wounded 8 Israeli soldiers at the border.", "wounded", "Israel"),
    ("Kenya said it had suffered 60 casualties in the battle.", "casualties", "Kenya"),
    ("The authorities held 200 bodies ready for repatriation to Ukraine.", "remains_exchanged", "Ukraine"),
    ("Troops killed four members of al Shabaab near the town.", "killed", "al Shabaab"),
    ("The storm killed 15 people in the valley.", "killed", None),
]


@pytest.mark.parametrize("sentence,category,party", PARTY)
def test_party(sentence, category, party):
    assert one(sentence, category).party == party


ACTOR = [
    ("Russia returned the remains of 300 Ukrainian troops.", "remains_exchanged", "Russia"),
    ("Pyongyang will dispatch 2,000 troops to the front.", "troops_deployed", "North Korea"),
    ("Five female soldiers were kidnapped by Hamas at the base.", "captured", "Hamas"),
    ("Israeli strikes killed 20 people overnight.", "killed", "Israel"),
    ("20 people were killed overnight in the strikes.", "killed", None),
    ("The ministry said 30 soldiers were wounded.", "wounded", None),
]


@pytest.mark.parametrize("sentence,category,actor", ACTOR)
def test_actor(sentence, category, actor):
    assert one(sentence, category).actor == actor


CLAIMANT = [
    ("According to the health ministry, 40 people were killed.", "health ministry"),
    ("Russia's Defense Ministry estimated that 900 soldiers were killed.", "Russia's Defense Ministry"),
    ("Hospital officials said 17 people were wounded.", "Hospital officials"),
    ("At least 12 people were killed, the United Nations said.", "United Nations"),
    ("At least 12 people were killed in the attack.", None),
]


@pytest.mark.parametrize("sentence,claimant", CLAIMANT)
def test_claimant(sentence, claimant):
    assert one(sentence).claimant == claimant


LOCATION = [
    ("Shelling killed 7 civilians in Kharkiv on Monday.", "Kharkiv"),
    ("Two soldiers were wounded near Bakhmut.", "Bakhmut"),
    ("The drone killed 3 people in the Kursk Region.", "Kursk Region"),
    ("The drone killed 3 people on Monday.", None),
]


@pytest.mark.parametrize("sentence,location", LOCATION)
def test_location(sentence, location):
    assert one(sentence).location == location


MODALITY = [
    ("The country will send 1,000 sappers to help.", "planned"),
    ("Officials plan to deploy 500 troops next year.", "planned"),
    ("More than 300 prisoners are expected to be exchanged this week.", "planned"),
    ("They held 400 bodies ready for repatriation.", "planned"),
    ("A strike on the dam could kill up to 10,000 people.", "hypothetical"),
    ("Experts warned the epidemic might kill 5,000 people.", "hypothetical"),
    ("The shelling killed 9 people on Sunday.", "asserted"),
    ("The country sent 1,000 troops last year.", "asserted"),
]


@pytest.mark.parametrize("sentence,modality", MODALITY)
def test_modality(sentence, modality):
    assert one(sentence).modality == modality


CUMULATIVE = [
    ("The war has killed more than 10,000 civilians so far.", True),
    ("The death toll rose to 61 on Thursday.", True),
    ("Some 2,000 soldiers have been killed since the start of the invasion.", True),
    ("The army suffered over 7,000 casualties during the campaign.", True),
    ("The strike on Tuesday killed 14 people.", False),
]


@pytest.mark.parametrize("sentence,cumulative", CUMULATIVE)
def test_cumulative(sentence, cumulative):
    assert one(sentence).cumulative is cumulative


def test_rule_names_the_rule():
    assert one("Artillery killed 12 soldiers.").rule == "verb_active:killed"
    assert one("12 soldiers were killed.").rule == "verb_passive:killed"
    assert one("They returned the remains of 12 soldiers.").rule == "exchange:remains"


@pytest.mark.parametrize(
    "sentence, value, actor",
    [
        ("Ten soldiers were killed by HAMAS fighters.", 10, "Hamas"),
        ("Ten soldiers were killed by hamas fighters.", 10, "Hamas"),
    ],
)
def test_an_entity_in_any_case_is_named_by_its_party(sentence, value, actor):
    [fig] = extract_figures(sentence)
    assert (fig.value, fig.actor) == (value, actor)


def test_a_long_s_in_a_vague_word_reads_like_an_s():
    [fig] = extract_figures("Thouſands of soldiers were killed.")
    assert (fig.value, fig.vague_term) == (2000, "thousands")
