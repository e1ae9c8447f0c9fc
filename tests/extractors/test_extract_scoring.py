"""The scoring used by bench/eval.py and a future `tally eval`."""

from __future__ import annotations

from extractors.scoring import Counts, evaluate, format_report, score_acled, states_number


def test_counts():
    c = Counts(tp=9, fp=1, fn=3)
    assert round(c.precision, 3) == 0.9 and round(c.recall, 3) == 0.75 and round(c.f1, 3) == 0.818


def test_evaluate_tp_fp_fn_and_optional():
    articles = [
        {
            "id": "a",
            "title": None,
            "text": "Shelling killed 12 soldiers. 30 people were wounded. 5 fighters were captured.",
        }
    ]
    gold = [
        {
            "id": "a",
            "figures": [
                {"category": "killed", "value": 12, "optional": False},
                {"category": "missing", "value": 4, "optional": False},
                {"category": "wounded", "value": 30, "optional": True},
            ],
        }
    ]
    rep = evaluate(articles, gold)
    assert (rep.overall.tp, rep.overall.fp, rep.overall.fn) == (1, 1, 1)
    assert rep.per_category["captured"].fp == 1
    assert rep.per_category["missing"].fn == 1
    assert rep.per_category["wounded"].fp == 0
    text = format_report(rep, show_errors=True)
    assert "OVERALL" in text and "captured=5" in text and "missing=4" in text


def test_states_number():
    assert states_number("Two people were killed.", 2)
    assert states_number("killing 1,200 people", 1200)
    assert states_number("twenty-five dead", 25)
    assert not states_number("A soldier was killed.", 1)
    assert not states_number("12 killed", 2)


def test_acled_shares():
    notes = [
        {"id": "1", "text": "Two people were killed in the raid.", "gold_fatalities": 2},
        {"id": "2", "text": "Clashes left several dead.", "gold_fatalities": 5},
        {"id": "3", "text": "Protesters marched peacefully.", "gold_fatalities": 0},
    ]
    from extractors import extract_figures

    rep = score_acled(notes, extract_figures)
    assert (rep.fatal, rep.fatal_hit, rep.fatal_stated, rep.fatal_stated_hit) == (2, 1, 1, 1)
    assert rep.nonfatal_share == 1.0
