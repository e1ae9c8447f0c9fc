"""Each category, the ways news really says it (sentences written for these tests)."""

from __future__ import annotations

import pytest
from extract_helpers import pairs

CASES = [
    # killed
    ("Artillery fire killed 12 soldiers near the river.", {("killed", 12)}),
    ("12 soldiers were killed when the convoy was hit.", {("killed", 12)}),
    ("The death toll rose to 45 on Sunday.", {("killed", 45)}),
    ("The death toll from the quake has climbed to 45, officials said.", {("killed", 45)}),
    ("The number of dead now stands at 318.", {("killed", 318)}),
    ("Rescuers pulled 9 bodies from the rubble of the shelter.", {("killed", 9)}),
    ("The strike claimed the lives of 14 aid workers.", {("killed", 14)}),
    ("Seven people died after the ferry was shelled.", {("killed", 7)}),
    ("At least 30 dead after rockets hit a market", {("killed", 30)}),
    ("The bombing left 27 people dead and the square in ruins.", {("killed", 27)}),
    ("Gunmen shot dead 5 farmers in the valley.", {("killed", 5)}),
    ("The raid killed three guards and a driver.", {("killed", 3), ("killed", 1)}),
    ("The attack resulted in 16 fatalities, the monitors said.", {("killed", 16)}),
    ("Troops killing 8 militants was confirmed by the army.", {("killed", 8)}),
    ("Fighting has killed more than 2,000 people since spring.", {("killed", 2000)}),
    ("The deaths of 31 miners were confirmed on Friday.", {("killed", 31)}),
    ("Police said 4 suspects were shot and killed during the raid.", {("killed", 4)}),
    ("Israeli strikes kill at least 19 people across the strip", {("killed", 19)}),
    ("A further 6 civilians were killed overnight.", {("killed", 6)}),
    ("The mortar attack killed a schoolteacher.", {("killed", 1)}),
    ("A journalist was killed while filming the front line.", {("killed", 1)}),
    ("An officer was gunned down outside his home.", {("killed", 1)}),
    ("Hundreds more residents have been killed in fighting since then.", {("killed", 200)}),
    ("Gunmen stabbed to death two traders at the market.", {("killed", 2)}),
    # wounded
    ("The blast injured 40 shoppers at the bazaar.", {("wounded", 40)}),
    ("40 shoppers were wounded by the blast.", {("wounded", 40)}),
    ("More than 100 injured in strike on hospital", {("wounded", 100)}),
    ("Four firefighters were hospitalised with burns.", {("wounded", 4)}),
    ("The shelling wounded another 73 residents.", {("wounded", 73)}),
    ("Eleven pupils were hurt when the roof collapsed after the strike.", {("wounded", 11)}),
    ("The explosion killed 3 and injured 19.", {("killed", 3), ("wounded", 19)}),
    # casualties
    ("The army has suffered over 5,000 casualties this year.", {("casualties", 5000)}),
    ("20 842 soldiers killed and wounded in the offensive", {("casualties", 20842)}),
    ("Kyiv estimated enemy losses at around 1,100 troops in a day.", {("casualties", 1100)}),
    ("More than 9,000 soldiers were killed or wounded in the battle.", {("casualties", 9000)}),
    ("The brigade lost 300 men in the first week.", {("casualties", 300)}),
    ("The fighting led to dozens of casualties on both sides.", {("casualties", 24)}),
    ("Analysts put total casualties at over 40,000.", {("casualties", 40000)}),
    # missing
    ("Over 7,000 soldiers are missing in action, the ministry said.", {("missing", 7000)}),
    ("At least 55 people remain missing after the landslide.", {("missing", 55)}),
    ("Rescuers are still looking for 21 missing sailors.", {("missing", 21)}),
    ("Twelve crew members were unaccounted for after the sinking.", {("missing", 12)}),
    # captured
    ("Another 717 Russians were captured in the Kursk region.", {("captured", 717)}),
    ("The rebels captured 40 soldiers at the checkpoint.", {("captured", 40)}),
    ("Militants abducted 23 students from the dormitory.", {("captured", 23)}),
    ("More than 80 hostages are still held by the group.", {("captured", 80)}),
    ("Some 150 people were taken hostage in the raid.", {("captured", 150)}),
    ("Around 60 fighters surrendered to the army.", {("captured", 60)}),
    ("The militia is holding 19 hostages in the mountains.", {("captured", 19)}),
    ("Seven aid workers were kidnapped on the road north.", {("captured", 7)}),
    # prisoners exchanged
    ("The two countries swapped 175 prisoners each on Friday.", {("prisoners_exchanged", 175)}),
    ("The sides exchanged 1,000 for 1,000 prisoners of war.", {("prisoners_exchanged", 1000)}),
    ("Ukraine brought home 95 soldiers in a prisoner exchange.", {("prisoners_exchanged", 95)}),
    ("The group released 4 hostages on Sunday.", {("prisoners_exchanged", 4)}),
    ("Moscow freed 16 detainees as part of the deal.", {("prisoners_exchanged", 16)}),
    ("A total of 230 POWs were returned in the exchange.", {("prisoners_exchanged", 230)}),
    ("In the swap, 12 Ukrainians were released from captivity.", {("prisoners_exchanged", 12)}),
    ("The deal saw 26 people swapped between the two states.", {("prisoners_exchanged", 26)}),
    # remains exchanged
    ("Russia returned the remains of 6,060 Ukrainian troops.", {("remains_exchanged", 6060)}),
    ("Ukraine repatriated 77 bodies of fallen soldiers.", {("remains_exchanged", 77)}),
    ("The two sides handed over 500 bodies each.", {("remains_exchanged", 500)}),
    ("Kyiv received the bodies of 909 soldiers from Russia.", {("remains_exchanged", 909)}),
    ("Authorities said they held 1,000 bodies ready for repatriation.", {("remains_exchanged", 1000)}),
    ("Hospital staff said they received 8 bodies after the strike.", {("killed", 8)}),
    # troops deployed
    ("The government will send 1,000 sappers to the border.", {("troops_deployed", 1000)}),
    ("The alliance deployed 4,000 troops to the eastern flank.", {("troops_deployed", 4000)}),
    ("About 3,000 soldiers are stationed at the base.", {("troops_deployed", 3000)}),
    (
        "Some 12,000 North Korean soldiers are fighting alongside Russian forces.",
        {("troops_deployed", 12000)},
    ),
    ("The country dispatched 500 engineers to help clear mines.", {("troops_deployed", 500)}),
    ("An extra 800 peacekeepers will be deployed next month.", {("troops_deployed", 800)}),
    ("The ministry plans to send 2,500 personnel abroad.", {("troops_deployed", 2500)}),
    # lists, breakdowns, far verbs, two figures
    ("270 servicemen and 120 civilians were killed in the attack.", {("killed", 270), ("killed", 120)}),
    (
        "The strike killed 32 people, including 4 women and 10 children.",
        {("killed", 32), ("killed", 4), ("killed", 10)},
    ),
    ("Two people were killed and 18 were wounded in the mortar attack.", {("killed", 2), ("wounded", 18)}),
    ("Five policemen escorting the convoy have been killed, officials said.", {("killed", 5)}),
    ("At least 10 people, including children, were killed.", {("killed", 10)}),
    ("Three soldiers were killed and two others wounded.", {("killed", 3), ("wounded", 2)}),
    ("The raid killed 6 fighters and wounded 9 others.", {("killed", 6), ("wounded", 9)}),
    ("17 people died and 40 were hurt in the blast.", {("killed", 17), ("wounded", 40)}),
    # negation
    ("No casualties were reported after the drone attack.", {("casualties", 0)}),
    ("Officials said there were no injuries.", {("wounded", 0)}),
    ("None of the crew were hurt.", {("wounded", 0)}),
    ("No soldiers were killed in the exchange of fire.", {("killed", 0)}),
    # things that are not figures
    ("Many soldiers were killed in the battle.", set()),
    ("A number of civilians were wounded.", set()),
    ("Numerous fighters were captured.", set()),
    ("The army has 1.3 million soldiers.", set()),
    ("The two leaders met in Geneva for three hours.", set()),
    ("About 2 million people had been displaced by the war.", set()),
    ("Police arrested 40 protesters after the march.", set()),
    ("Thousands of people were evacuated from the town.", set()),
    ("The drone strike destroyed two ammunition depots.", set()),
]


@pytest.mark.parametrize("sentence,expected", CASES)
def test_category(sentence, expected):
    assert pairs(sentence) == expected
