"""More ways news English states figures: force sizes, burials, vanishings, captives, breakdowns.

One case per pattern, each with a guard for precision. Sentences written for these tests; none is
taken from an evaluation set.
"""

from __future__ import annotations

import pytest
from extract_helpers import pairs

CASES = [
    # the size of a force sent or standing somewhere
    ("Cabinet backed the dispatch of 60 military engineers to the mission.", {("troops_deployed", 60)}),
    ("The dispatch of 60 parcels to the front was delayed.", set()),
    ("The regional force numbers roughly 4,500 soldiers.", {("troops_deployed", 4500)}),
    ("The march numbered some 4,500 people.", set()),
    ("The new battalion comprises about 700 personnel.", {("troops_deployed", 700)}),
    ("The delegation comprises 12 diplomats.", set()),
    ("Ghana sent a force of 850 peacekeepers to the region.", {("troops_deployed", 850)}),
    ("The coalition has a combined strength of 30,000 troops.", {("troops_deployed", 30000)}),
    ("A contingent of 220 Nepali soldiers landed on Sunday.", {("troops_deployed", 220)}),
    ("An advance party of 35 marines reached the port.", {("troops_deployed", 35)}),
    ("A party of 35 tourists reached the port.", set()),
    ("About 1,200 Fijian soldiers are serving with the mission.", {("troops_deployed", 1200)}),
    ("Nearly 900 troops currently serving in Mali will return home.", {("troops_deployed", 900)}),
    ("About 80 inmates serving long sentences were moved.", set()),
    (
        "Eleven soldiers serving with the regional force were killed in the ambush.",
        {("killed", 11)},
    ),
    ("The deployment will raise its presence to about 2,500.", {("troops_deployed", 2500)}),
    # burials count the dead
    ("Villagers said they had buried 46 people since Sunday.", {("killed", 46)}),
    ("Engineers buried 46 cables along the road.", set()),
    # a breakdown of the dead with "are" / "were"
    ("Among the dead are 7 medics.", {("killed", 7)}),
    ("Among the injured are 15 pupils.", {("wounded", 15)}),
    ("The dead are said to be many.", set()),
    # communiqué words for killing
    ("The army said 22 assailants were neutralised in the counter-attack.", {("killed", 22)}),
    ("Troops neutralized 9 gunmen near the border.", {("killed", 9)}),
    ("Sappers neutralised 9 mines near the border.", set()),
    # vanished people
    ("Hundreds of men vanished after the raids.", {("missing", 200)}),
    ("At least 3,000 people remain forcibly disappeared.", {("missing", 3000)}),
    ("The village reported 40 disappearances last year.", {("missing", 40)}),
    ("The city recorded 300 homicides in March.", {("killed", 300)}),
    ("The city recorded 300 burglaries in March.", set()),
    # the capture verb before its object
    ("Rebels had taken prisoner 14 border guards.", {("captured", 14)}),
    ("The ferry had taken on 14 passengers.", set()),
    # captives kept in prisons or camps
    ("About 5,000 militants are held in prisons run by the Kurdish forces.", {("captured", 5000)}),
    ("About 5,000 books are kept in the prison library.", set()),
    # captives set free: the freeing verb before a captive noun, or a rescue of people abducted
    ("Soldiers freed 45 kidnapped farmers on Monday.", {("prisoners_exchanged", 45)}),
    ("Police rescued 45 kidnapped farmers near the river.", {("prisoners_exchanged", 45)}),
    ("Troops rescued 60 students abducted by bandits last week.", {("prisoners_exchanged", 60)}),
    ("Police rescued 45 passengers from the flooded bus.", set()),
    # losses that are deaths: relatives, or a split with the injured
    ("The farmer lost 6 relatives in the strike.", {("killed", 6)}),
    ("We lost 12 men, and 20 others were wounded.", {("killed", 12), ("wounded", 20)}),
    ("The brigade lost 300 men in the offensive.", {("casualties", 300)}),
    # a mission's size
    ("The mission has some 4,000 troops from 20 countries.", {("troops_deployed", 4000)}),
    ("At its peak the force had 9,000 soldiers.", {("troops_deployed", 9000)}),
    ("Egypt has 1,000 soldiers under the UN mission.", {("troops_deployed", 1000)}),
    ("The army has 9,000 soldiers.", set()),
    ("The mission's 9,000 peacekeepers patrol the buffer zone.", {("troops_deployed", 9000)}),
    ("Nine peacekeepers were killed in the ambush.", {("killed", 9)}),
    # bodies recovered while the injured are moved to hospital
    ("Rescuers recovered the bodies of 12 people and transferred the injured to hospital.", {("killed", 12)}),
    # negations with a named group or two nouns
    ("No Kenyan soldiers were wounded in the exchange of fire.", {("wounded", 0)}),
    ("None of its staff were hurt, the agency said.", {("wounded", 0)}),
    ("There were no injuries or deaths at the site.", {("casualties", 0)}),
    # "N or so"
    ("Another 25 or so were wounded.", {("wounded", 25)}),
    ("He walked 25 or so kilometres.", set()),
    # a breakdown after the total, past a phrase or two
    (
        "Air raids have killed 450 people since June, most of them fighters, but including at least 80 civilians.",
        {("killed", 450), ("killed", 80)},
    ),
    (
        "Seven aid workers were killed near the depot, among them 3 drivers.",
        {("killed", 7), ("killed", 3)},
    ),
    ("Seven aid workers were killed near a camp housing 900 people, most of them women.", {("killed", 7)}),
    # a quote around the verb
    ('The ministry said 14 raiders were "neutralised".', {("killed", 14)}),
    # the people counted named by their unit: "N members of the security forces"
    ("Nine members of the security forces died in the ambush.", {("killed", 9)}),
    ("Four soldiers of the 3rd Brigade were captured at dawn.", {("captured", 4)}),
    ("Twelve relatives of the soldiers killed in the attack spoke to reporters.", set()),
    # armed and criminal actors
    ("Police said 11 gang members were killed in the shootout.", {("killed", 11)}),
    ('The spokesman said "about a hundred" enemies had been killed.', {("killed", 100)}),
    ("Analysts expect casualties to exceed a million.", {("casualties", 1000000)}),
    # "a hundred soldiers" is a number, not a lone soldier
    ("Officials said a hundred soldiers had been killed.", {("killed", 100)}),
    # returns in a paragraph about a swap
    (
        "The swap took place at the border on Friday. On the first day, 90 soldiers were returned.",
        {("prisoners_exchanged", 90)},
    ),
    ("Schools reopened on Friday. On the first day, 90 soldiers were returned to their base.", set()),
    ("In the exchange, 40 seriously wounded soldiers were returned.", {("prisoners_exchanged", 40)}),
    ("Some 40 wounded soldiers were released from hospital.", {("wounded", 40)}),
    # coffins and bodies handed
    ("The militants handed over six coffins at the crossing.", {("remains_exchanged", 6)}),
    ("Kyiv says it has been handed 500 bodies of its soldiers.", {("remains_exchanged", 500)}),
    # a plain "X and Y" appositive, and "are still in <adjective> captivity"
    ("At least 500 Georgians, soldiers and civilians, are still in Russian captivity.", {("captured", 500)}),
    ("About 80 people, men and boys, were abducted from the village.", {("captured", 80)}),
    ("About 500 Ukrainians, soldiers and civilians, gathered in the square.", set()),
    # abductions told as people taken from where they were
    ("Gunmen struck at night and 22 farmers were taken from their homes.", {("captured", 22)}),
    ("Some 22 farmers were taken to hospital.", set()),
    # people named as freed, and what the freed include
    (
        "After the swap, the 140 freed soldiers include 20 officers and 6 border guards.",
        {("prisoners_exchanged", 140), ("prisoners_exchanged", 20), ("prisoners_exchanged", 6)},
    ),
    ("The 40 released patients went home.", set()),
    ("Gunmen killed 12 people in the district, whose residents include 300 farmers.", {("killed", 12)}),
    # an exchange stated per side with the nouns between: "30 Armenians for 2 Azerbaijanis"
    (
        "The sides exchanged prisoners on Monday, 15 Armenians for 4 Azerbaijanis.",
        {("prisoners_exchanged", 15), ("prisoners_exchanged", 4)},
    ),
    ("The team fielded 15 Armenians for 4 Azerbaijanis in the match.", set()),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_patterns(text, expected):
    assert pairs(text) == expected
