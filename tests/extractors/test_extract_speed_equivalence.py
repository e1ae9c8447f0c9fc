"""The speed-ups rewrite regexes; these check that the rewritten ones match exactly as the plain ones."""

from __future__ import annotations

import random
import re
from bisect import bisect_right

import pytest

from extractors import lexicon as lx
from extractors import numbers as nu
from extractors.sentences import SentenceIndex, sentence_bounds


def _texts(phrases: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    pool = phrases + [p.upper() for p in phrases[:20]] + ["x", "-", ",", ".", "  ", "\n", "and", "the", "1", "s"]
    return [
        "".join(rng.choice(pool) + rng.choice(["", " ", "  ", "\n"]) for _ in range(rng.randint(1, 12)))
        for _ in range(400)
    ]


@pytest.mark.parametrize(
    "name", ["stopwords.txt", "non_people.txt", "units.txt", "claim_nouns.txt", "cumulative.txt", "aux.txt"]
)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_trie_alternation_matches_as_the_plain_one(name, flags):
    phrases = [lx.norm(w) for w in lx.words(name)]
    alt = lx.alternation(phrases)
    assert alt != lx.plain_alternation(phrases)  # the tree is in use
    for tail in (r"\b", r"(?:\s+\w+)?\s+of\b", ""):
        trie = re.compile(alt + tail, flags)
        plain = re.compile(lx.plain_alternation(phrases) + tail, flags)
        for text in _texts(phrases, len(name)):
            assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)], text


