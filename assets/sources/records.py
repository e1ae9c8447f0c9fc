"""What a reader yields: an article read from an input, or a reject that accounts for an input it could not read."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

DATE_OK = "ok"
DATE_MISSING = "missing"
DATE_INVALID = "invalid"

_SPACE = re.compile(r"\s+")


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


@dataclass(frozen=True, slots=True)
class Reject:
    """An input (a file, a line of a file, a feed entry, a URL) that could not be read, and why."""

    source: str
    location: str
    reason: str
    detail: str
    size_bytes: int | None = None
    sha256: str | None = None


def content_sha256(title: str | None, text: str) -> str:
    """Return the hex sha256 of the article's title and text with Unicode and white space normalised.

    Two copies of one article that differ only in spacing or Unicode composition hash the same.
    """
    norm = unicodedata.normalize("NFC", f"{title or ''}\n{text}")
    norm = _SPACE.sub(" ", norm).strip()
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
