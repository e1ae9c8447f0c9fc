"""Reads a figure's attributes from its sentence: party, actor, claimant, location, modality, cumulative."""

from __future__ import annotations

import re

from extractors import lexicon as lx
from extractors.numbers import case_plain

ENTITIES: dict[str, str] = {name: party for name, party in lx.rows("entities.tsv")}
_ENTITIES_FOLDED: dict[str, str] = {name.casefold(): party for name, party in ENTITIES.items()}


def entity_party(written: str) -> str:
    """Return the party of an entity as the text writes it, in any case ("Hamas", "HAMAS")."""
    return ENTITIES.get(written) or _ENTITIES_FOLDED[written.casefold()]
_ENT_ALT = lx.alternation(ENTITIES)
# The same as prefix trees: one for patterns without IGNORECASE, one for patterns with it.
_ENT_ALT_CASED = lx.trie_alternation(ENTITIES, cased=True)
_ENT_ALT_FOLDED = lx.trie_alternation(ENTITIES, ignorecase=True)
ENTITY_RE = re.compile(r"(?P<e>" + lx.led_alternation(ENTITIES, False, r"[\w-]") + r")(?![\w-]|\.\w)")
_PREP_BEFORE_RE = re.compile(
    r"(?i)\b(?:to|in|on|into|from|at|against|with|of|for|towards?|across|near|inside|by|and|over|than|"
    r"between)\s+(?:the\s+)?\Z"
)
_BY_RE = re.compile(r"(?i)\s+by\s+(?:the\s+)?(?P<e>" + _ENT_ALT_FOLDED + r")(?![\w-])")
_TO_RE = re.compile(r"(?i)[^.;]{0,40}?\b(?:to|for)\s+(?:the\s+)?(?-i:(?P<e>" + _ENT_ALT_CASED + r"))(?![\w-])")
_OF_RE = re.compile(r"\s+of\s+(?:the\s+)?(?P<e>" + _ENT_ALT_CASED + r")(?![\w-])")
_LOSS_RE = re.compile(
    r"(?P<e>" + lx.led_alternation(ENTITIES) + r")(?![\w-])(?:\s+\w+){0,2}?\s+(?:has\s+|had\s+|have\s+)?"
    r"(?:suffered|lost|sustained|incurred)\s+(?:\w+\s+){0,3}\Z"
)
# A _LOSS_RE match holds one of these verbs (case-sensitive); a window without any has no match.
_LOSS_VERBS = ("suffered", "lost", "sustained", "incurred")
_LOSS_GATE = "(?:suffered|lost|sustained|incurred)\\s" in _LOSS_RE.pattern and not _LOSS_RE.flags & re.IGNORECASE

_MODAL: dict[str, str] = {lx.norm(p): m for p, m in lx.rows("modality.tsv")}
# Patterns searched over a sentence or a window start with a character class (lx.led_alternation), so
# that the regex engine skips to the characters that can start a match; same matches as the plain
# (?<![\w'])(?P<m>alternation), \bmay\b, \balternation\b.
_MODAL_RE = re.compile(
    r"(?i)(?P<m>" + lx.led_alternation((p for p in _MODAL if p != "may"), True, r"[\w']") + r")(?![\w])"
)
_MAY_RE = re.compile(r"may(?<!\wmay)\b(?!\s+have\b)")  # "may have died" is an estimate of the past
_CUMULATIVE_RE = re.compile(r"(?i)" + lx.led_alternation(lx.words("cumulative.txt"), True, r"\w") + r"\b")

