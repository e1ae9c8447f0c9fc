"""Decides when a number is never a figure: years, dates, ages, times, money, percents, units, labels."""

from __future__ import annotations

import re

from extractors import lexicon as lx
from extractors.numbers import Number

_MONTHS = lx.alternation(lx.words("months.txt"))
# "Dec." is a date; "December." ends a sentence, so only an abbreviation may take a full stop.
_MONTH_ABBR = lx.alternation(
    m for m in lx.words("months.txt") if any(f != m and f.startswith(m) for f in lx.words("months.txt"))
)
# Units differ in case ("MW", "m"), so lx.alternation lists them one by one; under IGNORECASE the
# prefix tree of their lower-case forms matches the same, in the same order, and much faster.
_UNITS = lx.trie_alternation(lx.words("units.txt"), ignorecase=True)
_BEFORE = lx.alternation(lx.words("exclude_before.txt"))

_AFTER_RE = re.compile(
    r"(?:\s*(?:%|\u2030)"
    r"|-(?!strong\b|for\b|odd\b)[A-Za-z]"  # 19-year-old, 3-day, 5-member
    r"|\s*-?\s*years?[\s-]+old\b"
    r"|\s+(?:of\s+)?" + _MONTHS + r"\b"
    r"|\s*(?i:" + _UNITS + r")(?![\w])"
    r"|\s*(?:st|nd|rd|th)\b"
    r"|\s*[:/]\d"
    r")"
)
_BEFORE_RE = re.compile(
    r"(?:[$\u20ac\u00a3\u00a5\u20b9\u20bd]\s*|\b(?:US|USD|EUR|GBP|Rs|R|A|C|HK)\$\s*"
    r"|(?<![\w.])" + _MONTHS + r"\s+|(?<![\w.])" + _MONTH_ABBR + r"\.\s+"
    r"|(?<![\w.])" + _BEFORE + r"\s*"
    r"|[A-Za-z]-|[A-Za-z]|\d[:/.]|\d,"
    r")\Z"
)
# _BEFORE_RE is only asked whether some match ends at the number; a search tries every offset of its
# 22-character window. The same question is one anchored match on the window reversed, with the
# look-behinds turned into look-aheads. "US$" needs no branch (its "$" matches as a currency sign).
# The character before the window, which the look-behinds see, is stood for by one that no branch
# can take as its first character: "_" for [\w.], nothing otherwise.
# Used only while _BEFORE_RE keeps the shape below; otherwise before_label() searches as it is. The
# labels ("Resolution", "resolution") share one case-sensitive prefix tree.
_BEFORE_SHAPE = (
    r"(?:[$\u20ac\u00a3\u00a5\u20b9\u20bd]\s*|\b(?:US|USD|EUR|GBP|Rs|R|A|C|HK)\$\s*"
    r"|(?<![\w.])<months>\s+|(?<![\w.])<abbr>\.\s+"
    r"|(?<![\w.])<before>\s*"
    r"|[A-Za-z]-|[A-Za-z]|\d[:/.]|\d,"
    r")\Z"
)
_BEFORE_REV_OK = (
    _BEFORE_RE.pattern.replace(_MONTHS, "<months>", 1).replace(_MONTH_ABBR, "<abbr>", 1).replace(_BEFORE, "<before>", 1)
    == _BEFORE_SHAPE
)
_BEFORE_REV_RE = re.compile(
    r"\s*[$\u20ac\u00a3\u00a5\u20b9\u20bd]"
    r"|\s+" + lx.reversed_alternation(lx.words("months.txt")) + r"(?![\w.])"
    r"|\s+\." + lx.reversed_alternation(
        m for m in lx.words("months.txt") if any(f != m and f.startswith(m) for f in lx.words("months.txt"))
    ) + r"(?![\w.])"
    r"|\s*" + lx.trie_alternation((w[::-1] for w in lx.words("exclude_before.txt")), cased=True) + r"(?![\w.])"
    r"|-[A-Za-z]|[A-Za-z]|[:/.]\d|,\d"
)


def before_label(text: str, lo: int, hi: int) -> bool:
    """Return whether _BEFORE_RE.search(text, lo, hi) finds a match (a label, money or date before `hi`)."""
    if not _BEFORE_REV_OK:
        return _BEFORE_RE.search(text, lo, hi) is not None
    rev = text[lo:hi][::-1]
    if lo > 0:
        c = text[lo - 1]
        if c == "." or c == "_" or c.isalnum():  # [\w.]: \w is what isalnum() holds, and "_"
            rev += "_"
    return _BEFORE_REV_RE.match(rev) is not None


_NO_ONE_RE = re.compile(r"(?i)\b(?:no|every|any|some|each)[\s-]+\Z")
_AGE_BEFORE_RE = re.compile(  # \b(?:aged|age of|ages of|ages|age), led by a class (used as a truth value)
    r"(?i)" + lx.led_alternation(["aged", "age of", "ages of", "ages", "age"], True, r"\w") + r"\s+(?:between\s+)?\Z"
)
_YEAR_BEFORE_RE = re.compile(
    r"(?i)\b(?:in|since|by|from|until|till|of|during|year|early|late|mid|summer|winter|spring|autumn|fall|"
    r"before|after|through|and|to|between|the|this|that|last|next|circa|c\.)\s+\Z|[-\u2013/]\Z|,\s*\Z"
)


def excluded(text: str, num: Number) -> str | None:
    """Return why `num` in `text` is never a figure ("year", "unit_or_date", ...), or None if it may be."""
    after = _AFTER_RE.match(text, num.end)
    if after:
        return "unit_or_date"
    if num.kind == "digits" or num.kind == "words":
        lo = max(0, num.mod_start - 22)
        if before_label(text, lo, num.mod_start):
            return "label_money_date_or_model"
        if _AGE_BEFORE_RE.search(text, lo, num.mod_start):
            return "age"
        if num.value == 1 and _NO_ONE_RE.search(text, lo, num.mod_start):
            return "pronoun"  # "no one", "every one"
    if num.plain_year and _YEAR_BEFORE_RE.search(text, max(0, num.mod_start - 12), num.mod_start):
        return "year"
    return None
