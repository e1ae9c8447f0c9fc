"""Loads the plain-text lexicon under extractors/lexicon/ and turns word lists into regex alternations.

Each file holds one entry a line; `#` starts a comment; `.tsv` files are tab-separated. An analyst
extends the extractor by editing these files: the version string hashes their contents.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache, lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).with_name("lexicon")


def _lines(name: str) -> list[str]:
    out = []
    for raw in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        out.append(line.strip() if "\t" not in line else line)
    return out


@cache
def words(name: str) -> tuple[str, ...]:
    """Return the entries of the one-column lexicon file `name` (e.g. "units.txt"), in file order."""
    return tuple(_lines(name))


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Return the rows of the tab-separated lexicon file `name`, each a tuple of stripped cells."""
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in _lines(name))


def lexicon_hash() -> str:
    """Return an 8-hex-digit digest of every lexicon file's name and contents."""
    digest = hashlib.sha256()
    for path in sorted(LEXICON_DIR.iterdir()):
        if path.suffix in (".txt", ".tsv"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def phrase_pattern(phrase: str) -> str:
    """Return a regex for `phrase` in which each run of spaces matches any run of whitespace."""
    parts = [re.escape(p) for p in phrase.split()]
    return r"\s+".join(parts)


def alternation(phrases) -> str:
    """Return a non-capturing regex alternation of `phrases`, longest first so the longest phrase wins.

    ASCII phrases (most lexicon lists) come as a prefix tree (`trie_alternation`), which matches the
    same, in the same order, with or without IGNORECASE, and much faster.
    """
    uniq = {p for p in phrases if p}
    if all(p.isascii() and p == " ".join(p.split()) for p in uniq):
        return trie_alternation(uniq)
    return plain_alternation(uniq)


def plain_alternation(phrases) -> str:
    """Return the alternation of `phrases` one after another, longest first."""
    uniq = sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
    return "(?:" + "|".join(phrase_pattern(p) for p in uniq) + ")"


def trie_alternation(phrases, ignorecase: bool = False, cased: bool = False) -> str:
    """Return a regex that matches exactly what `alternation(phrases)` matches, factored as a prefix tree.

    The regex engine tries the alternatives of `alternation` one by one at each position; the tree
    rejects a position after one character and tries the phrases that share a prefix longest first, so
    the sequence of matches it offers to the rest of a pattern (longest first) is the same. Only for
    ASCII phrases with single spaces; with `ignorecase` (for use under re.IGNORECASE) they are lower-cased
    first, which matches the same; with `cased` (for use without IGNORECASE only) phrases that differ
    only in case may share the tree. Anything else falls back to `plain_alternation`.
    """
    uniq = {p for p in phrases if p}
    if not uniq or any(not p.isascii() or p != " ".join(p.split()) for p in uniq):
        return plain_alternation(uniq)
    tree = _prefix_tree({p.lower() for p in uniq} if ignorecase else uniq)
    if not ignorecase and not cased and _case_siblings(tree):
        # "Nov" and "nov": under IGNORECASE both branches would match one text, and the tree would
        # offer a short phrase of the first branch before a longer one of the second.
        return plain_alternation(uniq)

    return "(?:" + _emit(tree) + ")"


def _prefix_tree(phrases) -> dict:
    """Return the phrases as nested dicts by character; the key "" marks the end of a phrase."""
    tree: dict = {}
    for phrase in phrases:
        node = tree
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}
    return tree


# Non-ASCII characters that IGNORECASE matches to an ASCII letter (the Kelvin sign to k, the long s to s...).
_FOLDS_TO = {"i": "\u0130\u0131", "s": "\u017f", "k": "\u212a"}


def led_alternation(
    phrases, ignorecase: bool = False, not_after: str | None = None, after: str | None = None
) -> str:
    r"""Return a regex matching as `alternation(phrases)`, that starts with one character class.

    A pattern that starts with a character class lets the regex engine skip to those characters;
    one that starts with an alternation, a look-behind or \b (or a cased letter under IGNORECASE)
    is tried in full at every offset. The class holds the phrases' first characters (with their
    IGNORECASE variants when `ignorecase`, for use under IGNORECASE); a look-behind at the character
    just taken then picks the rest of the prefix tree. `not_after` (a regex of one character, e.g.
    r"\w") is checked before the first character, as the look-behind (?<!not_after) before the
    alternation would: with r"\w" and phrases that start with word characters, that is \b; `after`
    likewise as (?<=after). Without `ignorecase` the result is for use without IGNORECASE only.
    Falls back to the look-behinds and `alternation` where the tree cannot be used.
    """
    uniq = {p for p in phrases if p}
    behind = ("(?<!" + not_after + ")" if not_after else "") + ("(?<=" + after + ")" if after else "")
    plain = behind + alternation(uniq)
    if not uniq or any(not p.isascii() or p != " ".join(p.split()) or p[0] == " " for p in uniq):
        return plain
    tree = _prefix_tree({p.lower() for p in uniq} if ignorecase else uniq)
    firsts = sorted(tree)
    chars = [v for c in firsts for v in ((c, c.upper(), *_FOLDS_TO.get(c, "")) if ignorecase else (c,))]
    cls = "".join(re.escape(c) for c in dict.fromkeys(chars))
    alts = [f"(?<={re.escape(c)})" + _emit(tree[c]) for c in firsts]
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    behind = ("(?<!" + not_after + ".)" if not_after else "") + ("(?<=" + after + ".)" if after else "")
    return "(?-i:[" + cls + "])" + behind + body


def _emit(node: dict) -> str:
    alts = [(r"\s+" if ch == " " else re.escape(ch)) + _emit(node[ch]) for ch in sorted(node) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return "(?:" + body + ")?" if "" in node else body


def _case_siblings(node: dict) -> bool:
    """Return True when some node of the prefix tree has two children that differ only in case."""
    keys = [ch for ch in node if ch]
    if len({ch.lower() for ch in keys}) < len(keys):
        return True
    return any(_case_siblings(child) for child in node.values())


def reversed_alternation(phrases) -> str:
    """Return an alternation of `phrases` spelt backwards, for matching on a reversed string.

    Looking left of a position is one anchored match on the reversed text instead of a search.
    """
    return alternation(p[::-1] for p in phrases if p)


@lru_cache(maxsize=8192)  # the same trigger words and nouns come back for every number
def norm(phrase: str) -> str:
    """Return `phrase` case-folded with whitespace runs collapsed and curly apostrophes straightened."""
    return " ".join(phrase.replace("\u2019", "'").casefold().split())