_CLAIM_VERBS = lx.alternation(lx.words("claim_verbs.txt"))
_CLAIM_NOUNS = lx.alternation(lx.words("claim_nouns.txt"))
_NAME_TOK = r"(?:[A-Z][\w\u2019'.-]*|(?i:" + _CLAIM_NOUNS + r")(?:\u2019s|'s)?)"
_SOURCE = r"(?:" + _NAME_TOK + r"(?:\s+(?:of\s+|for\s+|and\s+)?(?:the\s+)?" + _NAME_TOK + r"){0,5})"
_ACCORDING_RE = re.compile(r"[aA](?i:ccording\s+to)\s+(?:(?i:the)\s+)?(?P<c>" + _SOURCE + r")")
_SAID_RE = re.compile(
    r"(?:(?i:the)\s+)?(?P<c>"
    + _SOURCE
    + r")(?:\s+(?i:also|had|has|have|later|previously|earlier|on\s+\w+day))*"
    r"\s+(?i:" + _CLAIM_VERBS + r")\b"
)
# A _SAID_RE match ends with whitespace, a claim verb and \b: a sentence without one has no match, and
# a scan of the sentence can stop at the end of its last one (nothing in _SAID_RE looks past its end
# but that \b, which holds there).
# (_CLAIM_VERB_RE matches the verb after that whitespace: \s(?i:verbs)\b, minus the \s.)
_CLAIM_VERB_RE = re.compile(r"(?i:" + lx.led_alternation(lx.words("claim_verbs.txt"), True, after=r"\s") + r")\b")
# Nor can a _SAID_RE match hold a character outside [\w\s'\u2019.-] (a comma, a quote, a bracket): its
# sources, connectors and verbs are words, so a sentence is scanned only in the stretches between such
# characters that hold a claim verb.
_SAID_BREAK_RE = re.compile(r"[^\w\s'\u2019.-]")
_SAID_BY_STRETCH = all(re.fullmatch(r"[\w\s'\u2019.-]+", v) for v in lx.words("claim_verbs.txt"))
_SAID_INV_RE = re.compile(
    r"(?i:" + lx.led_alternation(["said", "says", "reported", "according to"], True, r"\w") + r")"
    r"\s+(?:(?i:the)\s+)?(?P<c>" + _SOURCE + r")"
)
# Words (lower case) that every match of a pattern holds: "according to X", "..., said X"; None when
# the pattern changed its lead.
_ACCORDING_WORDS = ("ccording",) if _ACCORDING_RE.pattern.startswith(r"[aA](?i:ccording\s+to)") else None
_SAID_INV_WORDS = (
    ("said", "says", "reported", "according")
    if _SAID_INV_RE.pattern.startswith(
        r"(?i:" + lx.led_alternation(["said", "says", "reported", "according to"], True, r"\w") + r")"
    )
    else None
)
_NOT_SOURCE = {
    "He",
    "She",
    "They",
    "It",
    "We",
    "I",
    "The",
    "This",
    "That",
    "But",
    "And",
    "In",
    "On",
    "A",
    "An",
}

_LOC_RE = re.compile(
    lx.led_alternation(["in", "near", "at", "outside", "around", "across", "inside"], False, r"\w")
    + r"\s+(?:the\s+)?"
    r"(?P<l>[A-Z][\w\u2019'-]+(?:\s+(?:[A-Z][\w\u2019'-]+|[Rr]egion|[Pp]rovince|[Oo]blast|[Dd]istrict|[Ss]trip|"
    r"[Cc]ity|[Ss]tate|[Gg]overnorate))*)"
)
_MONTHS = set(lx.words("months.txt")) | {
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "The",
    "A",
    "An",
    "This",
    "That",
    "His",
    "Her",
    "Their",
}


