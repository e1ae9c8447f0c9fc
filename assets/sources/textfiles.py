"""Readers for the seed format, JSON Lines and plain text article files."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from assets.sources.records import DATE_MISSING, RawArticle, Reject, parse_date

SEED_HEADER = re.compile(r"^\s*date\s+(\S+)\s+(\S+)\s*$")


def _decode(data: bytes, source: str, location: str) -> str | Reject:
    if not data.strip():
        return Reject(source, location, "empty", "the file holds no text", len(data), hashlib.sha256(data).hexdigest())
    if b"\x00" in data:
        return Reject(source, location, "binary", "the file holds NUL bytes", len(data), hashlib.sha256(data).hexdigest())
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Reject(source, location, "encoding", f"not UTF-8: {exc}", len(data), hashlib.sha256(data).hexdigest())


def parse_seed_text(content: str, source: str, location: str) -> RawArticle | Reject:
    """Return the article of a seed-format file: `date YYYY-MM-DD ID`, a title line, then the body."""
    lines = content.splitlines()
    header = SEED_HEADER.match(lines[0]) if lines else None
    if header is None:
        return Reject(source, location, "not_seed_format", "first line is not 'date YYYY-MM-DD ID'")
    published, status = parse_date(header[1])
    title = lines[1].strip() if len(lines) > 1 else ""
    body = "\n".join(lines[2:]).strip("\n")
    if not body.strip():
        return Reject(source, location, "no_text", "the seed file has a header but no body")
    return RawArticle(source, location, header[2], title or None, body, published, status)


def parse_plain_text(content: str, source: str, location: str) -> RawArticle | Reject:
    """Return the article of a plain text file whose first non-empty line is the title."""
    lines = content.strip().splitlines()
    title = lines[0].strip()
    body = "\n".join(lines[1:]).strip("\n")
    if not body.strip():
        return Reject(source, location, "no_text", "the file has a title line but no body")
    return RawArticle(source, location, None, title, body, None, DATE_MISSING)


def iter_json_lines(content: str, source: str, location: str) -> Iterator[RawArticle | Reject]:
    """Yield one article or reject per non-blank line of a JSON Lines file; a bad line does not stop the rest."""
    for lineno, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{location}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(source, where, "malformed_json", str(exc), len(line.encode()))
            continue
        if not isinstance(obj, dict):
            yield Reject(source, where, "malformed_json", "the line is not a JSON object", len(line.encode()))
            continue
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            yield Reject(source, where, "no_text", "the object has no non-empty 'text'", len(line.encode()))
            continue
        published, status = parse_date(obj.get("published"))
        title = obj.get("title")
        yield RawArticle(
            source=str(obj.get("source") or source),
            location=where,
            source_id=None if obj.get("id") is None else str(obj["id"]),
            title=title if isinstance(title, str) and title.strip() else None,
            text=text,
            published_date=published,
            date_status=status,
            url=obj.get("url") if isinstance(obj.get("url"), str) else None,
        )


def read_text_file(path: Path, source: str) -> Iterator[RawArticle | Reject]:
    """Yield the articles (or rejects) of a seed, JSON Lines or plain text file, chosen by suffix and content."""
    location = str(path)
    data = path.read_bytes()
    content = _decode(data, source, location)
    if isinstance(content, Reject):
        yield content
        return
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        yield from iter_json_lines(content, source, location)
    elif SEED_HEADER.match(content.splitlines()[0] if content else ""):
        yield parse_seed_text(content, source, location)
    else:
        yield parse_plain_text(content, source, location)
