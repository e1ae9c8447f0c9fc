"""Splits text into sentences, surviving abbreviations (U.S., Gen., Jan., No.), initials and decimals."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import chain

from extractors import lexicon as lx

_ABBREV = frozenset(a.lower() for a in lx.words("abbreviations.txt"))
# A candidate end: terminal punctuation (+ closing quotes/brackets) followed by space, or a line break.
# (Written to start with one character class, so the regex engine skips to those characters; same
# matches as [.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)|\n.)
_END_RE = re.compile(r"[.!?\u2026\n](?:(?<=[.!?\u2026])[.!?\u2026]*[\"'\u201d\u2019)\]]*(?=\s)|(?<=\n))")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_NEXT_RE = re.compile(r"\s*([\"'\u201c\u2018(\[]?)(\S)")


def _ends_sentence(text: str, m: re.Match) -> bool:
    """Return True when the candidate end `m` (an _END_RE match) ends a sentence; only the characters
    next to it decide."""
    start, end = m.span()
    first = text[start]
    if first == "\n":
        return True
    if first == ".":
        wb = _WORD_BEFORE_RE.search(text, start - 12 if start > 12 else 0, start + 1)
        if wb:
            word = wb.group(1)
            if word.lower() in _ABBREV or (len(word) == 1 and word.isupper()):
                return False
    nxt = _NEXT_RE.match(text, end)
    return not (nxt and nxt.group(2).islower())


def _trimmed(text: str, a: int, b: int) -> tuple[int, int] | None:
    """Return the span of text[a:b] without its surrounding whitespace, None when nothing is left."""
    piece = text[a:b]
    core = piece.strip()  # strips exactly the characters str.isspace() accepts
    if not core:
        return None
    a += len(piece) - len(piece.lstrip())
    return a, a + len(core)


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the sentences of `text`, in order, whitespace trimmed.

    A full stop after a known abbreviation or a single capital letter does not end a sentence,
    nor does one followed by a lower-case word; line breaks always do.
    """
    cuts = [0]
    cuts.extend(m.end() for m in _END_RE.finditer(text) if _ends_sentence(text, m))
    cuts.append(len(text))
    spans = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        span = _trimmed(text, a, b)
        if span is not None:
            spans.append(span)
    return spans


# Every _END_RE match is a run of non-space characters or one line break, so a scan that starts just
# after a whitespace character finds the same candidate ends from there on as a scan of the whole text.
_SPACE_RE = re.compile(r"\s")


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """Return the (start, end) of the sentence of sentence_bounds(text) that holds `pos`, a non-space
    character of `text`, splitting only the stretch of text around it."""
    back = 128
    while True:
        lo = pos - back
        if lo <= 0:
            sync = 0
        else:
            space = _SPACE_RE.search(text, lo, pos)
            if space is None:
                back *= 4
                continue
            sync = space.end()
        before = []  # candidate ends up to pos, tested from the nearest back
        after = None
        ends = _END_RE.finditer(text, sync)
        for m in ends:
            if m.end() > pos:
                after = m
                break
            before.append(m)
        cut = 0 if sync == 0 else None
        for m in reversed(before):
            if _ends_sentence(text, m):
                cut = m.end()
                break
        if cut is None:
            back *= 4
            continue
        nxt = len(text)
        if after is not None:
            for m in chain((after,), ends):
                if _ends_sentence(text, m):
                    nxt = m.end()
                    break
        return _trimmed(text, cut, nxt)


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text` as strings (see sentence_bounds)."""
    return [text[a:b] for a, b in sentence_bounds(text)]


class SentenceIndex:
    """Finds the sentence around a character offset. Sentences are split where they are asked for
    (sentence_at) and remembered; the numbering of all sentences is computed on first use of index()."""

    __slots__ = ("text", "_spans", "_starts", "_all", "_all_starts")

    def __init__(self, text: str):
        self.text = text
        self._spans: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._all: list[tuple[int, int]] | None = None
        self._all_starts: list[int] = []

    @property
    def bounds(self) -> list[tuple[int, int]]:
        """Return every sentence span of the text (sentence_bounds), computed once."""
        if self._all is None:
            self._all = sentence_bounds(self.text)
            self._all_starts = [a for a, _ in self._all]
        return self._all

    def around(self, pos: int) -> tuple[int, int]:
        """Return the (start, end) of the sentence holding offset `pos` (or the nearest one before it)."""
        text = self.text
        if not 0 <= pos < len(text) or text[pos].isspace():
            bounds = self.bounds
            i = bisect_right(self._all_starts, pos) - 1
            if i < 0:
                return bounds[0] if bounds else (0, 0)
            return bounds[i]
        starts = self._starts
        i = bisect_right(starts, pos) - 1
        if i >= 0:
            span = self._spans[i]
            if pos < span[1]:
                return span
        span = sentence_at(text, pos)
        starts.insert(i + 1, span[0])
        self._spans.insert(i + 1, span)
        return span

    def index(self, pos: int) -> int:
        """Return the number of the sentence holding offset `pos`."""
        if self._all is None:
            self.bounds  # noqa: B018 - computes the numbering
        return max(0, bisect_right(self._all_starts, pos) - 1)
