"""Properties of the extractor on any text: it never raises, its offsets slice back to its evidence, its bounds
are ordered, and its output depends on the article alone (not on the run, nor on the other articles of a batch).

The strategies mix random Unicode with news-like fragments (numbers written every way FIGURES.md lists,
triggers, people nouns, modifiers) so that the properties exercise the engine's real paths, not just
"no number found".
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assets.extract_worker import figure_rows
from extractors import CATEGORIES, MODALITIES, QUALIFIERS, extract_figures

FRAGMENTS = [
    "killed", "were killed", "dead", "wounded", "injured", "missing", "captured", "taken prisoner",
    "soldiers", "troops", "civilians", "servicemen", "prisoners of war", "bodies", "remains of",
    "more than", "more than more than", "at least", "up to", "nearly", "about", "between", "and", "to", "-",
    "1,000", "6,060", "6 060", "6.060", "1.2 million", "76k", "2.5 thousand", "a dozen", "several", "dozens",
    "hundreds of thousands", "tens of", "six thousand and sixty", "twelve", "no one", "a soldier",
    "2024", "19-year-old", "F-16", "24 hours", "$5", "5%", "Russia", "Ukraine's Defense Ministry said",
    "exchanged", "returned", "will send", "could kill", "so far", "death toll rose to", ".", ",", "\n", " ",
    "U.S.", "Gen.", "\u2013", "\u00a0", "\u202f", "\u2009", "\u201c", "\u2019", "\u0661\u0662", "\ufeff",
]
fragment = st.sampled_from(FRAGMENTS)
number = st.integers(min_value=0, max_value=10**12).map(str)
noise = st.text(max_size=12)  # any code point, lone surrogates included
piece = st.one_of(fragment, fragment, fragment, number, noise)
news_text = st.lists(piece, max_size=40).map(" ".join)
maybe_title = st.one_of(st.none(), news_text)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_figure(fig, text: str, title: str | None) -> None:
    source = title if fig.field == "title" else text
    assert source is not None, fig
    assert 0 <= fig.char_start <= fig.char_end <= len(source), fig
    assert source[fig.char_start:fig.char_end] == fig.text, fig
    for bound in (fig.value_low, fig.value_high):
        assert bound is None or isinstance(bound, int)
    if fig.value_low is not None:
        assert fig.value_low <= fig.value, fig
    if fig.value_high is not None:
        assert fig.value <= fig.value_high, fig
    assert fig.value >= 0
    assert fig.category in CATEGORIES and fig.qualifier in QUALIFIERS and fig.modality in MODALITIES


@SETTINGS
@given(text=news_text, title=maybe_title)
@example(text="Between 5 and 10 soldiers were killed, more than more than 300 wounded.", title="12 killed")
@example(text="\u00a0" * 3 + "1\u202f000 troops", title="")
@example(text="", title=None)
def test_never_raises_and_offsets_slice_to_the_evidence(text, title):
    for fig in extract_figures(text, title):
        check_figure(fig, text, title)


@SETTINGS
@given(text=st.text(max_size=300), title=st.one_of(st.none(), st.text(max_size=60)))
def test_never_raises_on_arbitrary_unicode(text, title):
    for fig in extract_figures(text, title):
        check_figure(fig, text, title)


@SETTINGS
@given(text=news_text, title=maybe_title)
def test_output_is_deterministic(text, title):
    assert extract_figures(text, title) == extract_figures(text, title)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles=st.lists(st.tuples(news_text, maybe_title), min_size=1, max_size=6), data=st.data())
def test_figures_do_not_depend_on_the_articles_position_in_a_batch(articles, data):
    """figure_rows (what the extract stage and its worker processes run) gives each article the same rows
    whether it is read alone, first, last, or among other articles in any order."""
    items = [(f"{i:016x}", date(2025, 1, 1), title, text) for i, (text, title) in enumerate(articles)]
    alone = {item[0]: figure_rows([item], "v") for item in items}
    order = data.draw(st.permutations(items))
    together = figure_rows(order, "v")
    for article_id, rows in alone.items():
        assert [r for r in together if r["article_id"] == article_id] == rows


def test_a_run_of_310_digits_does_not_raise():
    """Found by these tests on the old extractor (float('inf') -> OverflowError); fixed by the rewrite on main."""
    assert extract_figures("1" * 310 + " soldiers were killed") is not None


def test_a_reversed_between_range_keeps_its_bounds_ordered():
    """Found by these tests: 'between 2 and 1' was a range with value_high < value; it is no range now."""
    for fig in extract_figures("between 2 and 1 dead"):
        assert fig.value_low <= fig.value <= fig.value_high
