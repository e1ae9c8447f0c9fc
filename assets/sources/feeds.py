"""RSS and Atom feeds to articles: one record per entry, text from the linked page or the entry itself."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Iterator
from datetime import date

import feedparser

from assets.sources.decode import Decoded, decode_bytes
from assets.sources.html import fragment_text, parse_html, title_of
from assets.sources.http import Fetched, FetchError, check_url
from assets.sources.records import (
    DATE_INVALID,
    DATE_MISSING,
    DATE_OK,
    ORIGIN_FEED_ENTRY,
    ORIGIN_PAGE,
    RawArticle,
    Reject,
    reject_for,
)

PageFetcher = Callable[[str], Fetched]


def parse_feed(data: bytes, source: str, location: str, *, base_url: str | None = None, content_type=None):
    """Return feedparser's result for `data`, or a Reject when it is not a feed ("not_a_feed", "empty_feed").

    The bytes are wrapped in BytesIO: feedparser treats a bare string as a URL or a file name to open. A feed
    that is malformed (bozo) but still yields entries is kept: real feeds are often slightly broken.
    """
    headers = {}
    if base_url:
        headers = {"content-location": base_url, "content-type": content_type or "application/xml"}
    result = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not any(result.entries):  # a truncated document can give one empty entry
        if result.bozo or not result.version:
            problem = result.get("bozo_exception") or "no RSS or Atom root element"
            return reject_for(source, location, "not_a_feed", f"not an RSS/Atom feed: {problem}", data)
        return reject_for(source, location, "empty_feed", f"a {result.version} feed with no entries", data)
    return result


def _entry_date(entry) -> tuple[date | None, str]:
    for key in ("published", "updated", "created"):
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday), DATE_OK
            except ValueError:
                return None, DATE_INVALID
        if entry.get(key):
            return None, DATE_INVALID  # stated but feedparser could not read it (e.g. 30 February)
    return None, DATE_MISSING


def _entry_text(entry) -> str:
    """Return the entry's own text: its longest content block, else its summary, as plain text."""
    blocks = [c.get("value", "") for c in entry.get("content", []) if isinstance(c, dict)]
    blocks.append(entry.get("summary", ""))
    texts = [fragment_text(b) for b in blocks if b and b.strip()]
    return max(texts, key=len) if texts else ""


def _entry_key(entry, index: int) -> str:
    return str(entry.get("id") or entry.get("link") or f"entry-{index}")


def iter_feed(
    data: bytes,
    source: str,
    location: str,
    *,
    base_url: str | None = None,
    content_type: str | None = None,
    fetch_page: PageFetcher | None = None,
) -> Iterator[RawArticle | Reject]:
    """Yield one article or reject per feed entry (or one reject for the whole input when it is not a feed).

    With `fetch_page`, each entry's linked page is fetched and its main text extracted; when the page cannot
    be fetched or holds no article, the entry's summary/content is used instead and the article's `note` says
    why.
    """
    result = parse_feed(data, source, location, base_url=base_url, content_type=content_type)
    if isinstance(result, Reject):
        yield result
        return
    for index, entry in enumerate(result.entries):
        where = f"{location}#{_entry_key(entry, index)}"
        try:
            yield _entry_record(entry, source, where, fetch_page)
        except Exception as exc:  # one odd entry must not lose the others
            yield Reject(source, where, "internal_error", f"{type(exc).__name__}: {exc}")


def _entry_record(entry, source: str, where: str, fetch_page: PageFetcher | None) -> RawArticle | Reject:
    link = entry.get("link") or None
    title = title_of(entry.get("title", "")) if entry.get("title") else None
    published, status = _entry_date(entry)
    source_id = str(entry["id"]) if entry.get("id") else None
    note = None
    if fetch_page is not None:
        page = _linked_article(link, source, where, fetch_page)
        if isinstance(page, RawArticle):
            if status == DATE_MISSING and page.date_status != DATE_MISSING:
                published, status = page.published_date, page.date_status
            return dataclasses.replace(
                page,
                location=where,
                source_id=source_id,
                title=title or page.title,
                published_date=published,
                date_status=status,
                url=link,
                text_origin=ORIGIN_PAGE,
            )
        note = f"linked page not used ({page.reason}): {page.detail}"
    text = _entry_text(entry)
    if not text:
        detail = "the entry has no summary or content"
        return Reject(source, where, "no_text", f"{detail}; {note}" if note else detail)
    return RawArticle(
        source,
        where,
        source_id,
        title,
        text,
        published,
        status,
        url=link,
        text_origin=ORIGIN_FEED_ENTRY,
        note=note,
    )


def _linked_article(
    link: str | None, source: str, where: str, fetch_page: PageFetcher
) -> RawArticle | Reject:
    if not link:
        return Reject(source, where, "bad_url", "the entry has no link")
    problem = check_url(link)
    if problem:
        return Reject(source, link, "bad_url", problem)
    try:
        fetched = fetch_page(link)
    except FetchError as exc:
        return Reject(source, link, exc.reason, exc.detail)
    charset = _charset(fetched.content_type)
    decoded = decode_bytes(fetched.content, declared=charset)
    if not isinstance(decoded, Decoded):
        return reject_for(source, link, decoded.reason, decoded.detail, fetched.content)
    return parse_html(decoded.text, source, link, url=fetched.url)


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None
