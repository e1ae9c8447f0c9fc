"""Decides what a number counts: reads the noun after it and the trigger words around it.

A number counts people when a people noun follows it ("12 soldiers"), when a category noun follows
it ("76,000 casualties"), or when a trigger stands right next to it ("killed 12", "12 killed").
The category comes from the noun (casualties, deaths, bodies, prisoners...) or from the trigger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors import lexicon as lx

# --- lexicon tables ---------------------------------------------------------------------------
PEOPLE: dict[str, str] = {}
SINGULAR: set[str] = set()
for _pl, _sg, _cls in lx.rows("people.tsv"):
    if _pl != "-":
        PEOPLE[lx.norm(_pl)] = _cls
    if _sg != "-":
        PEOPLE[lx.norm(_sg)] = _cls
        SINGULAR.add(lx.norm(_sg))
ENTITIES: dict[str, str] = {name: party for name, party in lx.rows("entities.tsv")}
DEMONYM_PLURALS = {
    k for k in ENTITIES if k.endswith("s") and (k[:-1] in ENTITIES or k[:-1].rstrip("n") in ENTITIES)
}
for _k in DEMONYM_PLURALS:
    PEOPLE.setdefault(lx.norm(_k), "civilian")
CATEGORY_NOUNS: dict[str, str] = {lx.norm(n): c for n, c in lx.rows("category_nouns.tsv")}
TRIGGERS: dict[tuple[str, str], str] = {(side, lx.norm(p)): cat for cat, side, p in lx.rows("triggers.tsv")}
THINGS = {lx.norm(w) for w in lx.words("non_people.txt")}
STATES = {lx.norm(w) for w in lx.words("states.txt")}
NON_PEOPLE = THINGS | STATES
STOP = {lx.norm(w) for w in lx.words("stopwords.txt")}
MILITARY = {n for n, c in PEOPLE.items() if c == "military"} | {"men", "man"}

_TOKEN = r"[\w\u2019'.-]+"
_STOP_ALT = lx.alternation(STOP)
_HEADS = lx.alternation(set(PEOPLE) | set(CATEGORY_NOUNS) | {n.lower() for n in CATEGORY_NOUNS})
_AUX = lx.alternation(lx.words("aux.txt"))
_FILL = lx.alternation(lx.words("fillers.txt"))
_RIGHT = lx.alternation(p for (side, p) in TRIGGERS if side == "right")
_LEFT = lx.alternation(p for (side, p) in TRIGGERS if side == "left")
_TOLL = lx.alternation(lx.words("tolls.txt"))

NP_RE = re.compile(
    r"(?i)(?P<of>\s+of(?:\s+(?:the|those|these|his|her|their|its|our))?)?"
    r"(?P<more>\s+(?:more|other))?"
    r"(?P<mods>(?:\s+(?:of(?=\s+[A-Z])|(?!" + _STOP_ALT + r"\b)(?!\d+[\s,.])" + _TOKEN + r")){0,5}?)"
    r"\s+(?P<head>" + _HEADS + r")(?![\w-])"
)
PRONOUN_RE = re.compile(r"(?i)\s+(?:of\s+(?:them|whom|those)|more|others)\b")
def _thing_re(words) -> re.Pattern:
    return re.compile(
        r"(?i)(?:\s+of(?:\s+the)?)?(?:\s+(?!"
        + _STOP_ALT
        + r"\b)"
        + _TOKEN
        + r"){0,2}?\s+(?:"
        + lx.alternation(words)
        + r")(?![\w-])"
    )


THING_RE = _thing_re(NON_PEOPLE)
THING_MOD_RE = _thing_re(THINGS)  # before a people head, a state word is a modifier
NEXT_WORD_RE = re.compile(r"\s+([A-Za-z][\w\u2019'-]*)")
RIGHT_RE = re.compile(
    r"(?i)(?:\s*\([^()]{0,80}\))?"
    r"(?:\s*,\s*(?:including|mostly|many|most|among\s+them|all|both|mainly|nearly|about|some|of\s+whom|aged|ages|"
    r"(?-i:[a-z]+)\s+and\s+(?-i:[a-z]+)|"
    r"of\s+them|reportedly|according\s+to)\b[^,;.()]{0,60},)?"
    r"(?P<coord>\s*,?\s+(?:and|or)\s+(?:[\w\u2019'-]+\s+){0,2}?(?:" + _HEADS + r"))?"
    r"(?:\s*,\s*(?-i:[A-Z][\w\u2019'.-]*(?:\s+[A-Z][\w\u2019'.-]*){0,3}),)?"
    r"(?P<ofg>\s+of\s+(?:the\s+|its\s+|their\s+)?(?:[\w\u2019'.-]+\s+){0,3}?"
    r"(?:forces|army|police|military|guard|navy|units?|brigades?|battalions?|regiments?|militias?|group))?"
    r"(?:\s+(?:remain|remained|remains|still|are|were)){0,2}"
    r"(?P<prep>\s+(?:in|on|at|near|during|across|inside|outside|around|from)"
    r"(?:\s+(?!(?:were|was|are|is|have|has|had|been|and)\b)[\w\u2019'.-]+){1,4}?)?"
    r"(?:\s+" + _AUX + r"){0,5}?"
    r"\s+[\"\u201c]?(?P<t>" + _RIGHT + r")(?![\w-])"
)
RIGHT_FAR_RE = re.compile(
    r"(?i)(?:\s+(?!(?:who|which|that|and|but|while|after|when|where|whose|as|because|if|said|says)\b)"
    r"[\w\u2019'.-]+){1,7}?"
    r"\s+(?:were|was|have\s+been|has\s+been|had\s+been|are|is)(?:\s+(?:reportedly|also|later|all|allegedly))?"
    r"\s+(?P<t>" + _RIGHT + r")(?![\w-])"
)
LEFT_RE = re.compile(
    r"(?i)(?<![\w-])(?P<t>" + _LEFT + r")"
    r"(?P<fill>(?:\s+(?:"
    + _FILL
    + r"|(?-i:(?:to|in|from)\s+(?:the\s+)?[A-Z][\w\u2019'-]+(?:\s+[A-Z][\w\u2019'-]+)?)"
    r"))){0,3}\s+\Z"
)
_LEFT_REV = lx.reversed_alternation(p for (side, p) in TRIGGERS if side == "left")
_FILL_REV = lx.reversed_alternation(lx.words("fillers.txt"))
_DEST_REV = r"(?:[\w\u2019'-]*?(?-i:[A-Z])\s+)?[\w\u2019'-]*?(?-i:[A-Z])\s+(?:eht\s+)?(?:ot|ni|morf)"
LEFT_REV_RE = re.compile(
    r"(?i)\s+(?P<fill>(?:(?:"
    + _FILL_REV
    + r"|(?P<dest>"
    + _DEST_REV
    + r"))\s+){0,3})(?P<t>"
    + _LEFT_REV
    + r")(?![\w-])"
)
TOLL_REV_RE = re.compile(
    r"(?i)\s+(?:(?:ot|ta|fo|dehcaer|tih|dessap|dessaprus|dedeecxe|deppot|si|saw|won|sdnats|doots)\b"
    r"[^.;:!?]{0,60}?\b)?(?P<t>" + lx.reversed_alternation(lx.words("tolls.txt")) + r")\b"
)
_COUNT_CONN_REV = (
    r"(?:ot|ta|fo|dehcaer|tih|dessap|dessaprus|dedeecxe|sdeecxe|deecxe|deppot|si|saw|won|sdnats|doots|era|erew|"
    r"rebmun|derebmun|latot|dellatot|delatot|ot\s+detnuoma|ot\s+tnuoma)"
)
COUNTS: dict[str, str] = {lx.norm(p): c for p, c, _k in lx.rows("counts.tsv")}
COUNT_REV_RE = re.compile(
    r"(?i)\s+" + _COUNT_CONN_REV + r"\b[^.;:!?]{0,60}?\b(?:(?P<t>"
    + lx.reversed_alternation(p for p, _c, k in lx.rows("counts.tsv") if k == "noun")
    + r")\b|(?P<p>"
    + lx.reversed_alternation(p for p, _c, k in lx.rows("counts.tsv") if k == "participle")
    + r")\s+(?:[\w\u2019'-]+\s+){0,4}?fo\s+rebmun\b)"
)
TOLL_RE = re.compile(
    r"(?i)\b(?P<t>" + _TOLL + r")\b[^.;:!?]{0,60}?\b(?:to|at|of|reached|hit|passed|surpassed|exceeded|topped|"
    r"is|was|now|stands|stood)\s+\Z"
)
BODIES_EXCHANGE_RE = re.compile(
    r"(?i)\b(?:exchang|swap|repatriat|hand(?:ed|ing|s)?\s+(?:over|back)|handover|return|been\s+handed\b|"
    r"br(?:ing|ings|inging|ought)\s+home\b|"
    r"(?P<weak>transferr?(?:ed|ing)?\b(?!\s+(?:the\s+)?(?:injured|wounded|patients|casualties)\b)|"
    r"received\b[^.;]{0,80}\bfrom\s+(?-i:[A-Z])))"
)
# Where bodies are brought to treat or count the dead: a weak cue of a handover ("transferred",
# "received from") near one of these is a hospital receiving the killed, not remains returned.
MEDICAL_RE = re.compile(
    r"(?i)\b(?:hospitals?|morgues?|mortuar(?:y|ies)|clinics?|medics|paramedics|doctors|ambulances?|"
    r"field\s+hospitals?|health\s+(?:officials|workers))\b"
)
# A number that counts events, not people: "50 exchanges of prisoners", "12 prisoner swaps", "30 attacks".
EVENT_RE = re.compile(
    r"(?i)\s+(?:[a-z][\w-]*\s+)?(?:"
    + lx.alternation(lx.words("event_nouns.txt"))
    + r")(?![\w-])"
)
# "one remains missing": the verb "remains", not the noun.
REMAINS_VERB_RE = re.compile(
    r"(?i)\s+remains\s+(?:missing|unaccounted|in\s+(?:hospital|captivity|custody|critical|serious)|"
    r"hospitali[sz]ed|critical|captive|held|alive|at\s+large|under)\b"
)
# A finite verb right after a listed noun phrase: the item has its own predicate ("and 529 inmates escaped").
OWN_VERB_RE = re.compile(
    r"\s+(?:(?:also|later|reportedly|then)\s+)?(?:(?-i:[a-z]{2,}ed)|fled|ran|broke|went|escaped|were|was|are|is|"
    r"have|has|had|remain|remains|remained)\b(?!\s+(?:by|in\s+the\s+(?:attack|strike|blast|explosion)))"
)
EXCHANGE_CTX_RE = re.compile(r"(?i)\b" + lx.alternation(lx.words("exchange_context.txt")))
N_FOR_N_RE = re.compile(r"(?i)[\s-]+for[\s-]+")
BREAKDOWN_RE = re.compile(r"(?i)(?:,\s*|\s+)(?:but\s+)?(?:including|among\s+them|among\s+whom|of\s+whom)\s+\Z")
INCLUDE_RE = re.compile(r"(?i)\s+(?:include|included|includes)\s+")  # "the 185 freed Ukrainians include 23 ..."
ANOTHER_RE = re.compile(r"(?i)\b(?:another|a\s+further|an\s+additional|additional)\s+\Z")
NUM_AND_NUM_RE = re.compile(r"(?i)\s+(?:and|or)\s+")
GAPPING_RE = re.compile(
    r"\s+and\s+(?:the\s+[\w\u2019'-]+|[A-Z][\w\u2019'-]+(?:\s+[A-Z][\w\u2019'-]+)?)\s+\Z"
)
OF_THEM_RE = re.compile(r"(?i)\s+of\s+(?:them|whom)\b")
_NOT_PLACE = lx.alternation(
    lx.words("months.txt") + ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)
CLAUSE_END_RE = re.compile(r"\s*(?:[,.;:]|\Z)")
CONNECT_RE = re.compile(
    r"(?i)\A(?:\s+(?:in|at|near|on)\s+(?:the\s+)?(?!" + _NOT_PLACE + r"\b)"
    r"(?-i:[A-Z])[\w\u2019'-]+(?:\s+(?-i:[A-Z])[\w\u2019'-]+){0,2}(?=\s*,))?"
    r"(?:\s*,\s*(?:and\s+|or\s+|including\s+|among\s+them\s+|of\s+whom\s+|of\s+them\s+|plus\s+)?"
    r"|\s*,?\s*(?:and|or|plus|including|as\s+well\s+as|along\s+with|among\s+them)\s+)"
    r"(?:(?:another|a\s+further|some|about|around|at\s+least|more\s+than|over|nearly|almost|up\s+to)\s+)?\Z"
)


@dataclass(slots=True)
class NounPhrase:
    """What follows a number: a people noun, a category noun, a thing, or nothing nounish."""

    kind: str  # people | category | thing | bare | unknown
    end: int  # end of the noun phrase (the number's end when bare)
    head: str | None = None
    noun_category: str | None = None  # from a category noun: casualties, killed, bodies, prisoners...
    mod_trigger: str | None = None  # "55 missing people": a trigger among the modifiers
    mods: str = ""
    capitalised: bool = False


_MOD_TRIGGERS = {
    "missing": "missing",
    "dead": "killed",
    "killed": "killed",
    "slain": "killed",
    "injured": "wounded",
    "wounded": "wounded",
    "captured": "captured",
    "abducted": "captured",
    "kidnapped": "captured",
    "released": "exchange",
    "freed": "exchange",
}


def _first_of(**patterns: re.Pattern) -> re.Pattern:
    """Return one pattern that matches at a position as the first of `patterns` that matches there, in a
    group named after it: one call instead of several. The patterns are (?i) ones without groups.
    """
    alts = []
    for name, rx in patterns.items():
        if not rx.pattern.startswith("(?i)") or rx.groups or rx.flags & ~(re.IGNORECASE | re.UNICODE):
            raise ValueError(f"{name}: only (?i) patterns without groups can be joined")
        alts.append(f"(?P<{name}>{rx.pattern[4:]})")
    return re.compile("(?i)" + "|".join(alts))


# EVENT_RE, then REMAINS_VERB_RE, then PRONOUN_RE at the number's end, in that order.
_NP_LEAD_RE = _first_of(event=EVENT_RE, remains=REMAINS_VERB_RE, pronoun=PRONOUN_RE)
_ADJ_HEADS = ("killed", "dead", "injured", "wounded", "missing")
_CLOSE_QUOTES = "\"\u201d"
_OPEN_QUOTES = "\"\u201c"


def noun_phrase(text: str, end: int) -> NounPhrase:
    """Return the noun phrase that follows a number ending at `end` in `text`."""
    if end < len(text) and text[end] in _CLOSE_QUOTES:
        end += 1  # killed "more than 50" fighters: the quote closes around the number
    m = _NP_LEAD_RE.match(text, end)
    if m is not None and m.group("pronoun") is None:
        if m.group("event") is not None:
            return NounPhrase("thing", end)  # "held 50 exchanges of prisoners": the number counts events
        return NounPhrase("bare", end)  # "one remains missing": a verb, the trigger follows
    np_m = None
    if m:
        if m.group().rstrip().lower().endswith("more"):
            np_m = NP_RE.match(text, end)
        if not (np_m and np_m.group("more") and m.end() == np_m.end("more")):
            return NounPhrase("people", m.end(), head="them")  # "400 more" alone, not "400 more soldiers"
    m = np_m or NP_RE.match(text, end)
    if m and not THING_MOD_RE.match(text, end, m.start("head")):
        head = lx.norm(m.group("head"))
        mods = m.group("mods")
        if head in SINGULAR_HEADS and not m.group("more") and _plural_count(text, end):
            m2 = NP_RE.match(text, m.end("head"))
            if not (
                m2
                and not m2.group("of")
                and len(m2.group("mods").split()) <= 1
                and lx.norm(m2.group("head")) not in SINGULAR_HEADS
            ):
                return NounPhrase("thing", m.end())
            # "two national staff members", "12 child soldiers": the singular noun is a modifier
            head, mods, m = lx.norm(m2.group("head")), m.group("mods") + m.group("head") + m2.group("mods"), m2
        mod_trigger = None
        for tok in mods.split():
            t = _MOD_TRIGGERS.get(tok.lower())
            if t:
                mod_trigger = t
        if head in _ADJ_HEADS:
            m2 = NP_RE.match(text, m.end("head"))
            if m2 and not m2.group("of") and not m2.group("mods") and lx.norm(m2.group("head")) in PEOPLE:
                # "40 seriously wounded soldiers": the participle is a modifier of the people noun
                head2 = lx.norm(m2.group("head"))
                return NounPhrase("people", m2.end(), head2, None, _MOD_TRIGGERS[head], mods + " " + head)
        if head in CATEGORY_NOUNS and not (
            head in ("killed", "dead", "injured", "wounded", "missing") and mods
        ):
            return NounPhrase("category", m.end(), head, CATEGORY_NOUNS[head], mod_trigger, mods)
        if head in CATEGORY_NOUNS:
            return NounPhrase("category", m.end(), head, CATEGORY_NOUNS[head], mod_trigger, mods)
        return NounPhrase("people", m.end(), head, None, mod_trigger, mods)
    if THING_RE.match(text, end):
        return NounPhrase("thing", end)
    if RIGHT_RE.match(text, end):
        return NounPhrase("bare", end)
    w = NEXT_WORD_RE.match(text, end)
    if w and lx.norm(w.group(1)) not in STOP and not w.group(1)[0].isdigit():
        return NounPhrase("unknown", w.end(), w.group(1), capitalised=w.group(1)[0].isupper())
    return NounPhrase("bare", end)


SINGULAR_HEADS = (
    SINGULAR
    | {n for n in CATEGORY_NOUNS if n in ("prisoner", "body", "hostage", "detainee", "captive", "pow")}
) - {"police", "personnel", "elderly"}
_ONE_RE = re.compile(r"(?i)(?:\b(?:one|a|an|1)|single)\Z")


def _plural_count(text: str, end: int) -> bool:
    """Return True when the number ending at `end` is more than one (so a singular noun is a compound)."""
    return not _ONE_RE.search(text, max(0, end - 6), end)


@dataclass(slots=True)
class Trigger:
    """A trigger found beside a number: its category (as in triggers.tsv), span and side."""

    category: str
    start: int
    end: int
    side: str
    adjacent: bool  # nothing but modifiers/auxiliaries between it and the number or noun


_NUMWORD_ALT = lx.alternation(w for w, _v, _k in lx.rows("number_words.tsv"))
_OBJECT_AFTER_RE = re.compile(
    r"(?i)\s+(?:(?:at\s+least|more\s+than|about|around|some|nearly|almost|over|up\s+to|as\s+many\s+as|"
    r"an\s+estimated)\s+)?(?:an?\s+(?:dozen|few|couple|score)\b|(?:dozens|hundreds|thousands|scores|several)\b|"
    r"(?:\d[\d,.]*|" + _NUMWORD_ALT + r")(?![\w-])(?!\s+(?:days?|weeks?|months?|years?|hours?|minutes?|times)\b))"
)
_SERVING_FATE_RE = re.compile(
    r"(?i)[^;:!?]{0,150}?(?<![\w-])(?<!none\s)(?<!\bno\s)(?:were|was|have\s+been|has\s+been|had\s+been)\s+(?:(?:reportedly|also|later|all)\s+)?"
    r"(?P<t>" + _RIGHT + r")(?![\w-])"
)
_BE_RE = re.compile(r"(?i)\b(?:were|was|are|is|been|being|be|get|got)\b")


def right_trigger(text: str, pos: int, limit: int, far: bool = False) -> Trigger | None:
    """Return the trigger that follows offset `pos` ("were killed"), within the sentence ending at `limit`.

    With `far`, the trigger may also stand after a few words and a finite auxiliary
    ("five policemen escorting a bus have been killed").
    """
    m = RIGHT_RE.match(text, pos, limit)
    if not m and far:
        m = RIGHT_FAR_RE.match(text, pos, limit)
    if not m:
        return None
    if m.group("t").lower() == "serving":
        later = _SERVING_FATE_RE.match(text, m.end("t"), limit)
        if later and TRIGGERS[("right", lx.norm(later.group("t")))] != "troops_deployed":
            m = later  # "13 soldiers serving with the mission were killed": the fate decides, not the posting
    if _OBJECT_AFTER_RE.match(text, m.end("t")) and not _BE_RE.search(text, pos, m.start("t")):
        return None  # "gang members also kidnapped a dozen people": the verb is active, its object follows
    cat = TRIGGERS[("right", lx.norm(m.group("t")))]
    adjacent = m.re is RIGHT_RE and not m.group("prep") and not m.group("coord") and not m.group("ofg")
    return Trigger(cat, m.start("t"), m.end("t"), "right", adjacent)


def left_trigger(text: str, pos: int, floor: int) -> Trigger | None:
    """Return the trigger that ends just before offset `pos` ("killed at least"), not before `floor`."""
    if pos > floor and text[pos - 1] in _OPEN_QUOTES:
        pos -= 1  # put the toll at "around sixty": the quote opens before the number
    if text.endswith("to ", max(floor, pos - 3), pos):
        m = _RUNNING_RE.search(text, max(floor, pos - 260), pos)
        if m:
            body = m.group("body")
            for w in _WORD_RE.finditer(body):
                cat = _RUNNING_CATS.get(w.group().lower())
                if cat is not None:
                    a = m.start("body") + w.start()
                    return Trigger(cat, a, a + len(w.group()), "left", True)
    lo = max(floor, pos - 110)
    rev = text[lo:pos][::-1]
    m = LEFT_REV_RE.match(rev)
    if m:
        a, b = pos - m.end("t"), pos - m.start("t")
        cat = TRIGGERS[("left", lx.norm(text[a:b]))]
        return Trigger(cat, a, b, "left", m.group("dest") is None)
    m = TOLL_REV_RE.match(rev)
    if m:
        return Trigger("toll", pos - m.end("t"), pos - m.start("t"), "left", True)
    m = COUNT_REV_RE.match(rev)
    if m:
        g = "t" if m.group("t") is not None else "p"
        a, b = pos - m.end(g), pos - m.start(g)
        return Trigger(COUNTS[lx.norm(text[a:b])], a, b, "left", True)
    return None


# A running total: "bringing the number of soldiers killed since the start of the month to 13",
# "raised the toll of troops killed in the offensive to 450"; the participle names the category.
_RUNNING_RE = re.compile(
    r"(?i)\b(?:br(?:ing|ings|inging|ought)|rais(?:e|es|ed|ing)|push(?:es|ed|ing)?|tak(?:e|es|ing)|took|lift(?:s|ed|ing)?)"
    r"\s+(?:the|its|their|his|her)\s+(?:overall\s+|total\s+|official\s+|confirmed\s+)?"
    r"(?:number|toll|total|count|tally|figure)\s+of\s+(?P<body>[^.;:!?]{1,200}?)\s+to\s+\Z"
)
_WORD_RE = re.compile(r"[A-Za-z]+")
_RUNNING_CATS = {p: c for p, c, k in lx.rows("counts.tsv") if k == "participle" and " " not in p} | {
    "released": "exchange",
    "freed": "exchange",
    "exchanged": "exchange",
    "swapped": "exchange",
    "repatriated": "exchange",
    "returned": "exchange",
    "deaths": "killed",
    "fatalities": "killed",
    "casualties": "casualties",
    "injuries": "wounded",
}
_FAR_FILL_RE = re.compile(r"\b(?:to|in|from)\s")


def exchange_context(text: str, lo: int, hi: int) -> bool:
    """Return True when text[lo:hi] speaks of an exchange, a release or captivity."""
    return EXCHANGE_CTX_RE.search(text, lo, hi) is not None


def resolve(
    text: str,
    np: NounPhrase,
    left: Trigger | None,
    right: Trigger | None,
    sent: tuple[int, int],
    num_start: int,
) -> tuple[str, str, Trigger | None] | None:
    """Return (category, rule, trigger used) for a number with noun phrase `np` and triggers, or None.

    `sent` is the sentence span; `num_start` the number's start (with modifier).
    """
    s0, s1 = sent

    def local_exchange() -> bool:
        return exchange_context(text, max(s0, num_start - 90), min(s1, np.end + 60))

    def injuries_near() -> bool:
        return _INJURY_RE.search(text, max(s0, num_start - 80), min(s1, np.end + 80)) is not None

    def bodies_exchange() -> bool:
        lo, hi = max(s0, num_start - 90), min(s1, np.end + 120)
        m = BODIES_EXCHANGE_RE.search(text, lo, hi)
        if m is None:
            return False
        if m.group("weak") is None:
            return True
        # only weak cues: a hospital or morgue receiving or moving bodies counts the killed
        strong = any(x.group("weak") is None for x in BODIES_EXCHANGE_RE.finditer(text, m.end(), hi))
        return strong or MEDICAL_RE.search(text, max(s0, num_start - 150), min(s1, np.end + 150)) is None

    def received_in_exchange() -> bool:
        """'received nine bodies' after a paragraph about a swap; not a hospital or morgue receiving them."""
        starts = (num_start, left.start) if left is not None else (num_start,)
        return (
            any(_RECEIVED_RE.search(text, max(s0, a - 40), a) for a in starts)
            and exchange_context(text, max(0, num_start - 300), min(s1, np.end + 120))
            and not _MORGUE_RE.search(text, max(s0, num_start - 150), min(s1, np.end + 150))
        )

    # 1. the noun says it: casualties, deaths, bodies, prisoners...
    if np.kind == "category":
        nc = np.noun_category
        trig = left or right
        if nc == "prisoners" and left and left.category == "bodies":
            nc = "bodies"
        if nc == "bodies":
            if bodies_exchange() or received_in_exchange() or (
                left
                and left.category in ("exchange", "exchange_weak")
                and not lx.norm(text[left.start : left.end]).startswith("receiv")
            ):
                return "remains_exchanged", "noun:bodies_exchange", None
            return "killed", "noun:bodies", None
        if nc == "prisoners":
            for t in (right, left):
                if t and t.category in ("killed", "wounded", "missing"):
                    return t.category, f"noun_trigger:{t.category}", t
            held = right is not None and right.category == "captured"
            still_held = held and lx.norm(text[right.start : right.end]).startswith(("still", "remain", "being"))
            for t in (left, right):
                if t and t.category in ("exchange", "exchange_weak"):
                    if held and t is left and (" " in lx.norm(text[t.start : t.end]) or still_held):
                        continue  # "the release of 100 hostages still held": still held
                    return "prisoners_exchanged", "exchange:prisoners", t
            if left and left.category in ("captured", "holding") or right and right.category == "captured":
                return "captured", "noun:prisoners_held", None
            if local_exchange() and _release_near(text, max(s0, num_start - 60), min(s1, np.end + 50)):
                return "prisoners_exchanged", "exchange:prisoners_context", None
            return "captured", "noun:prisoners_held", None
        if nc == "casualties" and np.head == "losses" and not (left and left.category == "loss"):
            if not np.mods and not (trig and trig.category in ("killed", "wounded")):
                return None
        if nc == "killed" and right and right.category == "casualties":
            return "casualties", "noun_trigger:casualties", right
        if nc == "killed" and _AND_WOUNDED_RE.match(text, np.end):
            return "casualties", "noun:killed_and_wounded", None
        if (
            nc in ("wounded", "missing", "casualties")
            and right is not None
            and right.adjacent
            and right.category == "killed"
            and _PARTITIVE_RE.search(text, num_start, np.end)
        ):
            return "killed", "partitive:killed", right  # "five of the wounded died"
        return nc, f"noun:{np.head}", None
    if (
        np.mod_trigger == "captured"
        and np.kind == "people"
        and right is not None
        and right.category == "exchange"
        and right.adjacent
    ):
        return "prisoners_exchanged", "exchange:captives_freed", right  # "137 abducted pupils freed"
    if (
        np.mod_trigger == "captured"
        and np.kind == "people"
        and left is not None
        and left.category in ("exchange", "rescue")
        and left.adjacent
    ):
        return "prisoners_exchanged", "exchange:freed_captives", left  # "troops free 131 kidnapped pupils"
    if (
        np.mod_trigger == "wounded"
        and np.kind == "people"
        and right is not None
        and right.category in ("exchange", "exchange_weak")
        and right.adjacent
        and local_exchange()
        and not _FROM_HOSPITAL_RE.match(text, right.end)
        and not MEDICAL_RE.search(text, right.end, min(s1, right.end + 40))  # "transferred to field hospitals"
    ):
        return "prisoners_exchanged", "exchange:wounded_returned", right  # "22 badly wounded soldiers were returned"
    if np.mod_trigger and np.mod_trigger != "exchange" and np.kind == "people":
        return np.mod_trigger, f"adjective:{np.mod_trigger}", None

    # 2. a trigger beside the number decides
    people = np.kind == "people"
    for t in (left, right):
        if t is None:
            continue
        if np.kind == "bare" and not t.adjacent and t.category != "toll":
            continue
        if np.kind == "unknown" and not (t.side == "left" and t.adjacent or np.capitalised):
            continue
        cat = t.category
        rule_side = "verb_active" if t.side == "left" else "verb_passive"
        if cat == "bodies":
            if bodies_exchange() or received_in_exchange():
                return "remains_exchanged", "exchange:remains", t
            return "killed", "noun:bodies_of", t
        if cat == "toll":
            return "killed", "toll:killed", t
        if cat == "loss":
            if people:
                if np.head in _KIN or _KIN_RE.match(text, np.end) or _OTHERS_HURT_RE.match(text, np.end):
                    return "killed", "loss:killed", t  # "lost 9 relatives"; "lost 7 men, and 11 others were injured"
                return "casualties", "loss:casualties", t
            continue
        if cat == "rescue":
            if right is not None and right.category == "captured" and right.adjacent:
                return "prisoners_exchanged", "exchange:rescued", t  # "rescued 40 pupils abducted by gunmen"
            continue
        if t.side == "left" and np.head == "lives" and (cat == "lives" or lx.norm(text[t.start : t.end]) in _TAKE):
            return "killed", f"lives:{lx.norm(text[t.start : t.end])}", t  # "claimed 30 lives", "took 12 lives"
        if cat == "lives":
            continue
        if cat == "hospital":
            if t is left and right is not None and right.category != "hospital":
                continue  # "admitted 6 of its men were killed": the verb on the right decides
            if np.kind in ("people", "bare", "unknown") and injuries_near():
                return "wounded", f"hospital:{lx.norm(text[t.start : t.end])}", t
            continue
        if cat == "holding":
            if people and np.head not in _ARRESTEES:  # "police held 40 protesters" is an arrest
                return "captured", f"holding:{lx.norm(text[t.start : t.end])}", t
            continue
        if cat in ("exchange", "exchange_weak"):
            word = lx.norm(text[t.start : t.end])
            if word.startswith("receiv") and np.head == "patients" and injuries_near():
                return "wounded", "hospital:received", t
            if (
                cat == "exchange_weak"
                and not local_exchange()
                and not (
                    t.side == "right"
                    and people
                    and _BE_RE.search(text, np.end, t.start)
                    and exchange_context(text, max(0, num_start - 300), num_start)
                )
            ):
                if word.startswith("transfer") and people and np.head in MILITARY:
                    return "troops_deployed", f"deploy:{word}", t
                continue
            if t.category == "exchange_weak" and word.startswith("receiv"):
                continue
            if np.kind in ("people", "bare", "unknown"):
                if _REMAINS_OF_RE.search(text, max(s0, num_start - 50), num_start) or (
                    np.kind != "people"
                    and _BODIES_WORD_RE.search(text, max(s0, num_start - 200), min(s1, np.end + 200))
                    and not _PRISONER_WORD_RE.search(text, max(s0, num_start - 200), min(s1, np.end + 200))
                ):
                    return "remains_exchanged", f"exchange:remains_{lx.norm(text[t.start : t.end])}", t
                return "prisoners_exchanged", f"exchange:{lx.norm(text[t.start : t.end])}", t
            continue
        if cat == "burial":
            if people or np.kind == "bare":  # "buried 32 people", not "buried 46 cables"
                return "killed", f"burial:{lx.norm(text[t.start : t.end])}", t
            continue
        if cat == "presence":
            if people and np.head in MILITARY and (
                _IN_PLACE_RE.match(text, np.end)
                or _AT_PEAK_RE.search(text, max(s0, t.start - 30), min(s1, np.end + 30))
            ):
                return "troops_deployed", "deploy:present", t
            continue
        if cat == "troops_count":
            if np.kind == "bare" or people and np.head in MILITARY:
                return "troops_deployed", "count:troops", t
            continue
        if cat == "troops_deployed":
            if people and np.head in MILITARY:
                return cat, f"deploy:{lx.norm(text[t.start : t.end])}", t
            continue
        if cat == "captured" and lx.norm(text[t.start : t.end]) in _TAKE:
            if not _TAKEN_AS_RE.match(text, np.end):
                continue  # "took 600 soldiers prisoner", not "took 600 soldiers to hospital"
        if (
            cat == "captured"
            and t.side == "right"
            and t.start - np.end <= 1
            and _FREED_LATER_RE.search(text, t.end, min(s1, t.end + 200))
        ):
            return "prisoners_exchanged", "exchange:freed_later", t  # "pupils abducted ... have regained their freedom"
        return cat, f"{rule_side}:{lx.norm(text[t.start : t.end])}", t
    # 3. "the 185 freed Ukrainians": people named as freed, with no verb deciding otherwise
    if (
        people
        and np.mod_trigger == "exchange"
        and (
            exchange_context(text, max(s0, num_start - 90), num_start)
            or exchange_context(text, np.end, min(s1, np.end + 60))
        )
    ):
        return "prisoners_exchanged", "adjective:freed", None
    # 4. peacekeepers are troops sent abroad by definition: "the mission's 13,000 peacekeepers"
    if people and np.head in ("peacekeepers", "blue helmets") and left is None and right is None:
        return "troops_deployed", "noun:peacekeepers", None
    # 5. "Of the dead, 14 were children"; "Of the 251 hostages seized, 73 remain"
    if (np.kind in ("bare", "people") or np.kind == "unknown" and not np.capitalised) and num_start - s0 < 120:
        m = _OF_THE_RE.match(text, s0, num_start)
        if m:
            return _OF_THE_CAT[lx.norm(m.group("h"))], "of_the:" + lx.norm(m.group("h")), None
    return None


_RECEIVED_RE = re.compile(r"(?i)\breceiv(?:ed|es|e|ing)(?:\s+(?:the|a\s+further|another|back|a\s+total\s+of))?\s+\Z")
_IN_PLACE_RE = re.compile(
    r"(?i)\s+(?:(?:(?:stationed|deployed|based|operating)\s+)?(?:in|inside|across|under)\s+"
    r"(?!(?:total|all|reserve|captivity|custody|hospital|prison|jail|detention|training)\b)"
    r"|from\s+(?:\d+|[a-z]+)\s+(?:countries|nations)\b)"
)
# a mission's size: "has 3,000 soldiers under the AU mission", "10,000 troops from 50 countries", "at its peak had"
_AT_PEAK_RE = re.compile(r"(?i)\bat\s+(?:its|their|the)\s+peak\b")
_KIN = {"relatives", "relative", "sons", "daughters", "brothers", "family"}
_KIN_RE = re.compile(r"(?i)\s+(?:(?:of\s+)?(?:his|her|their|my|our|the)\s+)?(?:family|relatives|children)\b")
_OTHERS_HURT_RE = re.compile(
    r"(?i)[^.;:!?]{0,50}?\band\s+(?:\d[\d,]*|[a-z-]+)\s+(?:others?\s+|more\s+)?(?:were|was|had\s+been)\s+"
    r"(?:\w+\s+)?(?:injured|wounded|hurt)\b"
)
_FROM_HOSPITAL_RE = re.compile(r"(?i)\s+from\s+(?:the\s+|a\s+)?(?:hospitals?|clinics?|medical\s+care|treatment)\b")
_ARRESTEES = {"suspects", "suspect", "protesters", "protestors", "demonstrators", "inmates", "migrants", "refugees"}
_OF_THE_CAT = {
    "dead": "killed",
    "killed": "killed",
    "injured": "wounded",
    "wounded": "wounded",
    "missing": "missing",
    "hostages": "captured",
    "captives": "captured",
    "prisoners": "captured",
    "casualties": "casualties",
}
_OF_THE_RE = re.compile(
    r"(?i)[\"'\u201c]?of\s+(?:the|those)\s+(?:[\d,]+\s+|[a-z-]+\s+){0,2}?(?P<h>"
    + lx.alternation(_OF_THE_CAT)
    + r")\b[^,.;:!?]{0,50},\s*\Z"
)
_MORGUE_RE = re.compile(r"(?i)\b(?:hospitals?|morgues?|mortuar(?:y|ies)|clinics?)\b")
_AND_WOUNDED_RE = re.compile(r"(?i)\s+(?:and|or)\s+(?:wounded|injured)\b")
_PARTITIVE_RE = re.compile(r"(?i)\bof\s+(?:the|those|these)\s")
_REMAINS_OF_RE = re.compile(r"(?i)\b(?:bodies|remains)\s+of\b")
_BODIES_WORD_RE = re.compile(r"(?i)\b(?:bodies|remains|corpses)\b")
_PRISONER_WORD_RE = re.compile(r"(?i)\b(?:prisoners?|POWs?|captives?|hostages?|detainees?)\b")
_FREED_LATER_RE = re.compile(
    r"(?i)\b(?:regained\s+(?:their|his|her)\s+freedom|(?:(?:have|has|had)\s+been|were|was)\s+"
    r"(?:freed|released|set\s+free|rescued)\b)"
)
_INJURY_RE = re.compile(r"(?i)\b(?:injur|wound|hurt\b|shrapnel|gunshot|burns\b|bullet)")
_TAKE = ("took", "taking", "taken", "take", "takes")
_TAKEN_AS_RE = re.compile(r"(?i)\s+(?:as\s+)?(?:prisoners?|captives?|hostages?|into\s+captivity)\b")
_RELEASE_RE = re.compile(
    r"(?i)\b(?:releas|free|freed|swap|exchang|repatriat|return|brought\s+home|bring\s+\w+\s+home)"
)


def _release_near(text: str, lo: int, hi: int) -> bool:
    return _RELEASE_RE.search(text, lo, hi) is not None
