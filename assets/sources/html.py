"""HTML pages to articles: main text, title and publication date extracted with trafilatura."""

from __future__ import annotations

import re
from datetime import date

import lxml.html
import trafilatura
from lxml import etree

from assets.sources.records import DATE_MISSING, DATE_OK, ORIGIN_FILE, RawArticle, Reject, parse_date

# Less main text than this is navigation or boilerplate, not an article.
MIN_ARTICLE_CHARS = 40

# Where pages state their publication date, most explicit first. When one of these is present its value
# decides the date (an impossible value makes the date "invalid"), because htmldate silently repairs
# impossible dates (2025-02-30 becomes 2025-02-01).
_DATE_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@property='og:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@name='date']/@content",
    "//meta[@name='pubdate']/@content",
    "//meta[@name='dc.date' or @name='DC.date' or @name='dcterms.date']/@content",
    "//time[@itemprop='datePublished']/@datetime",
    "//time[@pubdate]/@datetime",
)
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]*)"')
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
}


def stated_date(tree: lxml.html.HtmlElement) -> str | None:
    """Return the publication date a page states in its metadata (raw string), or None."""
    for xpath in _DATE_XPATHS:
        for value in tree.xpath(xpath):
            if str(value).strip():
                return str(value).strip()
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        match = _LD_DATE.search(script)
        if match and match[1].strip():
            return match[1].strip()
    return None


def _page_date(tree: lxml.html.HtmlElement, extracted: str | None) -> tuple[date | None, str]:
    raw = stated_date(tree)
    if raw is not None:
        return parse_date(raw)
    published, status = parse_date(extracted)
    return (published, status) if status == DATE_OK else (None, DATE_MISSING)


def parse_html(
    content: str | bytes,
    source: str,
    location: str,
    *,
    url: str | None = None,
    min_chars: int = MIN_ARTICLE_CHARS,
) -> RawArticle | Reject:
    """Return the article in an HTML page (main text, title, date), or a "no_article_text" Reject.

    The date comes from the page's explicit metadata when it has some, else from trafilatura/htmldate without
    its extensive text search (so a date mentioned in the body is not taken for the publication date).
    """
    if isinstance(content, str):
        head = content[:2048].lower()
        if "<html" not in head and "<body" not in head:
            content = f"<html><body>{content}</body></html>"  # trafilatura rejects bare fragments
    tree = trafilatura.load_html(content)
    if tree is None:
        return Reject(source, location, "no_article_text", "the page does not parse as HTML")
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    text = (doc.text or "").strip() if doc is not None else ""
    if len(text) < min_chars:
        found = f"only {len(text)} characters" if text else "none"
        return Reject(source, location, "no_article_text", f"no main article text found ({found})")
    title = (doc.title or "").strip() or None
    if title:
        first, _, rest = text.partition("\n")
        if first.strip() == title and rest.strip():
            text = rest.strip()  # trafilatura repeats the headline as the text's first line
    published, status = _page_date(tree, doc.date)
    return RawArticle(
        source, location, None, title, text, published, status, url=url, text_origin=ORIGIN_FILE
    )


def fragment_text(markup: str) -> str:
    """Return the plain text of an HTML fragment (a feed summary), one line per block element."""
    if "<" not in markup:
        return markup.strip()
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return markup.strip()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def title_of(markup: str) -> str | None:
    """Return the plain text of a title that may hold markup or entities."""
    text = fragment_text(markup).replace("\n", " ").strip()
    return text or None
