"""Plain-Python readers that turn inputs into RawArticle or Reject records (no Dagster here).

Entry points: load_sources() reads pipelines/sources.toml into SourceSpec records; iter_source() yields every
article and reject of one source; count_inputs() tallies them for the ingest step's accounting check.
"""

from assets.sources.accounting import InputCounts, count_inputs
from assets.sources.config import ConfigError, SourceSpec, default_sources, load_sources
from assets.sources.dispatch import iter_source, read_file, sniff_format, state_path
from assets.sources.http import FetchError, FetchPolicy, HttpState, fetch
from assets.sources.ledger import FileLedger
from assets.sources.records import (
    DATE_INVALID,
    DATE_MISSING,
    DATE_OK,
    REASONS,
    RawArticle,
    Reject,
    article_id_for,
    content_sha256,
)

__all__ = [
    "DATE_INVALID",
    "DATE_MISSING",
    "DATE_OK",
    "REASONS",
    "ConfigError",
    "FetchError",
    "FetchPolicy",
    "FileLedger",
    "HttpState",
    "InputCounts",
    "RawArticle",
    "Reject",
    "SourceSpec",
    "article_id_for",
    "content_sha256",
    "count_inputs",
    "default_sources",
    "fetch",
    "iter_source",
    "load_sources",
    "read_file",
    "sniff_format",
    "state_path",
]
