"""The data card written into every snapshot folder: what the tables and columns mean."""

from __future__ import annotations

DATA_CARD = """# Tally snapshot {version}

People-figures stated in news articles (troops deployed, killed, wounded, casualties, missing, captured,
prisoners exchanged, remains exchanged), extracted by Tally's rule engine, version `{extractor_version}`.
`manifest.json` lists every file with its rows, bytes, sha256 and schema.

## Tables
- `articles.parquet`: one row per distinct article. `article_id` is the first 16 hex digits of the sha256
  of the normalised title and text; `date_status` is `ok`, `missing` or `invalid` (undated articles are kept).
- `article_rejects.parquet`: inputs that could not be read as articles, with `reason` and `location`.
- `figures.parquet`: one row per figure: an article states a (category, value) once.
  - `category`: troops_deployed, killed, wounded, casualties, missing, captured, prisoners_exchanged, remains_exchanged.
  - `value`: the number a sum uses; `value_low` / `value_high`: the bounds the text gives (empty where it gives none).
  - `qualifier`: exact, approximate, more_than, at_least, at_most, nearly, range, vague; `vague_term` names the word.
  - `party` (whose people), `actor` (who acts), `claimant` (who states it), `location`, `modality`
    (asserted, planned, hypothetical), `cumulative` (a running total).
  - Evidence: `text` is the exact span, `char_start`/`char_end` index the article's `text` (or its `title`
    where `field` = title), `sentence` and `rule` say where and why; `mentions` counts repeated statements.
- `figure_rejects.parquet`: figures that failed the table contract, with the failed check.
- `claims.parquet`: figures of different articles that state the same thing, grouped: one row per claim with
  `first_reported`, `last_reported`, `n_articles`, `n_sources`, the member `figure_ids` and the earliest evidence.

## Claims
A figure joins a claim when it has the same category, value, party and modality, a compatible claimant (an
unknown claimant is compatible with any; named ones must contain each other's words or name the same side), a
compatible place where both name one, and a publication date at most `window_days` (14 unless configured; the
column says) after the claim's last report. Undated figures are claims of their own. Every figure is in exactly
one claim; `claim_id` is a hash of the claim's key and its first figure, so re-runs keep it. The DuckDB file adds
`disputes` (two claimants' different values for the same thing and period) and `running_totals` (cumulative
claims per category, party and claimant, with steps that go down flagged). Full rules: docs/CLAIMS.md.

## Vague numbers
Vague words take the lower bound of their literal meaning: dozens = 24 (24-99), hundreds = 200 (200-999),
thousands = 2,000 (2,000-9,999), several = 3 (3-9), a few = 2 (2-5). ACLED codes such words more
conservatively (dozens = 12, hundreds = 100): do not add these values to ACLED's in one column.
Hypothetical figures ("could kill up to ...") are kept with modality = hypothetical; leave them out of sums.

## Licence
The figures, evidence spans and sentences are quotations of the source articles, whose copyright stays with
their publishers; use them under the terms that apply to those sources (research and reporting). The table
structure and Tally's derived fields are released under CC BY 4.0.
"""


def data_card(version: str, extractor_version: str) -> str:
    """Return the data card text for a snapshot."""
    return DATA_CARD.format(version=version, extractor_version=extractor_version)
