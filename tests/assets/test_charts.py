"""The figures-over-time chart and the evidence preview: counted over Parquet parts, drawn as a PNG."""

import base64
import io
from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from matplotlib import image as mpimg

from assets.charts import figures_over_time_png, markdown_image, monthly_counts
from assets.metadata import check_text, column_schema, evidence_table, excerpt, failure_sample, newest_figures
from schemas import FigureSchema

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def write_part(path, rows):
    """Write `rows` (dicts) as one Parquet part with the columns the chart and preview read; return the path."""
    table = pa.Table.from_pylist(
        rows,
        schema=pa.schema([
            ("article_id", pa.string()), ("published_date", pa.date32()), ("category", pa.string()),
            ("value", pa.int64()), ("qualifier", pa.string()), ("party", pa.string()), ("text", pa.string()),
            ("char_start", pa.int64()), ("sentence", pa.string()), ("rule", pa.string()),
            ("extractor_version", pa.string()),
        ]),
    )
    pq.write_table(table, path)
    return path


def row(day, category="killed", version="v1", text="12 soldiers", article="a", start=0):
    return {
        "article_id": article, "published_date": day, "category": category, "value": 12, "qualifier": "exact",
        "party": "X", "text": text, "char_start": start, "sentence": f"Officials said {text} died | today.",
        "rule": "noun:killed", "extractor_version": version,
    }


def test_monthly_counts_count_figures_per_month_and_category_of_the_version_only(tmp_path):
    one = write_part(tmp_path / "p1.parquet", [
        row(date(2025, 1, 3)), row(date(2025, 1, 30)), row(date(2025, 1, 9), "wounded"),
        row(date(2025, 3, 1)), row(None), row(date(2025, 1, 5), version="v0"),
    ])
    two = write_part(tmp_path / "p2.parquet", [row(date(2025, 3, 20), "wounded")])
    counts = monthly_counts([one, two], "v1")
    assert counts.columns.tolist() == ["month", "category", "figures"]
    got = [(m.strftime("%Y-%m"), c, n) for m, c, n in counts.itertuples(index=False)]
    assert got == [("2025-01", "killed", 2), ("2025-01", "wounded", 1), ("2025-03", "killed", 1),
                   ("2025-03", "wounded", 1)]


def test_monthly_counts_of_no_parts_is_empty():
    assert monthly_counts([], "v1").empty


def test_the_chart_is_a_png_for_data_and_for_nothing():
    counts = pd.DataFrame({
        "month": pd.to_datetime(["2024-11-01", "2025-02-01", "2025-02-01"]),
        "category": ["killed", "killed", "troops_deployed"],
        "figures": [3, 1, 4],
    })
    for frame in (counts, counts.iloc[:0]):
        png = figures_over_time_png(frame)
        assert png.startswith(PNG_MAGIC)
        height, width, _ = mpimg.imread(io.BytesIO(png), format="png").shape
        assert width > 300 and height > 150


def test_the_chart_draws_only_the_newest_months():
    months = pd.date_range("2020-01-01", periods=120, freq="MS")
    counts = pd.DataFrame({"month": months, "category": "killed", "figures": 1})
    assert figures_over_time_png(counts, max_months=12).startswith(PNG_MAGIC)


def test_markdown_image_embeds_the_png_as_a_data_url():
    md = markdown_image(b"\x89PNGdata")
    assert md.startswith("![figures over time](data:image/png;base64,")
    assert base64.b64decode(md.split(",", 1)[1].rstrip(")")) == b"\x89PNGdata"


def test_newest_figures_come_first_with_undated_last(tmp_path):
    part = write_part(tmp_path / "p.parquet", [
        row(None, text="1 soldier"), row(date(2025, 5, 1), text="5 soldiers"),
        row(date(2025, 6, 1), text="6 soldiers"), row(date(2025, 7, 1), text="7 soldiers", version="v0"),
    ])
    newest = newest_figures([part], "v1", limit=3)
    assert newest["text"].tolist() == ["6 soldiers", "5 soldiers", "1 soldier"]
    table = evidence_table(newest)
    assert "| 2025-06-01 | killed | 12 |" in table
    assert "**6 soldiers**" in table and "`noun:killed`" in table
    assert "undated" in table
    assert "said 6 soldiers died \\| today" in table.replace("**", "")  # a pipe in a sentence cannot split a cell


def test_excerpt_centres_the_span_and_marks_cuts():
    sentence = "a" * 200 + " 40 people were killed " + "b" * 200
    cut = excerpt(sentence, "40 people", width=60)
    assert cut.startswith("…") and cut.endswith("…") and "**40 people**" in cut
    assert len(cut.replace("**", "")) <= 62
    assert excerpt("Short one.", "missing span") == "Short one."


def test_failure_sample_lists_the_failed_checks():
    failures = pd.DataFrame({"index": [3], "column": ["value"], "check": ["greater_than_or_equal_to(0)"],
                             "failure_case": ["-1"], "part": ["part-x.parquet"]})
    text = failure_sample(failures).value
    assert "part-x.parquet" in text and "greater_than_or_equal_to(0)" in text


def test_the_column_schema_reads_as_short_rules():
    schema = column_schema(FigureSchema)
    rules = {column.name: column.constraints.other for column in schema.columns}
    assert rules["value"] == [">= 0"]
    assert rules["figure_id"] == ["matches ^[0-9a-f]{16}$"]
    assert rules["field"] == ["one of: text, title"]
    assert rules["text"] == ["length >= 1"]
    assert "char_end - char_start equals the length of text" in schema.constraints.other
    assert check_text(FigureSchema.to_schema().columns["modality"].checks[0]).startswith("one of: asserted")


def test_a_stored_part_that_breaks_the_contract_yields_a_sample_of_its_failures(tmp_path, seed_file):
    from datetime import UTC, datetime

    from assets.extract import contract_failures, plan_extract
    from assets.storage import TableStore
    from schemas import FigureSchema, arrow_schema

    article = pd.DataFrame([{"article_id": "0" * 16, "published_date": date(2025, 6, 18), "title": "t",
                             "text": seed_file.read_text()}])
    figures = plan_extract(article, "v1", datetime.now(UTC)).figures
    assert not figures.empty
    table = TableStore(tmp_path, "figures", arrow_schema(FigureSchema))
    good = table.append(figures, ["good"])
    assert contract_failures(table, good).empty
    assert contract_failures(table, good, figures).empty  # reads back equal to the validated rows
    validated = figures.copy()
    figures.loc[0, "char_end"] = figures.loc[0, "char_start"] + 999  # the span no longer matches its text
    bad = table.append(figures, ["bad"])
    # the part differs from the rows that passed, so it is validated row by row, with or without them
    assert len(contract_failures(table, bad, validated)) == 1
    failures = contract_failures(table, bad)
    assert len(failures) == 1  # a row-level check is one line, not one per column
    failure = failures.iloc[0]
    assert failure["part"] == bad.name and failure["columns"] == "(row)"
    assert failure["figure_id"] == figures.loc[0, "figure_id"]
    sample = failure_sample(failures).value
    assert "char_end - char_start" in sample and figures.loc[0, "text"] in sample
