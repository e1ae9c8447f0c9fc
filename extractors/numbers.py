"""Finds numbers in text: digits, number words, scale words, vague words, modifiers and ranges.

One combined regex pass finds the candidates; each is then parsed into value, bounds and qualifier.
The patterns use possessive quantifiers so that long runs of digits or separators stay linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors import lexicon as lx


@dataclass(slots=True)
class Number:
    """One number found in a text: its span, value, bounds, qualifier and how it was written."""

    start: int  # start of the number itself (after any modifier)
    end: int
    value: int
    low: int | None
    high: int | None
    qualifier: str
    vague_term: str | None
    kind: str  # digits | words | vague
    mod_start: int  # start including a modifier such as "at least"
    plain_year: bool = False  # four bare digits that read like a year


_NUMWORDS: dict[str, tuple[int, str]] = {w.lower(): (int(v), k) for w, v, k in lx.rows("number_words.tsv")}
_VAGUE: dict[str, tuple[int, int, int, str, str | None]] = {}
for _p, _v, _lo, _hi, _q, _t in lx.rows("vague.tsv"):
    _VAGUE[lx.norm(_p)] = (int(_v), int(_lo), int(_hi), _q, None if _t == "-" else _t)
_MODIFIERS: dict[str, str] = {lx.norm(p): q for p, q in lx.rows("modifiers.tsv")}
_SCALES = {
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "mln": 1_000_000,
    "bn": 1_000_000_000,
}

_W = lx.alternation(_NUMWORDS)
_SEP = r"[,\u00a0\u2009\u202f ]"
_DIGITS = (
    r"(?<![\w.,/:\u00a0\u2009\u202f])"
    r"(?P<body>\d{1,3}(?:,\d{3})++(?![\d])"
    r"|\d{1,3}(?:[\u00a0\u2009\u202f ]\d{3})++(?![\d,]|\.\d)"
    r"|\d{1,3}(?:\.\d{3})++(?![\d.,])"
    r"|\d++(?:\.\d++)?+)"
    r"(?:(?P<k>[kK])\b|(?![\w/:]|[.,]\d)(?:\s*(?P<scale>million|billion|thousand|mln|bn)\b)?)"
)
_VAGUE_RE = r"\b(?P<vague>" + lx.alternation(_VAGUE) + r")\b"
_WORDS = r"\b(?P<words>" + _W + r"(?:(?:[\s-]+|\s+and\s+)" + _W + r"){0,8}+)\b"
CANDIDATE_RE = re.compile(_DIGITS + "|(?i:" + _VAGUE_RE + "|" + _WORDS + ")")
# The same candidates, found in two passes that the regex engine can skip through quickly (CANDIDATE_RE
# has no fixed first character, so the engine tries all its branches at every position of the text):
# digits start with a digit, so the look-behind moves after it; number words are searched without
# IGNORECASE on a lower-cased copy with a space in front, from the non-word character before them
# (what \b checked), with the word lists as prefix trees. find_numbers merges the two in order.
_DIGITS_RE = re.compile(
    r"(?P<body>\d(?<![\w.,/:\u00a0\u2009\u202f]\d)"
    r"(?:\d{0,2}(?:,\d{3})++(?![\d])"
    r"|\d{0,2}(?:[\u00a0\u2009\u202f ]\d{3})++(?![\d,]|\.\d)"
    r"|\d{0,2}(?:\.\d{3})++(?![\d.,])"
    r"|\d*+(?:\.\d++)?+))"
    r"(?:(?P<k>[kK])\b|(?![\w/:]|[.,]\d)(?:\s*(?P<scale>million|billion|thousand|mln|bn)\b)?)"
)
# In an ASCII text \d is [0-9], which the regex engine tests much faster as the class it skips to.
_DIGITS_ASCII_RE = re.compile(_DIGITS_RE.pattern.replace(r"(?P<body>\d(?<!", r"(?P<body>[0-9](?<!", 1))
_TW = lx.trie_alternation(_NUMWORDS, ignorecase=True)
# The first three characters of every number word and vague phrase ("thr", "a f"): a look-ahead at them
# rejects most word starts ("the", "and", "said"...) before the trees are tried.
_PREFIXES_LOW = lx.trie_alternation({" ".join(p.lower().split())[:3].rstrip() for p in (*_NUMWORDS, *_VAGUE)})
_WORDS_LOW_RE = re.compile(
    r"[^\w](?=" + _PREFIXES_LOW + r")"
    r"(?:(?P<vague>"
    + lx.trie_alternation(_VAGUE, ignorecase=True)
    + r")\b|(?P<words>"
    + _TW
    + r"(?:(?:[\s-]+|\s+and\s+)"
    + _TW
    + r"){0,8}+)\b)"
)
# Characters that lower() lengthens or that IGNORECASE matches to another ASCII letter than their
# lower case (i, s, k): a text holding one is searched with CANDIDATE_RE itself.
_CASE_ODD = "\u0130\u0131\u017f\u212a"


def case_plain(text: str) -> bool:
    """Return True when `text` holds none of _CASE_ODD: text.lower() keeps every offset, and a match of a
    case-insensitive pattern stands where the lower-cased copy holds its letters.
    """
    return text.isascii() or not any(c in text for c in _CASE_ODD)
_MOD_REV_RE = re.compile(r"(?i)\s+(?P<m>" + lx.reversed_alternation(_MODIFIERS) + r")(?![\w-])")
_BETWEEN_RE = re.compile(r"(?i)\bbetween\s+\Z")
_FROM_RE = re.compile(r"(?i)\bfrom\s+\Z")
_CHANGE_RE = re.compile(
    r"(?i)\b(?:increas\w*|rais\w*|rose|rise[ns]?|rising|grow\w*|grew|jump\w*|climb\w*|boost\w*|"
    r"doubl\w*|reduc\w*|cut|cutting|fell|fall\w*|dropp?\w*|decreas\w*|went|go(?:es|ing)?|up|down)\b"
)
_RANGE_SEP_RE = re.compile(r"\s*(?:-|\u2013|\u2014|to)\s*\Z|\s+to\s+\Z")
_AND_RE = re.compile(r"\s+and\s+\Z")
_SPLIT_RE = re.compile(r"[\s-]+")
_OVER_VERB_RE = re.compile(
    r"(?i)\b(?:hand(?:s|ed|ing)?|turn(?:s|ed|ing)?|took|tak(?:e|es|ing|en)|pass(?:ed)?)\s+\Z"
)


_ALPHA_RE = re.compile(r"[A-Za-z]+")
# The kinds of number word that may follow each kind ("twenty" + "one", "six" + "thousand").
_FOLLOWS: dict[str | None, frozenset[str]] = {
    None: frozenset({"unit", "teen", "ten"}),
    "unit": frozenset({"hundred", "scale", "dozen"}),
    "teen": frozenset({"hundred", "scale", "dozen"}),
    "ten": frozenset({"unit", "scale", "dozen"}),
    "hundred": frozenset({"unit", "teen", "ten", "scale"}),
    "scale": frozenset({"unit", "teen", "ten"}),
    "dozen": frozenset(),
}


def parse_words(s: str) -> tuple[int, int] | None:
    """Return (value, number of characters of `s` used) for number words like "six thousand and sixty".

    Parsing stops at the first word that cannot continue the number ("two and three" uses "two");
    None when not even the first word is a number.
    """
    total = 0
    current = 0
    last = None  # kind of the last word
    used = 0
    for m in _ALPHA_RE.finditer(s):
        word = m.group().lower()
        if word == "and":
            if last not in ("hundred", "scale"):  # "six hundred and sixty"; never after "twenty"
                break
            continue
        if word not in _NUMWORDS:
            break
        val, kind = _NUMWORDS[word]
        if kind not in _FOLLOWS[last]:
            break
        if kind in ("unit", "teen", "ten"):
            current += val
        elif kind == "hundred":
            current = (current or 1) * 100
        elif kind == "dozen":
            current = (current or 1) * 12
        else:
            total += (current or 1) * val
            current = 0
        last = kind
        used = m.end()
    if last is None:
        return None
    return total + current, used


def _digits_value(body: str, k: str | None, scale: str | None) -> tuple[float, bool]:
    """Return (value, plain_year) for digits such as "6,060", "6 060", "6.060", "1.2" with their scale."""
    plain_year = False
    if len(body) > 24:
        return -1.0, False  # no count of people has that many digits
    if "," in body or " " in body or "\u00a0" in body or "\u2009" in body or "\u202f" in body:
        num = float(re.sub(r"[^\d]", "", body))
    elif "." in body:
        head, _, tail = body.partition(".")
        if len(tail) == 3 and body.count(".") == 1 and not (k or scale):
            num = float(head + tail)  # "6.060": a thousands separator
        elif body.count(".") > 1:
            num = float(body.replace(".", ""))
        else:
            num = float(body)
    else:
        num = float(body)
        plain_year = len(body) == 4 and 1500 <= num <= 2100 and not (k or scale)
    if k:
        num *= 1000
    elif scale:
        num *= _SCALES[scale.lower()]
    return num, plain_year


def find_numbers(text: str, lower: str | None = None) -> list[Number]:
    """Return every number written in `text`, in order, ranges merged into one Number.

    Each Number carries its value, bounds and qualifier per FIGURES.md, with any modifier
    ("at least", "nearly", "between") folded in; exclusions (years, units...) are not applied here.
    `lower`, text.lower() when the caller has it already, saves lower-casing the text again.
    """
    out: list[Number] = []
    if not case_plain(text):
        _scan_combined(text, out)
    else:
        _scan_split(text, out, text.lower() if lower is None else lower)
    _apply_modifiers(text, out)
    _apply_odd(text, out)
    return _merge_ranges(text, out)


def _digits_number(m: re.Match, start: int, end: int) -> Number | None:
    num, plain_year = _digits_value(m.group("body"), m.group("k"), m.group("scale"))
    if num < 0:
        return None
    value = int(round(num))
    return Number(start, end, value, value, value, "exact", None, "digits", start, plain_year)


def _vague_number(phrase: str, start: int, end: int) -> Number:
    value, lo, hi, qual, vt = _VAGUE[lx.norm(phrase)]
    if vt is None:
        lo = hi = value
    return Number(start, end, value, lo, hi, qual, vt, "vague", start)


def _scan_combined(text: str, out: list[Number]) -> None:
    """Find the candidates with CANDIDATE_RE, one search after another."""
    pos = 0
    n = len(text)
    search = CANDIDATE_RE.search
    while pos < n:
        m = search(text, pos)
        if m is None:
            break
        start, end = m.span()
        pos = end
        if m.group("body") is not None:
            num = _digits_number(m, start, end)
            if num is not None:
                out.append(num)
        elif m.group("vague") is not None:
            out.append(_vague_number(m.group("vague"), start, end))
        else:
            parsed = parse_words(m.group("words"))
            if parsed is None:
                continue
            value, used = parsed
            end = start + used
            pos = end
            out.append(Number(start, end, value, value, value, "exact", None, "words", start))


def _scan_split(text: str, out: list[Number], lower: str) -> None:
    """Find the same candidates as _scan_combined: digits and words in two passes, merged by position.

    A candidate of one pass that starts before the end of the last one taken is searched again from
    there, as the single search would have done. In the lower-cased copy `low` (a space in front)
    a words match starts at the character before the word, so its start is the word's offset in `text`.
    """
    dsearch = (_DIGITS_ASCII_RE if text.isascii() else _DIGITS_RE).search
    wsearch = _WORDS_LOW_RE.search
    low = " " + lower
    pos = 0
    dm = dsearch(text)
    wm = wsearch(low)
    while dm is not None or wm is not None:
        if dm is not None and dm.start() < pos:
            dm = dsearch(text, pos)
        if wm is not None and wm.start() < pos:
            wm = wsearch(low, pos)
        if wm is None or (dm is not None and dm.start() < wm.start()):
            if dm is None:
                break
            m, dm = dm, None
            start, end = m.span()
            pos = end
            body, k, scale = m.group("body", "k", "scale")
            if k is None and scale is None and len(body) < 16 and body.isdigit():
                # bare digits, as _digits_number reads them (a float holds 15 digits exactly)
                value = int(body)
                year = len(body) == 4 and 1500 <= value <= 2100
                out.append(Number(start, end, value, value, value, "exact", None, "digits", start, year))
            else:
                num = _digits_number(m, start, end)
                if num is not None:
                    out.append(num)
            dm = dsearch(text, pos)
            continue
        m = wm
        start = m.start()
        if m.group("vague") is not None:
            end = m.end() - 1
            pos = end
            out.append(_vague_number(m.group("vague"), start, end))
        else:
            pos = m.end() - 1
            parsed = parse_words(m.group("words"))
            if parsed is not None:
                value, used = parsed
                end = start + used
                pos = end
                out.append(Number(start, end, value, value, value, "exact", None, "words", start))
        wm = wsearch(low, pos)


def _apply_modifiers(text: str, nums: list[Number]) -> None:
    for num in nums:
        if num.kind == "vague" and num.vague_term:
            continue
        mm = _MOD_REV_RE.match(text[max(0, num.start - 24) : num.start][::-1])
        if not mm:
            continue
        mod_start = num.start - mm.end("m")
        word = lx.norm(text[mod_start : num.start - mm.start("m")])
        if word == "over" and _OVER_VERB_RE.search(text, max(0, mod_start - 14), mod_start):
            continue  # "hand over 157 prisoners": a verb particle, not "more than"
        qual = _MODIFIERS[word]
        num.qualifier = qual
        num.mod_start = mod_start
        v = num.value
        if qual == "approximate":
            num.low = num.high = None
        elif qual in ("more_than", "at_least"):
            num.low, num.high = v, None
        else:
            num.low, num.high = None, v


_ODD_RE = re.compile(r"(?i)[\s-]odd\b|\s+or\s+so\b")


def _apply_odd(text: str, nums: list[Number]) -> None:
    """Read "2,000-odd" / "40 odd" / "30 or so" as an approximate number that ends after "odd" / "so"."""
    for num in nums:
        approx = num.qualifier in ("exact", "approximate") and num.vague_term is None
        if approx and text.startswith(("odd", "or so"), num.end + 1):
            m = _ODD_RE.match(text, num.end)
            if m:
                num.end = m.end()
                num.qualifier = "approximate"
                num.low = num.high = None


def _merge_ranges(text: str, nums: list[Number]) -> list[Number]:
    out: list[Number] = []
    i = 0
    while i < len(nums):
        a = nums[i]
        if i + 1 < len(nums) and a.kind != "vague" and nums[i + 1].kind != "vague":
            b = nums[i + 1]
            gap_lo = a.end
            is_range = False
            if b.mod_start == b.start and b.start - gap_lo <= 5:
                between = _BETWEEN_RE.search(text, max(0, a.mod_start - 9), a.mod_start)
                if between and _AND_RE.search(text, gap_lo, b.start) and b.value >= a.value:
                    is_range = True
                    a.mod_start = between.start()
                elif _RANGE_SEP_RE.search(text, gap_lo, b.start) and b.value > a.value:
                    frm = _FROM_RE.search(text, max(0, a.mod_start - 6), a.mod_start)
                    if frm and _CHANGE_RE.search(text, max(0, frm.start() - 60), frm.start()):
                        is_range = False  # "increase from 100 to 300": two figures
                    elif text[gap_lo : b.start].strip() in ("-", "\u2013", "\u2014") and a.plain_year:
                        is_range = False  # "2022-2023"
                    else:
                        is_range = True
                        if frm:
                            a.mod_start = frm.start()
            if is_range:
                out.append(
                    Number(
                        a.start,
                        b.end,
                        a.value,
                        a.value,
                        b.value,
                        "range",
                        None,
                        a.kind,
                        a.mod_start,
                        a.plain_year and b.plain_year,
                    )
                )
                i += 2
                continue
        out.append(a)
        i += 1
    return out