@pytest.mark.parametrize("name", ["months.txt", "units.txt", "exclude_before.txt", "headline_markers.txt"])
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_mixed_case_trie_matches_as_the_plain_one(name, flags):
    phrases = list(lx.words(name))
    alt = lx.alternation(phrases)
    for tail in (r"\b", r"(?:\s+\w+)?\s+of\b", ""):
        trie = re.compile(alt + tail, flags)
        plain = re.compile(lx.plain_alternation(phrases) + tail, flags)
        for text in _texts(phrases + [p.lower() for p in phrases[:20]], len(name)):
            assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_trie_falls_back_when_case_variants_share_a_node():
    assert lx.alternation(["Nov", "nov", "November"]) == lx.plain_alternation(["Nov", "nov", "November"])
    cased = re.compile(lx.trie_alternation(["Al Shabaab", "al Shabaab", "Al", "US"], cased=True))
    plain = re.compile(lx.plain_alternation(["Al Shabaab", "al Shabaab", "Al", "US"]))
    for text in ["Al Shabaab", "al  Shabaab", "AL SHABAAB", "Al-Shabaab US us", "al Shabaabs Al"]:
        assert [m.span() for m in cased.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_split_number_scan_equals_combined_scan():
    rng = random.Random(5)
    toks = ["1", "12", "1,000", "6 060", "6.060", "1.2", "76k", " million", " thousand", "one", "Two", "THREE",
            "twenty", "-", "four", "hundred", " and ", "dozens", "a", "A few", "a dozen", "tens of thousands",
            "Hundreds of", "several", "half a dozen", ", ", ".", "\u00a0", "/", ":", "often", "-ten", "fourty"]
    for _ in range(3000):
        text = "".join(rng.choice(toks) + rng.choice(["", " "]) for _ in range(rng.randint(1, 30)))
        a: list = []
        b: list = []
        nu._scan_combined(text, a)
        nu._scan_split(text, b, text.lower())
        assert a == b, text


@pytest.mark.parametrize("name", ["cumulative.txt", "claim_verbs.txt", "months.txt", "units.txt", "stopwords.txt"])
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_led_alternation_matches_as_the_plain_one(name, flags):
    phrases = list(lx.words(name))
    ignorecase = bool(flags)
    if not ignorecase:
        phrases = [p for p in phrases if p.lower() not in {"may", "march"}] + ["May", "March"]
    for not_after in (None, r"\w", r"[\w']"):
        led = lx.led_alternation(phrases, ignorecase, not_after)
        assert led.startswith("(?-i:[") or not ignorecase  # the class is in use (cased lists may fall back)
        before = f"(?<!{not_after})" if not_after else ""
        for tail in (r"\b", ""):
            fast = re.compile(led + tail, flags)
            plain = re.compile(before + lx.plain_alternation(phrases) + tail, flags)
            texts = _texts(phrases, len(name)) + ["\u212aILO \u017fo far \u0130N \u0131n", "xso far", "'so far"]
            for text in texts:
                for pos in (0, 1, 3):
                    got = [m.span() for m in fast.finditer(text, pos)]
                    assert got == [m.span() for m in plain.finditer(text, pos)], text


def test_before_label_reversed_match_is_in_use():
    from extractors import exclusions as ex

    assert ex._BEFORE_REV_OK, "_BEFORE_RE changed shape: update _BEFORE_SHAPE and _BEFORE_REV_RE in exclusions.py"


def test_before_label_answers_as_the_search():
    from extractors import exclusions as ex

    rng = random.Random(4)
    toks = list(lx.words("exclude_before.txt")) + list(lx.words("months.txt"))
    toks += ["$", "US$", "\u20ac", "x", "a", "1", "12", ":", "/", ".", ",", "-", "_", "(", "Jan.", "No.", "\n", "HK$"]
    for _ in range(1500):
        text = "".join(rng.choice(toks) + rng.choice(["", "", " ", "  ", "."]) for _ in range(rng.randint(1, 8)))
        for hi in range(len(text) + 1):
            for lo in {max(0, hi - 22), max(0, hi - 3), hi}:
                assert ex.before_label(text, lo, hi) == (ex._BEFORE_RE.search(text, lo, hi) is not None), text


def test_lone_object_stem_scan_is_in_use_and_equal():
    from extractors import engine as en

    assert en._LONE_OBJECT_BY_STEMS, "_LONE_OBJECT_RE's trigger group changed: update _LONE_OBJECT_LEAD/_STEMS"
    rng = random.Random(3)
    toks = ["killed", "Killed", "KILLED", "kills", "skilled", "kidnapped", "wounded", "injured", "abducted",
            "captured", "shot dead", "gunned\ndown", "a", "an", "A", "man", "soldier", "in", ".", ",", "and", "x",
            "\u212ailled", "\u017fhot dead", "\u0130njured"]
    for _ in range(4000):
        text = "".join(rng.choice(toks) + rng.choice([" ", "", "  ", "\n"]) for _ in range(rng.randint(1, 14)))
        want = [(m.span(), m.groups()) for m in en._LONE_OBJECT_RE.finditer(text)]
        assert [(m.span(), m.groups()) for m in en._lone_object_matches(text, text.lower())] == want, text


def test_negation_and_lone_noun_scans_are_in_use_and_equal():
    from extractors import engine as en

    assert en._NEG_NOUN_STEMS and en._NEG_PRON_STEMS and en._BY_ARTICLE, "a whole-text pattern changed its lead"
    rng = random.Random(6)
    toks = ["no", "No", "NO", "zero", "Zero", "none", "nobody", "no one", "no-one", "None of them", "casualties",
            "deaths", "injuries", "people", "civilians", "soldiers", "was", "were", "killed", "hurt", "a", "an",
            "A", "An", "another", "Another", "soldier", "civilian", "policeman", "has been", "wounded", "x", "and",
            "anno", "nano", "Ana", ".", ",", "\u212ailled", "\u0130", "\u017f"]
    scans = [
        (en._NEG_NOUN_RE, en._NEG_NOUN_STEMS),
        (en._NEG_PRON_RE, en._NEG_PRON_STEMS),
    ]
    for _ in range(4000):
        text = "".join(rng.choice(toks) + rng.choice([" ", "", "  ", "\n"]) for _ in range(rng.randint(1, 14)))
        lower = text.lower()
        plain = en.case_plain(text)
        for rx, stems in scans:
            want = [(m.span(), m.groups()) for m in rx.finditer(text)]
            assert [(m.span(), m.groups()) for m in en._stem_matches(rx, text, lower, stems, plain)] == want, text
        if plain:
            articles = [a.start() for a in en._ARTICLE_LOW_RE.finditer(lower)]
            for rx in (en._LONE_RE, en._LONE_GENERIC_RE):
                want = [(m.span(), m.groups()) for m in rx.finditer(text)]
                assert [(m.span(), m.groups()) for m in en._matches_at(rx, text, articles)] == want, text


@pytest.mark.parametrize("name", ["units.txt", "exclude_before.txt", "months.txt"])
def test_case_sibling_tries_match_as_the_plain_alternation(name):
    phrases = list(lx.words(name))
    plain = lx.plain_alternation(phrases)
    pairs = [
        (re.compile(lx.trie_alternation(phrases, ignorecase=True) + r"(?![\w])", re.I),
         re.compile(plain + r"(?![\w])", re.I)),
        (re.compile(lx.trie_alternation(phrases, cased=True) + r"(?![\w.])"), re.compile(plain + r"(?![\w.])")),
    ]
    for trie, want in pairs:
        for text in _texts(phrases + [p.lower() for p in phrases[:30]] + [p.upper() for p in phrases[30:60]], 9):
            for pos in range(len(text)):
                a, b = trie.match(text, pos), want.match(text, pos)
                assert (a and a.span()) == (b and b.span()), (text, pos)


def test_lower_turns_no_non_word_character_into_a_word_character():
    # _ARTICLE_LOW_RE's look-behind on the lower-cased copy relies on it
    import sys

    word = re.compile(r"\w")
    for c in map(chr, range(sys.maxunicode + 1)):
        low = c.lower()
        if len(low) == 1 and not word.match(c):
            assert not word.match(low), hex(ord(c))


def test_ascii_digit_scan_is_in_use_and_equal():
    assert nu._DIGITS_ASCII_RE.pattern != nu._DIGITS_RE.pattern, "_DIGITS_RE changed its lead: update _DIGITS_ASCII_RE"
    rng = random.Random(9)
    toks = ["1", "12", "1,000", "6 060", "6.060", "1.2", "76k", " million", "x", "-", ",", ".", "/", ":", "a1", "_2"]
    for _ in range(3000):
        text = "".join(rng.choice(toks) + rng.choice(["", " "]) for _ in range(rng.randint(1, 20)))
        want = [m.span() for m in nu._DIGITS_RE.finditer(text)]
        assert [m.span() for m in nu._DIGITS_ASCII_RE.finditer(text)] == want, text


def _around_by_full_split(bounds: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence holding `pos` as a bisection over every sentence of the text finds it."""
    i = bisect_right([a for a, _ in bounds], pos) - 1
    if i < 0:
        return bounds[0] if bounds else (0, 0)
    return bounds[i]


def test_sentence_found_around_an_offset_equals_the_full_split():
    rng = random.Random(11)
    toks = ["U.S.", "Gen.", "Jan.", "No.", "A.", "e.g.", "word", "Word", "12", ".", "!", "?", "\u2026", "\n", "\n\n",
            " \n ", '"', "\u201c", "\u201d", "'", "(", ")", "]", "1.5", "x.", "\u00c9t\u00e9", "\t", "\u00a0",
            "\u2029", "...", "a" * 300, "b. " * 60, "Killed. " * 40]
    for _ in range(1500):
        text = "".join(rng.choice(toks) + rng.choice(["", " ", "  "]) for _ in range(rng.randint(0, 30)))
        bounds = sentence_bounds(text)
        index = SentenceIndex(text)
        offsets = list(range(-1, len(text) + 1))
        rng.shuffle(offsets)  # the index remembers what it split; any order of questions gives the same answers
        for pos in offsets:
            assert index.around(pos) == _around_by_full_split(bounds, pos), (text, pos)
        starts = [a for a, _ in bounds]
        for pos in range(len(text)):
            assert index.index(pos) == max(0, bisect_right(starts, pos) - 1)