def _clean(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").split()).strip(" ,.;:")


def entity_in(text: str, lo: int, hi: int) -> str | None:
    """Return the party name of the first nationality, country or group named in text[lo:hi]."""
    m = ENTITY_RE.search(text, lo, hi)
    return entity_party(m.group("e")) if m else None


def subject_before(text: str, lo: int, hi: int) -> str | None:
    """Return the party name of the nearest entity in text[lo:hi] that is not the object of a preposition."""
    best = None
    for m in ENTITY_RE.finditer(text, lo, hi):
        if _PREP_BEFORE_RE.search(text, max(lo, m.start() - 12), m.start()):
            continue
        best = entity_party(m.group("e"))
    return best


def _holds_any(text: str, lo: int, hi: int, words) -> bool:
    """Return True when one of `words` occurs in text[lo:hi], as written (str.find)."""
    for w in words:
        if text.find(w, lo, hi) >= 0:
            return True
    return False


def party_of(text: str, cat: str, span_lo: int, np_end: int, sent: tuple[int, int]) -> str | None:
    """Return whose people a figure counts: a nationality in its noun phrase, "of X", "to X", "X suffered"."""
    p = entity_in(text, span_lo, np_end)
    if p:
        return p
    m = _OF_RE.match(text, np_end, sent[1])
    if m:
        return entity_party(m.group("e"))
    if cat in ("remains_exchanged", "prisoners_exchanged"):
        m = _TO_RE.match(text, np_end, sent[1])
        if m:
            return entity_party(m.group("e"))
    lo = max(sent[0], span_lo - 70)
    if _LOSS_GATE and not _holds_any(text, lo, span_lo, _LOSS_VERBS):
        return None
    m = _LOSS_RE.search(text, lo, span_lo)
    if m:
        return entity_party(m.group("e"))
    return None


def actor_of(
    text: str, cat: str, side: str | None, num_lo: int, trig_end: int, sent: tuple[int, int], loss: bool
) -> str | None:
    """Return who does the action: "by X" after a passive trigger, else the subject before an active one."""
    if side == "right" or side is None:
        m = _BY_RE.match(text, trig_end, sent[1])
        if m:
            return entity_party(m.group("e"))
        if side == "right" or cat not in ("troops_deployed", "remains_exchanged", "prisoners_exchanged"):
            return None
    if loss:
        return None
    return subject_before(text, sent[0], num_lo)


def claimant_of(text: str, sent: tuple[int, int], pos: int, cache: dict | None = None) -> str | None:
    """Return who states the figure at `pos`: "according to X", "X said/estimated", "..., said X".

    `cache`, a dict kept for one text, holds each sentence's sources so that figures of one sentence
    scan it once.
    """
    return _nearest(_per_sentence(cache, sent, sent, _claimants, text, lowered(text, cache)), pos)


def lowered(text: str, cache: dict | None) -> str | None:
    """Return text.lower() when it keeps every offset and IGNORECASE folds no odd letter to ASCII, else None.

    Then a case-insensitive pattern can match text[lo:hi] only where that copy holds its words, which
    str.find checks much faster. Kept in the per-text `cache` (key "lower") when one is given.
    """
    if cache is not None and "lower" in cache:
        return cache["lower"]
    low = text.lower() if case_plain(text) else None
    if cache is not None:
        cache["lower"] = low
    return low


def _per_sentence(cache: dict | None, key, sent: tuple[int, int], scan, text: str, *args) -> list[tuple[int, str]]:
    """Return scan(text, sent, *args), computed once per sentence when a per-text `cache` is given."""
    found = None if cache is None else cache.get(key)
    if found is None:
        found = scan(text, sent, *args)
        if cache is not None:
            cache[key] = found
    return found


def _nearest(found: list[tuple[int, str]], pos: int) -> str | None:
    """Return the name of the (offset, name) pair nearest to `pos`; the earlier one on a tie."""
    best, best_dist = None, 10**9
    for start, name in found:
        dist = abs(start - pos)
        if dist < best_dist:
            best, best_dist = name, dist
    return best


def _claimants(text: str, sent: tuple[int, int], low: str | None = None) -> list[tuple[int, str]]:
    """Return the (offset, name) of every source stated in the sentence, in the order claimant_of weighs them.

    `low` (see lowered) lets the sentence skip a pattern whose leading words it does not hold.
    """
    s0, s1 = sent
    out = []
    said_end = None
    verbs = []
    for v in _CLAIM_VERB_RE.finditer(text, s0 + 1, s1):  # its whitespace at s0 or later
        said_end = v.end()
        verbs.append(v.start())
    for rx, words in ((_ACCORDING_RE, _ACCORDING_WORDS), (_SAID_RE, None), (_SAID_INV_RE, _SAID_INV_WORDS)):
        if rx is _SAID_RE:
            if said_end is None:
                continue
            found = _said_matches(text, s0, said_end, verbs) if _SAID_BY_STRETCH else rx.finditer(text, s0, said_end)
        elif low is not None and words is not None and not _holds_any(low, s0, s1, words):
            continue
        else:
            found = rx.finditer(text, s0, s1)
        for m in found:
            c = _clean(m.group("c"))
            first = c.split()[0] if c else ""
            if not c or first in _NOT_SOURCE and len(c.split()) == 1:
                continue
            if c.lower().startswith("the "):
                c = c[4:]
            out.append((m.start(), c))
    return out


def _said_matches(text: str, s0: int, said_end: int, verbs: list[int]) -> list[re.Match]:
    """Return _SAID_RE.finditer(text, s0, said_end) as a list, scanning only stretches that hold a verb.

    A stretch ends before a character no match can hold, so ending the scan there (which \b after the
    verb sees as a non-word character, as it is) finds the same matches.
    """
    out: list[re.Match] = []
    lo = s0
    vi = 0
    n = len(verbs)
    for b in _SAID_BREAK_RE.finditer(text, s0, said_end):
        hi = b.start()
        if vi < n and verbs[vi] < hi:
            out.extend(_SAID_RE.finditer(text, lo, hi))
            while vi < n and verbs[vi] < hi:
                vi += 1
        lo = hi + 1
        if vi >= n:
            return out
    if vi < n:
        out.extend(_SAID_RE.finditer(text, lo, said_end))
    return out


def location_of(text: str, sent: tuple[int, int], pos: int, cache: dict | None = None) -> str | None:
    """Return the place named by "in/near/at X" in the sentence, the nearest to `pos`.

    `cache`, a dict kept for one text, holds each sentence's places so that figures of one sentence
    scan it once.
    """
    return _nearest(_per_sentence(cache, ("places", sent), sent, _places, text), pos)


def _places(text: str, sent: tuple[int, int]) -> list[tuple[int, str]]:
    """Return the (offset, name) of every place "in/near/at X" of the sentence, in order."""
    out = []
    for m in _LOC_RE.finditer(text, sent[0], sent[1]):
        loc = _clean(m.group("l"))
        if loc.split()[0] in _MONTHS:
            continue
        out.append((m.start(), loc))
    return out


def modality_of(text: str, lo: int, hi: int) -> str:
    """Return "hypothetical", "planned" or "asserted" from the modal words in text[lo:hi]."""
    found = "asserted"
    if _MAY_RE.search(text, lo, hi):
        return "hypothetical"
    for m in _MODAL_RE.finditer(text, lo, hi):
        mod = _MODAL[lx.norm(m.group("m"))]
        if mod == "hypothetical":
            return mod
        found = mod
    return found


def cumulative_of(text: str, sent: tuple[int, int]) -> bool:
    """Return True when the sentence marks a running total ("so far", "death toll", "since the start")."""
    return _CUMULATIVE_RE.search(text, sent[0], sent[1]) is not None
