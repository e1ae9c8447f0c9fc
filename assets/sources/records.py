"""What a reader yields: an article read from an input, or a reject accounting for an unreadable input."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

DATE_OK = "ok"
DATE_MISSING = "missing"
DATE_INVALID = "invalid"

# Where an article's text came from: the input itself, a feed entry's linked page, or (when that page could
# not be used) the entry's own summary or content.
ORIGIN_FILE = "file"
ORIGIN_PAGE = "page"
ORIGIN_FEED_ENTRY = "feed_entry"

# Reject reason codes: machine-readable, stable; the human explanation goes in Reject.detail. Reject does not
# enforce membership (callers may add codes), but every code the readers emit is listed here and tested.
REASONS: dict[str, str] = {
    "empty": "the input holds no text at all",
    "binary": "the input is binary data, not text",
    "encoding": "the input is not UTF-8 and its encoding could not be detected",
    "too_large": "the input (or its decompressed body) is larger than the source's max_bytes",
    "unreadable": "the file could not be read (missing, permissions, I/O error)",
    "malformed_json": "a JSON line or document that does not parse, or is not an object",
    "no_text": "an article with no body text (header only, empty 'text', feed entry with nothing to read)",
    "not_seed_format": "the first line is not 'date YYYY-MM-DD ID'",
    "no_article_text": "an HTML page in which no main article text was found",
    "not_a_feed": "an RSS/Atom input that feedparser cannot read as a feed",
    "empty_feed": "a well-formed feed with no entries",
    "bad_url": "a URL that is malformed or not http/https",
    "unreachable": "the host could not be reached (DNS, refused, reset) after the retries",
    "timeout": "the request timed out after the retries",
    "http_error": "the server answered with an HTTP error status after the retries",
    "bad_content_encoding": "the response uses a Content-Encoding we do not decode, or is corrupt",
    "internal_error": "a reader failed unexpectedly; the detail holds the exception",
    # Codes the ingest step itself uses (assets/ingest.py), listed so this table stays the one reference:
    "unsupported_format": "a file type no reader handles (iter_source sniffs every file: never emitted)",
    "contract": "a read article that fails the articles table's pandera contract",
}



@dataclass(frozen=True, slots=True)
class RawArticle:
    """An article as read from one input, before identity and dedup are applied."""

    source: str
    location: str
    source_id: str | None
    title: str | None
    text: str
    published_date: date | None
    date_status: str
    url: str | None = None
    text_origin: str = ORIGIN_FILE
    note: str | None = None  # e.g. the detected encoding, or why a feed entry's linked page was not used


@dataclass(frozen=True, slots=True)
class Reject:
    """An input (a file, a line of a file, a feed entry, a URL) that could not be read, and why."""

    source: str
    location: str
    reason: str
    detail: str
    size_bytes: int | None = None
    sha256: str | None = None


def reject_for(source: str, location: str, reason: str, detail: str, data: bytes | None = None) -> Reject:
    """Return a Reject carrying the size and sha256 of the raw bytes when they are known."""
    if data is None:
        return Reject(source, location, reason, detail)
    return Reject(source, location, reason, detail, len(data), hashlib.sha256(data).hexdigest())


def content_sha256(title: str | None, text: str) -> str:
    """Return the hex sha256 of the article's title and text with Unicode and white space normalised.

    Two copies of one article that differ only in spacing or Unicode composition hash the same.
    """
    norm = unicodedata.normalize("NFC", f"{title or ''}\n{text}")
    # str.split() splits at exactly the characters regex \s matches (both use str.isspace), several times faster
    norm = " ".join(norm.split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def article_id_for(sha256_hex: str) -> str:
    """Return the stable article_id derived from the content hash."""
    return sha256_hex[:16]


def parse_date(raw: object) -> tuple[date | None, str]:
    """Return (date, date_status) for a date string such as 2025-06-18 or an ISO timestamp."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, DATE_MISSING
    text = str(raw).strip()
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        return None, DATE_INVALID
    try:
        return date(int(match[1]), int(match[2]), int(match[3])), DATE_OK
    except ValueError:
        return None, DATE_INVALID
