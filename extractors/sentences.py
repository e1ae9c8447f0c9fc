"""Splits text into sentences, surviving abbreviations (U.S., Gen., Jan., No.), initials and decimals."""

from __future__ import annotations

import re
from bisect import bisect_right

from extractors import lexicon as lx

_ABBREV = frozenset(a.lower() for a in lx.words("abbreviations.txt"))
# A candidate end: terminal punctuation (+ closing quotes/brackets) followed by space, or a line break.
# (Written to start with one character class, so the regex engine skips to those characters; same
# matches as [.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)|\n.)
_END_RE = re.compile(r"[.!?\u2026\n](?:(?<=[.!?\u2026])[.!?\u2026]*[\"'\u201d\u2019)\]]*(?=\s)|(?<=\n))")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_NEXT_RE = re.compile(r"\s*([\"'\u201c\u2018(\[]?)(\S)")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the sentences of `text`, in order, whitespace trimmed.

    A full stop after a known abbreviation or a single capital letter does not end a sentence,
    nor does one followed by a lower-case word; line breaks always do.
    """
    cuts = [0]
    append = cuts.append
    word_before, next_start = _WORD_BEFORE_RE.search, _NEXT_RE.match
    for m in _END_RE.finditer(text):
        start, end = m.span()
        first = text[start]
        if first != "\n":
            if first == ".":
                wb = word_before(text, start - 12 if start > 12 else 0, start + 1)
                if wb:
                    word = wb.group(1)
                    if word.lower() in _ABBREV or (len(word) == 1 and word.isupper()):
                        continue
            nxt = next_start(text, end)
            if nxt and nxt.group(2).islower():
                continue
        append(end)
    append(len(text))
    spans = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = text[a:b]
        core = piece.strip()  # strips exactly the characters str.isspace() accepts
        if core:
            a += len(piece) - len(piece.lstrip())
            spans.append((a, a + len(core)))
    return spans


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text` as strings (see sentence_bounds)."""
    return [text[a:b] for a, b in sentence_bounds(text)]


class SentenceIndex:
    """Finds the sentence around a character offset by binary search over precomputed bounds."""

    __slots__ = ("bounds", "_starts")

    def __init__(self, text: str):
        self.bounds = sentence_bounds(text)
        self._starts = [a for a, _ in self.bounds]

    def around(self, pos: int) -> tuple[int, int]:
        """Return the (start, end) of the sentence holding offset `pos` (or the nearest one before it)."""
        i = bisect_right(self._starts, pos) - 1
        if i < 0:
            return self.bounds[0] if self.bounds else (0, 0)
        return self.bounds[i]

    def index(self, pos: int) -> int:
        """Return the number of the sentence holding offset `pos`."""
        return max(0, bisect_right(self._starts, pos) - 1)
