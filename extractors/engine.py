"""Entry point of the rule engine: article text in, one Figure per (category, value) out.

Pipeline per text: find numbers (numbers.py) -> drop those that are never figures (exclusions.py)
-> read the noun phrase and triggers around each (categories.py) -> share categories along lists
("270 servicemen and 120 civilians were killed") -> add lone nouns ("a soldier was killed") and
negations ("no one was killed") -> attributes (attributes.py) -> per-article dedup.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from extractors import attributes as at
from extractors import categories as ct
from extractors import lexicon as lx
from extractors.exclusions import excluded
from extractors.figure import Figure
from extractors.numbers import Number, case_plain, find_numbers
from extractors.sentences import SentenceIndex

SEMVER = "0.2.0"
EXTRACTOR_VERSION = f"{SEMVER}+{lx.lexicon_hash()}"

# A line of prose ends with one of these (a search for [...]\s*\Z on the line, stripped by str.strip,
# which trims the same whitespace as \s: only its last character decides).
_LINE_END_CHARS = ".!?\u2026\"'\u201d\u2019)]:;"
_MARKERS_RE = re.compile(r"\s*[*#>-]*\s*" + lx.alternation(lx.words("headline_markers.txt")) + r"\b")
_SINGULAR_ALT = lx.alternation(ct.SINGULAR)
# Patterns scanned over the whole text begin with a case-sensitive class of their possible first
# characters (with the look-behind that \b was after it), so that the regex engine can skip to those
# characters instead of trying the whole pattern at every offset. Same matches as \b(?P<a>an?|another).
_ARTICLE = r"(?P<a>(?-i:[aA])(?<!\wa)(?:n||nother))"
_LONE_RE = re.compile(
    r"(?i)" + _ARTICLE + r"\s+(?P<mods>(?:(?!"
    + lx.alternation(ct.STOP)
    + r"\b)(?!\d+\s)[\w\u2019'-]+\s+){0,2}?)"
    r"(?P<head>" + _SINGULAR_ALT + r")(?![\w-])"
)
_LONE_OBJECT_RE = re.compile(
    r"(?i)(?P<t>(?-i:[kK\u212awWiI\u0130\u0131aAcCsS\u017fgG])(?<!\w[kwiacsg])"
    r"(?:(?<=k)(?:illed|illing|ills|ill|idnapped)|(?<=w)(?:ounded|ounding)|(?<=i)(?:njured|njuring)"
    r"|(?<=a)bducted|(?<=c)aptured|(?<=s)hot\s+dead|(?<=g)unned\s+down))\s+(?P<a>an?)\s+(?:(?-i:[a-z])[\w\u2019'-]+\s+){0,2}?"
    r"(?P<head>(?-i:[a-z])[\w\u2019'-]+)(?=\s*[.,;:!?]|\s+(?:in|on|at|near|with|and|during|outside|inside|as|while|"
    r"after|before|from|who|when)\b)"
)
# _LONE_OBJECT_RE can only match where one of its trigger words starts. In a text without the
# characters that IGNORECASE folds to an ASCII letter or that lower() lengthens (numbers._CASE_ODD),
# such a word starts where the lower-cased copy holds one of these stems, at the same offset; str.find
# locates them, and the pattern is tried there only, as finditer would (used while the pattern keeps
# this trigger group).
_LONE_OBJECT_LEAD = (
    r"(?i)(?P<t>(?-i:[kK\u212awWiI\u0130\u0131aAcCsS\u017fgG])(?<!\w[kwiacsg])"
    r"(?:(?<=k)(?:illed|illing|ills|ill|idnapped)|(?<=w)(?:ounded|ounding)|(?<=i)(?:njured|njuring)"
    r"|(?<=a)bducted|(?<=c)aptured|(?<=s)hot\s+dead|(?<=g)unned\s+down))"
)
_LONE_OBJECT_STEMS = ("kill", "kidnapped", "wound", "injur", "abducted", "captured", "shot", "gunned")
_LONE_OBJECT_BY_STEMS = _LONE_OBJECT_RE.pattern.startswith(_LONE_OBJECT_LEAD)


def _matches_at(rx: re.Pattern, text: str, starts) -> list[re.Match]:
    """Return the matches of rx.finditer(text), given `starts`: sorted offsets that include every match start.

    finditer looks for the leftmost match from the end of the last one; trying the pattern at the
    possible starts only, in order, finds the same ones.
    """
    out = []
    last = 0
    match = rx.match
    for p in starts:
        if p >= last:
            m = match(text, p)
            if m is not None:
                out.append(m)
                last = m.end()
    return out


def _stem_starts(lower: str, stems) -> list[int]:
    """Return the sorted offsets of `lower` where one of `stems` starts."""
    starts = set()
    for stem in stems:
        i = lower.find(stem)
        while i >= 0:
            starts.add(i)
            i = lower.find(stem, i + 1)
    return sorted(starts)


def _stem_matches(rx: re.Pattern, text: str, lower: str, stems, plain: bool) -> list[re.Match]:
    """Return the matches of rx.finditer(text), trying rx only where `lower` (text.lower()) holds one of
    `stems`, with which all its matches start; `plain` is numbers.case_plain(text). With `stems` None
    (the pattern changed its lead) or a text that is not plain, a plain finditer.
    """
    if stems is None or not plain:
        return list(rx.finditer(text))
    return _matches_at(rx, text, _stem_starts(lower, stems))


def _lone_object_matches(text: str, lower: str) -> list[re.Match]:
    """Return the matches of _LONE_OBJECT_RE.finditer(text); `lower` is text.lower()."""
    if not _LONE_OBJECT_BY_STEMS or not case_plain(text):
        return list(_LONE_OBJECT_RE.finditer(text))
    return _matches_at(_LONE_OBJECT_RE, text, _stem_starts(lower, _LONE_OBJECT_STEMS))


_NOT_VICTIMS = {
    "number",
    "lot",
    "total",
    "deal",
    "plan",
    "bill",
    "proposal",
    "chance",
    "project",
    "story",
    "rumour",
    "rumor",
    "idea",
    "motion",
    "trend",
    "few",
    "couple",
    "dozen",
    "handful",
    "host",
    "series",
}
_QUANTITY_RE = re.compile(r"(?i)\b(?:hundred|thousand|million|dozen|score|few|couple|handful|number|lot|host)\b")
_LIST_LINK_RE = re.compile(r"(?:,|\s+and|\s+or|,\s+and)\s+\Z")
_LONE_GAP_BAD = re.compile(r"(?i)\b(?:who|that|which|and|or)\b")
_LONE_KILL = lx.alternation(
    p
    for (side, p), c in ct.TRIGGERS.items()
    if side == "right" and c in ("killed", "wounded", "captured", "missing")
)
_LONE_GENERIC_RE = re.compile(
    r"(?i)" + _ARTICLE + r"\s+(?:[\w\u2019'-]+\s+){0,2}?(?P<head>(?-i:[a-z])[\w\u2019'-]+)"
    r"\s+(?:was|has\s+been|had\s+been)\s+(?:(?:reportedly|also|later|allegedly|fatally|seriously)\s+)?"
    r"(?P<t>" + _LONE_KILL + r")(?![\w-])"
)
_NEG_NOUN_RE = re.compile(
    r"(?i)(?-i:[nNzZ])(?<!\w[nz])(?:(?<=n)o|(?<=z)ero)\s+(?:(?:immediate|reported|further|other|known|confirmed|civilian|military|serious|"
    r"human|major|additional|new)\s+){0,2}(?P<n>casualties|deaths|fatalities|injuries|dead|losses)\b"
    r"(?:\s+(?:or|and|nor)\s+(?P<n2>casualties|deaths|fatalities|injuries|dead|losses)\b)?"
)
_NEG_PRON_RE = re.compile(
    r"(?i)(?P<n>(?-i:[nN])(?<!\wn)(?:o\s+one|o-one|obody|one(?:\s+of\s+(?:them|(?:the|its|their|our)\s+[\w-]+))?|o\s+(?-i:[A-Z][\w.]*\s+)?"
    + lx.alternation(p for p in ct.PEOPLE if p not in ct.SINGULAR)
    + r"(?:\s+of\s+(?:the|its|their)\s+[\w-]+)?))\s+"
    r"(?:(?:was|were|has|have|had|been|is|are|reportedly|seriously|badly|got)\s+){0,3}"
    r"(?P<t>(?:killed|injured|wounded|hurt)\s+(?:or|and)\s+(?:killed|injured|wounded|hurt)\b|killed|injured|wounded|hurt|harmed|died|dead|captured|missing|taken\s+hostage|abducted)\b"
)
# The whole-text passes below are tried only where a match can start (see _matches_at), found with
# str.find or a literal-led scan of the lower-cased copy, which the regex engine runs much faster than a
# pattern led by a case-insensitive class. _NEG_NOUN_RE starts with "no" or "zero", every branch of
# _NEG_PRON_RE with "no"; _LONE_RE and _LONE_GENERIC_RE with an article and whitespace (_ARTICLE_LOW_RE).
_NEG_NOUN_STEMS = ("no", "zero") if _NEG_NOUN_RE.pattern.startswith(
    r"(?i)(?-i:[nNzZ])(?<!\w[nz])(?:(?<=n)o|(?<=z)ero)\s"
) else None
_NEG_PRON_STEMS = ("no",) if _NEG_PRON_RE.pattern.startswith(
    r"(?i)(?P<n>(?-i:[nN])(?<!\wn)(?:o\s+one|o-one|obody|one(?:\s+of\s+(?:them|(?:the|its|their|our)\s+[\w-]+))?|o\s+"
) else None
# (?<!\wa) as in _ARTICLE: lower() turns no character that \w rejects into one it takes.
_ARTICLE_LOW_RE = re.compile(r"a(?<!\wa)(?=(?:n|nother)?\s)")
_BY_ARTICLE = all(rx.pattern.startswith(r"(?i)" + _ARTICLE + r"\s") for rx in (_LONE_RE, _LONE_GENERIC_RE))


_NEG_CAT = {
    "casualties": "casualties",
    "losses": "casualties",
    "deaths": "killed",
    "fatalities": "killed",
    "dead": "killed",
    "injuries": "wounded",
    "killed": "killed",
    "died": "killed",
    "injured": "wounded",
    "wounded": "wounded",
    "hurt": "wounded",
    "harmed": "wounded",
    "captured": "captured",
    "missing": "missing",
    "abducted": "captured",
}


@dataclass(slots=True)
class Mention:
    """One stated figure before dedup: category, the number, the evidence span and its context."""

    category: str
    num: Number
    start: int
    end: int
    rule: str
    sent: tuple[int, int]
    np: ct.NounPhrase
    trig: ct.Trigger | None
    field: str = "text"


@dataclass(slots=True)
class _Cand:
    num: Number
    np: ct.NounPhrase
    left: ct.Trigger | None
    right: ct.Trigger | None
    res: tuple[str, str, ct.Trigger | None] | None
    sent: tuple[int, int]


def _skipped_lines(text: str) -> list[tuple[int, int]]:
    """Return spans of lines that are not article prose: related-story headlines, menus, captions."""
    if "\n" not in text:
        return []
    spans = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        stripped = line.strip()
        if stripped and (
            (len(stripped) < 200 and stripped[-1] not in _LINE_END_CHARS) or _MARKERS_RE.match(line)
        ):
            spans.append((pos, end))
        pos = end + 1
    return spans


def _in_spans(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _zero(start: int, end: int) -> Number:
    return Number(start, end, 0, 0, 0, "exact", None, "words", start)


def _mentions(text: str, field: str, headline_filter: bool, cache: dict | None = None) -> list[Mention]:
    """Return every figure mention of `text` in order of position (before dedup); `cache` as for _figure."""
    nums = find_numbers(text, at.lowered(text, cache) if cache is not None else None)
    skip = _skipped_lines(text) if headline_filter else []
    skip_starts = [a for a, _ in skip]
    sidx = None
    cands: list[_Cand] = []
    for num in nums:
        if skip and _in_spans(skip, skip_starts, num.start):
            continue
        if excluded(text, num):
            continue
        np = ct.noun_phrase(text, num.end)
        if np.kind == "thing":
            continue
        if num.plain_year and np.kind not in ("people", "category"):
            continue
        if sidx is None:
            sidx = SentenceIndex(text)
        sent = sidx.around(num.start)
        left = ct.left_trigger(text, num.mod_start, sent[0])
        right = ct.right_trigger(text, np.end, sent[1], far=np.kind in ("people", "category"))
        res = ct.resolve(text, np, left, right, sent, num.mod_start)
        cands.append(_Cand(num, np, left, right, res, sent))

    _propagate(text, cands)

    out: list[Mention] = []
    earlier: list[tuple[int, str]] = []  # (offset, category) of each mention so far
    for c in cands:
        if c.res is None:
            if (
                c.np.kind == "people"
                and earlier
                and sidx is not None
                and ct.ANOTHER_RE.search(text, max(0, c.num.mod_start - 16), c.num.mod_start)
            ):
                ppos, pcat = earlier[-1]
                near = sidx.index(c.num.start) - sidx.index(ppos) <= 2
                if near and (pcat != "troops_deployed" or c.np.head in ct.MILITARY):
                    c.res = (pcat, f"another:{pcat}", None)
            if c.res is None:
                continue
        cat, rule, trig = c.res
        start = c.num.mod_start
        end = max(c.num.end, c.np.end if c.np.kind != "unknown" else c.num.end)
        if trig is not None:
            start = min(start, trig.start)
            end = max(end, trig.end)
        out.append(Mention(cat, c.num, start, end, rule, c.sent, c.np, trig, field))
        earlier.append((c.num.start, cat))

    out.extend(_lone_and_negated(text, skip, skip_starts, field, sidx, out, cache))
    out.sort(key=lambda m: m.start)
    return out


def _propagate(text: str, cands: list[_Cand]) -> None:
    """Share a category along lists, breakdowns and "N for N" exchanges within one sentence."""

    def tail(c: _Cand) -> int:
        end = max(c.num.end, c.np.end if c.np.kind in ("people", "category") else c.num.end)
        if c.res and c.res[2] is not None and c.res[2].side == "right":
            end = max(end, c.res[2].end)
        return end

    def linked(a: _Cand, b: _Cand) -> bool:
        if a.sent != b.sent:
            return False
        lo, hi = tail(a), b.num.mod_start
        if lo > hi:  # "70 people, including 30 soldiers, were killed": the verb stands after both
            lo = max(a.num.end, a.np.end if a.np.kind in ("people", "category") else a.num.end)
        return hi >= lo and ct.CONNECT_RE.match(text[lo:hi]) is not None

    def own_verb(c: _Cand) -> bool:
        """'..., and 529 inmates escaped': the listed item has a verb of its own, so no category is shared."""
        end = c.np.end if c.np.kind in ("people", "unknown") else c.num.end
        return ct.OWN_VERB_RE.match(text, end, c.sent[1]) is not None

    # "pledged 150 and 75 troops": the first number shares the noun of the second, the second the verb of the first
    for i in range(len(cands) - 1):
        a, b = cands[i], cands[i + 1]
        if (
            a.np.kind == "bare"
            and b.np.kind == "people"
            and a.sent == b.sent
            and ct.NUM_AND_NUM_RE.fullmatch(text, a.num.end, b.num.mod_start)
        ):
            left = a.left or b.left
            res = ct.resolve(text, b.np, left, b.right, b.sent, a.num.mod_start)
            if res is not None and (b.res is None or b.res[0] == res[0]):
                a.np, a.res = b.np, (res[0], f"shared:{res[0]}", None)
                if b.res is None:
                    b.res = (res[0], f"shared:{res[0]}", None)

    for i in range(1, len(cands)):
        a, b = cands[i - 1], cands[i]
        if (
            b.res is None
            and a.res is not None
            and b.np.kind in ("people", "bare", "unknown")
            and linked(a, b)
            and not own_verb(b)
        ):
            b.res = (a.res[0], f"list:{a.res[0]}", None)
        elif (
            b.res is None
            and a.res is not None
            and b.np.kind == "people"
            and a.sent == b.sent
            and 0 <= b.num.mod_start - tail(a) <= 120
            and (
                ct.BREAKDOWN_RE.search(text, max(tail(a), b.num.mod_start - 20), b.num.mod_start)
                or ct.INCLUDE_RE.fullmatch(text, tail(a), b.num.mod_start)
            )
        ):
            b.res = (a.res[0], f"breakdown:{a.res[0]}", None)  # "killed 600 people, ..., including 130 civilians"
    # "61,000 people died ..., 26,000 of them from violence"; "nine bodies and the government six"
    prev: _Cand | None = None
    for c in cands:
        if c.res is None and prev is not None and prev.sent == c.sent:
            before = text[max(prev.sent[0], c.num.mod_start - 40) : c.num.mod_start]
            if c.np.head == "them" and before.rstrip().endswith(",") and ct.OF_THEM_RE.match(text, c.num.end):
                c.res = (prev.res[0], f"partitive:{prev.res[0]}", None)
            elif c.np.kind == "bare" and ct.GAPPING_RE.search(before) and ct.CLAUSE_END_RE.match(text, c.num.end):
                c.res = (prev.res[0], f"gapping:{prev.res[0]}", None)
        if c.res is not None:
            prev = c
    for i in range(len(cands) - 2, -1, -1):
        a, b = cands[i], cands[i + 1]
        if (
            a.res is None
            and b.res is not None
            and a.np.kind in ("people", "unknown")
            and (b.res[2] is not None and b.res[2].side == "right")
            and linked(a, b)
            and not own_verb(a)
        ):
            a.res = (b.res[0], f"list:{b.res[0]}", None)
    for i in range(len(cands) - 1):
        a, b = cands[i], cands[i + 1]
        if a.sent == b.sent and (
            ct.N_FOR_N_RE.fullmatch(text, a.num.end, b.num.start)
            or a.np.kind == "people"
            and b.np.kind == "people"
            and ct.N_FOR_N_RE.fullmatch(text, a.np.end, b.num.start)  # "30 Armenians for 2 Azerbaijanis"
        ):
            sent_text = text[a.sent[0] : a.sent[1]]
            if not ct.exchange_context(text, a.sent[0], a.sent[1]):
                continue
            cat = (
                "remains_exchanged"
                if re.search(r"(?i)\b(?:bodies|remains)\b", sent_text)
                else "prisoners_exchanged"
            )
            for c in (a, b):
                if c.res is None or c.res[0] not in ("prisoners_exchanged", "remains_exchanged"):
                    c.res = (cat, "exchange:n_for_n", None)


def _lone_and_negated(
    text: str,
    skip,
    skip_starts,
    field: str,
    sidx: SentenceIndex | None,
    numbered: list[Mention],
    cache: dict | None = None,
) -> list[Mention]:
    """Return zero figures from negations and one-figures from lone nouns ("a soldier was killed")."""
    out: list[Mention] = []
    ends = {m.end: m for m in numbered}
    low = at.lowered(text, cache)
    plain = low is not None
    lower = low if plain else text.lower()
    if any(
        k in lower for k in (" no ", "no one", "nobody", "none", "zero", "no-one", "\nno ", "\"no ", "\u201cno ")
    ) or lower.startswith("no"):
        for rx, stems in ((_NEG_NOUN_RE, _NEG_NOUN_STEMS), (_NEG_PRON_RE, _NEG_PRON_STEMS)):
            for m in _stem_matches(rx, text, lower, stems, plain):
                if skip and _in_spans(skip, skip_starts, m.start()):
                    continue
                words = lx.norm(m.group("t") if "t" in rx.groupindex else m.group("n")).split()
                key = "casualties" if len(words) == 3 and words[1] in ("or", "and") else words[0]
                n2 = m.group("n2") if "n2" in rx.groupindex else None
                if n2 and _NEG_CAT.get(lx.norm(n2)) != _NEG_CAT.get(key):
                    key = "casualties"  # "no injuries or fatalities": neither killed nor wounded
                cat = _NEG_CAT.get(key, "captured" if key == "taken" else None)
                if cat is None:
                    continue
                if sidx is None:
                    sidx = SentenceIndex(text)
                sent = sidx.around(m.start())
                np = ct.NounPhrase("people", m.end())
                out.append(
                    Mention(
                        cat,
                        _zero(m.start(), m.end()),
                        m.start(),
                        m.end(),
                        f"negation:{cat}",
                        sent,
                        np,
                        None,
                        field,
                    )
                )
        out.extend(_verb_no_one(text, lower, skip, skip_starts, field, sidx))
    seen: set[int] = set()
    articles = [a.start() for a in _ARTICLE_LOW_RE.finditer(lower)] if plain and _BY_ARTICLE else None
    for m in _LONE_RE.finditer(text) if articles is None else _matches_at(_LONE_RE, text, articles):
        if skip and _in_spans(skip, skip_starts, m.start()):
            continue
        if sidx is None:
            sidx = SentenceIndex(text)
        sent = sidx.around(m.start())
        head_end = m.end("head")
        np = ct.NounPhrase("people", head_end, lx.norm(m.group("head")), mods=m.group("mods"))
        right = ct.right_trigger(text, head_end, sent[1], far=True)
        if right and _LONE_GAP_BAD.search(text, head_end, right.start):
            right = None
        left = ct.left_trigger(text, m.start(), sent[0])
        if left and not left.adjacent:
            left = None
        if left is None and right is None:
            link = _LIST_LINK_RE.search(text, max(0, m.start() - 8), m.start())
            prev = ends.get(link.start()) if link else None
            if prev is not None and prev.sent == sent and prev.trig is not None and prev.trig.side == "left":
                left = prev.trig
            else:
                continue
        num = Number(m.start("a"), m.end("a"), 1, 1, 1, "exact", None, "words", m.start("a"))
        res = ct.resolve(text, np, left, right, sent, m.start())
        if res is None or res[0] in ("troops_deployed", "casualties"):
            continue
        cat, rule, trig = res
        start, end = m.start(), head_end
        if trig is not None:
            start, end = min(start, trig.start), max(end, trig.end)
        out.append(Mention(cat, num, start, end, "lone_noun:" + rule.split(":")[0], sent, np, trig, field))
        seen.add(m.start("a"))
    for m in _lone_object_matches(text, lower):
        if m.start("a") in seen or (skip and _in_spans(skip, skip_starts, m.start())):
            continue
        head = lx.norm(m.group("head"))
        if head in ct.NON_PEOPLE or head in ct.STOP or head in _NOT_VICTIMS:
            continue
        if _QUANTITY_RE.search(text, m.end("a"), m.start("head")):
            continue  # "abducted a few dozen villagers": a number, read by the number pass
        if sidx is None:
            sidx = SentenceIndex(text)
        sent = sidx.around(m.start())
        cat = ct.TRIGGERS[("left", lx.norm(m.group("t")))]
        if cat not in ("killed", "wounded", "captured"):
            continue
        out.append(_triggered_lone(m, cat, "left", head, m.end("head"), sent, field))
        seen.add(m.start("a"))
    for m in _LONE_GENERIC_RE.finditer(text) if articles is None else _matches_at(_LONE_GENERIC_RE, text, articles):
        if m.start("a") in seen or (skip and _in_spans(skip, skip_starts, m.start())):
            continue
        if lx.norm(m.group("head")) in ct.NON_PEOPLE or lx.norm(m.group("head")) in ct.STOP:
            continue
        if _QUANTITY_RE.search(text, m.end("a"), m.start("head")):
            continue  # "a hundred soldiers had been killed": a number, read by the number pass
        if sidx is None:
            sidx = SentenceIndex(text)
        sent = sidx.around(m.start())
        cat = ct.TRIGGERS[("right", lx.norm(m.group("t")))]
        out.append(_triggered_lone(m, cat, "right", lx.norm(m.group("head")), m.end(), sent, field))
    return out


def _triggered_lone(
    m: re.Match, cat: str, side: str, head: str, end: int, sent: tuple[int, int], field: str
) -> Mention:
    """Return the one-figure of a lone-noun match whose own trigger (group "t") sits on `side` of the noun
    (group "head", normalised `head`), its article in group "a"; the evidence runs from the match to `end`."""
    num = Number(m.start("a"), m.end("a"), 1, 1, 1, "exact", None, "words", m.start("a"))
    np = ct.NounPhrase("people", m.end("head"), head)
    trig = ct.Trigger(cat, m.start("t"), m.end("t"), side, True)
    return Mention(cat, num, m.start(), end, f"lone_noun:{cat}", sent, np, trig, field)


_VERB_NO_ONE_RE = re.compile(
    r"(?i)\b(?P<t>killed|killing|kills|kill|injured|injuring|injures|wounded|wounding|wounds)\s+(?:almost\s+)?\Z"
)


def _verb_no_one(text: str, lower: str, skip, skip_starts, field: str, sidx: SentenceIndex | None) -> list[Mention]:
    """Return zero figures for "the strike killed no one" / "injuring nobody" (the verb before the pronoun)."""
    out: list[Mention] = []
    for word in ("no one", "nobody", "no-one"):
        pos = lower.find(word)
        while pos >= 0:
            m = _VERB_NO_ONE_RE.search(text, max(0, pos - 16), pos)
            end = pos + len(word)
            if m and not (skip and _in_spans(skip, skip_starts, pos)) and not lower[end : end + 1].isalpha():
                cat = "killed" if m.group("t")[0] in "kK" else "wounded"
                if sidx is None:
                    sidx = SentenceIndex(text)
                sent = sidx.around(pos)
                out.append(
                    Mention(
                        cat,
                        _zero(m.start(), end),
                        m.start(),
                        end,
                        f"negation:{cat}",
                        sent,
                        ct.NounPhrase("people", end),
                        None,
                        field,
                    )
                )
            pos = lower.find(word, end)
    return out


def _figure(text: str, m: Mention, mentions: int, cache: dict) -> Figure:
    num, sent = m.num, m.sent
    trig = m.trig
    side = trig.side if trig else None
    loss_party = m.rule.startswith(("noun:casualties", "noun:losses", "loss:"))
    party = at.party_of(text, m.category, num.start, max(m.np.end, num.end), sent)
    actor = at.actor_of(
        text,
        m.category,
        side,
        num.mod_start if side != "left" else trig.start,
        trig.end if trig else m.end,
        sent,
        loss_party,
    )
    if m.category == "troops_deployed":
        party = party or actor
        actor = actor or party
    mod_lo = max(sent[0], m.start - 60)
    mod_hi = min(sent[1], m.end + 25)
    modality = _modality(text, mod_lo, mod_hi, cache)
    low, high = num.low, num.high
    if num.qualifier == "exact" and num.vague_term is None:
        low = high = num.value
    return Figure(
        category=m.category,
        value=num.value,
        value_low=low,
        value_high=high,
        qualifier=num.qualifier,
        vague_term=num.vague_term,
        party=party,
        actor=actor,
        claimant=at.claimant_of(text, sent, num.start, cache),
        location=at.location_of(text, sent, num.start, cache),
        modality=modality,
        cumulative=_cached(cache, "cumulative", sent, at.cumulative_of, text),
        text=text[m.start : m.end],
        char_start=m.start,
        char_end=m.end,
        sentence=text[sent[0] : sent[1]],
        rule=m.rule,
        field=m.field,
        mentions=mentions,
    )


def extract_figures(text: str, title: str | None = None) -> list[Figure]:
    """Return the figures stated in an article's body `text` and its `title`, one per (category, value).

    Each Figure keeps the first mention in the body (else in the title, with field="title"); a
    hypothetical mention gives way to a later asserted one. `mentions` counts all mentions.
    """
    text = text or ""
    caches: dict[str, dict] = {"text": {}, "title": {}}  # per-sentence results, one dict per field
    body = _mentions(text, "text", True, caches["text"])
    head = _mentions(title, "title", False, caches["title"]) if title else []
    chosen: dict[tuple[str, int], Mention] = {}
    counts: dict[tuple[str, int], int] = {}
    tcache = caches["text"]
    for m in body + head:
        key = (m.category, m.num.value)
        counts[key] = counts.get(key, 0) + 1
        have = chosen.get(key)
        if have is None:
            chosen[key] = m
        elif (
            have.field == "text"
            and m.field == "text"
            and _hypothetical(text, have, tcache)
            and not _hypothetical(text, m, tcache)
        ):
            chosen[key] = m
    figures = []
    for key, m in chosen.items():
        src = text if m.field == "text" else title
        figures.append(_figure(src, m, counts[key], caches[m.field]))
    return figures


def _cached(cache: dict, name: str, sent: tuple[int, int], fn, text: str):
    """Return fn(text, sent), computed once per sentence of a text."""
    key = (name, sent)
    if key not in cache:
        cache[key] = fn(text, sent)
    return cache[key]


def _modality(text: str, lo: int, hi: int, cache: dict) -> str:
    """Return at.modality_of(text, lo, hi), computed once per window of a text (dedup asks again and again)."""
    key = ("modality", lo, hi)
    found = cache.get(key)
    if found is None:
        found = cache[key] = at.modality_of(text, lo, hi)
    return found


def _hypothetical(text: str, m: Mention, cache: dict) -> bool:
    return _modality(text, max(m.sent[0], m.start - 60), min(m.sent[1], m.end + 25), cache) == "hypothetical"
