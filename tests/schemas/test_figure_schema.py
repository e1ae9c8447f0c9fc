"""FigureSchema accepts rows that meet FIGURES.md and splits off the rows that break it, check by check."""

from datetime import date

import pandas as pd
import pytest

from schemas import FigureSchema, arrow_schema, validate_rows


def good_row(**changes) -> dict:
    row = {
        "figure_id": "0123456789abcdef",
        "article_id": "fedcba9876543210",
        "published_date": date(2025, 6, 18),
        "category": "remains_exchanged",
        "value": 6060,
        "value_low": 6060,
        "value_high": 6060,
        "qualifier": "exact",
        "vague_term": None,
        "party": "Ukraine",
        "actor": "Russia",
        "claimant": None,
        "location": None,
        "modality": "asserted",
        "cumulative": False,
        "text": "remains of 6,060 Ukrainian troops",
        "char_start": 10,
        "char_end": 10 + len("remains of 6,060 Ukrainian troops"),
        "sentence": "Russia returned the remains of 6,060 Ukrainian troops.",
        "rule": "exchange:remains",
        "field": "text",
        "mentions": 1,
        "extractor_version": "1.0.0+abc",
    }
    row.update(changes)
    return row


def test_a_row_that_meets_the_contract_passes_with_types_coerced():
    out = FigureSchema.validate(pd.DataFrame([good_row()]))
    assert out.loc[0, "value"] == 6060
    assert str(out["value"].dtype) == "Int64"


def test_open_bounds_are_allowed():
    row = good_row(category="casualties", value=76000, value_low=76000, value_high=None, qualifier="more_than")
    assert len(FigureSchema.validate(pd.DataFrame([row]))) == 1


@pytest.mark.parametrize(
    "changes, failed_check",
    [
        ({"category": "arrested"}, "isin"),
        ({"qualifier": "roughly"}, "isin"),
        ({"modality": "maybe"}, "isin"),
        ({"value": -1, "value_low": None, "value_high": None}, "greater_than_or_equal_to"),
        ({"value_low": 7000}, "value_low <= value <= value_high"),
        ({"value_high": 10}, "value_low <= value <= value_high"),
        ({"char_end": 11}, "char_end - char_start equals the length of text"),
        ({"qualifier": "vague", "vague_term": None}, "vague qualifier names its vague_term"),
        ({"vague_term": "dozens"}, "vague qualifier names its vague_term"),
        ({"figure_id": "not-hex"}, "str_matches"),
        ({"field": "footer"}, "isin"),
        ({"text": ""}, "str_length"),
    ],
)
def test_rows_that_break_the_contract_are_split_off_with_the_failed_check(changes, failed_check):
    df = pd.DataFrame([good_row(figure_id="1" * 16), good_row(**changes)])
    checked = validate_rows(FigureSchema, df)
    assert len(checked.valid) == 1
    assert list(checked.rejected_index) == [1]
    assert checked.failures["check"].str.contains(failed_check, regex=False).any(), checked.failures


def test_duplicate_figure_ids_are_rejected():
    checked = validate_rows(FigureSchema, pd.DataFrame([good_row(), good_row()]))
    assert checked.valid.empty
    assert "field_uniqueness" in set(checked.failures["check"])


def test_unknown_columns_are_a_producer_bug_not_rejects():
    df = pd.DataFrame([good_row(surprise=1)])
    with pytest.raises(ValueError, match="not tied to rows"):
        validate_rows(FigureSchema, df)


def test_arrow_schema_follows_the_contract():
    schema = arrow_schema(FigureSchema)
    assert schema.names[:3] == ["figure_id", "article_id", "published_date"]
    assert str(schema.field("published_date").type) == "date32[day]"
    assert not schema.field("value").nullable and schema.field("value_high").nullable
