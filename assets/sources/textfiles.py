"""Readers for the seed format, JSON Lines (and JSON documents) and plain text article files."""

from __future__ import annotations

import codecs
import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path

from assets.sources.records import DATE_MISSING, RawArticle, Reject, parse_date, reject_for

SEED_HEADER = re.compile(r"^\s*date\s+(\S+)\s+(\S+)\s*$")
# Placeholders that still mark a line as a seed header when the date itself is absent.
_NO_DATE_TOKENS = {"unknown", "none", "null", "n/a", "na", "-", "?", "tbd"}
# Only real line breaks: str.splitlines() also splits on U+2028, U+0085, form feed and others, which may sit
# inside a JSON string or a title.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

DEFAULT_MAX_BYTES = 5_000_000


def split_lines(content: str) -> list[str]:
    """Return the lines of `content`, split on CR LF, CR or LF only."""
    return _LINE_BREAK.split(content)


def first_nonblank_line(content: str) -> str:
    """Return the first line of `content` that is not blank, or "" when there is none."""
    for line in split_lines(content):
        if line.strip():
            return line
    return ""


def is_seed_header(line: str) -> bool:
    """Return True when `line` reads `date <date> <id>` and the date token looks like a date."""
    match = SEED_HEADER.match(line)
    if match is None:
        return False
    token = match[1]
    return any(ch.isdigit() for ch in token) or token.lower() in _NO_DATE_TOKENS


def parse_seed_text(content: str, source: str, location: str) -> RawArticle | Reject:
    """Return the article of a seed-format file: `date YYYY-MM-DD ID`, a title line, then the body.

    Blank lines before the header and between header and title are skipped. An impossible or missing date
    keeps the article with date_status "invalid" / "missing".
    """
    lines = split_lines(content)
    while lines and not lines[0].strip():
        lines.pop(0)
    header = SEED_HEADER.match(lines[0]) if lines else None
    if header is None:
        return Reject(source, location, "not_seed_format", "first line is not 'date YYYY-MM-DD ID'")
    if header[1].lower() in _NO_DATE_TOKENS:
        published, status = None, DATE_MISSING
    else:
        published, status = parse_date(header[1])
    rest = lines[1:]
    while rest and not rest[0].strip():
        rest.pop(0)
    title = rest[0].strip() if rest else ""
    body = "\n".join(rest[1:]).strip()
    if not body:
        return Reject(source, location, "no_text", "the seed file has a header but no body")
    return RawArticle(source, location, header[2], title or None, body, published, status)


def parse_plain_text(content: str, source: str, location: str) -> RawArticle | Reject:
    """Return the article of a plain text file whose first non-empty line is the title."""
    lines = split_lines(content.strip())
    title = lines[0].strip()
    body = "\n".join(lines[1:]).strip()
    if not title and not body:
        return Reject(source, location, "empty", "the file holds only white space")
    if not body:
        return Reject(source, location, "no_text", "the file has a title line but no body")
    return RawArticle(source, location, None, title, body, None, DATE_MISSING)


def article_from_object(obj: object, source: str, where: str, size: int | None = None) -> RawArticle | Reject:
    """Return the article of one JSON object (id, title, text; optional published, url, source)."""
    if not isinstance(obj, dict):
        return Reject(source, where, "malformed_json", f"a JSON {type(obj).__name__}, not an object", size)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return Reject(source, where, "no_text", "the object has no non-empty 'text'", size)
    published, status = parse_date(obj.get("published"))
    title = obj.get("title")
    url = obj.get("url")
    named_source = obj.get("source")
    return RawArticle(
        source=named_source if isinstance(named_source, str) and named_source.strip() else source,
        location=where,
        source_id=None if obj.get("id") is None else str(obj["id"]),
        title=title.strip() if isinstance(title, str) and title.strip() else None,
        text=text,
        published_date=published,
        date_status=status,
        url=url if isinstance(url, str) and url.strip() else None,
    )


def iter_json_lines(content: str, source: str, location: str) -> Iterator[RawArticle | Reject]:
    """Yield one article or reject per non-blank line of a JSON Lines file; a bad line stops nothing."""
    for lineno, line in enumerate(split_lines(content), start=1):
        if not line.strip():
            continue
        where = f"{location}:{lineno}"
        size = len(line.encode("utf-8", "surrogatepass"))
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(source, where, "malformed_json", str(exc), size)
            continue
        yield article_from_object(obj, source, where, size)


def starts_as_utf8_text(path: Path, probe_bytes: int = 1 << 16) -> bool:
    """Return True when the start of `path` is UTF-8 text with no NUL byte (so it can be streamed line by line).

    Anything else (compressed, UTF-16, legacy encodings, unreadable) goes through the whole-file reader, which
    detects encodings and rejects binary data with its reason.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(probe_bytes)
    except OSError:
        return False
    if not head.strip() or b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def stream_json_lines(path: Path, source: str, location: str, max_line_bytes: int) -> Iterator[RawArticle | Reject]:
    """Yield one article or reject per non-blank line of a JSON Lines file, reading it line by line.

    A bulk export may hold any number of articles, so the size cap applies to each line (one article), not to
    the file, and memory stays bounded by the longest accepted line. JSON Lines is UTF-8 by definition: a
    line that is not is rejected on its own.
    """
    with path.open("rb") as handle:
        lineno = given = 0
        while True:
            raw = handle.readline(max_line_bytes + 1)
            if not raw:
                if given == 0:  # only blank lines (or a byte-order mark): the file still counts as an input
                    size = handle.tell()
                    yield Reject(source, location, "empty", "the JSON Lines file holds no non-blank line", size)
                return
            lineno += 1
            where = f"{location}:{lineno}"
            if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
                given += 1
                size = len(raw) + _skip_rest_of_line(handle)
                yield Reject(source, where, "too_large", f"line longer than max_bytes={max_line_bytes}", size)
                continue
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            given += 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield reject_for(source, where, "encoding", f"a JSON Lines line that is not UTF-8: {exc}", raw)
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Reject(source, where, "malformed_json", str(exc), len(raw))
                continue
            yield article_from_object(obj, source, where, len(raw))


def _skip_rest_of_line(handle, chunk: int = 1 << 20) -> int:
    skipped = 0
    while True:
        part = handle.readline(chunk)
        skipped += len(part)
        if not part or part.endswith(b"\n"):
            return skipped


def iter_json_document(content: str, source: str, location: str) -> Iterator[RawArticle | Reject]:
    """Yield the articles of a JSON document holding one article object or an array of them.

    Array items are located as `location[i]` (0-based); a document that does not parse is one reject.
    """
    try:
        doc = json.loads(content)
    except json.JSONDecodeError as exc:
        yield Reject(source, location, "malformed_json", str(exc))
        return
    if isinstance(doc, list):
        if not doc:
            yield Reject(source, location, "no_text", "the JSON array is empty")
        for index, item in enumerate(doc):
            yield article_from_object(item, source, f"{location}[{index}]")
    else:
        yield article_from_object(doc, source, location)


def read_capped(path: Path, max_bytes: int) -> bytes | Reject:
    """Return the bytes of `path`, or a Reject when it cannot be read or is larger than `max_bytes`.

    Never reads more than max_bytes + 1 bytes, so a huge file costs no memory.
    """
    location = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return Reject("", location, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")
    if len(data) > max_bytes:
        try:
            size = path.stat().st_size
        except OSError:
            size = None
        return Reject("", location, "too_large", f"larger than max_bytes={max_bytes}", size)
    return data


def with_encoding_note(record: RawArticle | Reject, encoding: str) -> RawArticle | Reject:
    """Return the article with a note naming the encoding it was decoded from, when that was not UTF-8."""
    if isinstance(record, RawArticle) and encoding not in {"utf-8", "utf_8", "ascii"}:
        return dataclasses.replace(record, note=f"decoded from {encoding}")
    return record


def looks_like_json_lines(content: str) -> bool:
    """Return True when the first non-blank line parses as a JSON object."""
    line = first_nonblank_line(content).strip()
    if not line.startswith("{"):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def iter_text_records(content: str, suffix: str, source: str, location: str) -> Iterator[RawArticle | Reject]:
    """Yield the records of decoded text that is not markup: seed, JSON Lines, JSON document or plain text."""
    head = first_nonblank_line(content)
    if is_seed_header(head):
        yield parse_seed_text(content, source, location)
    elif suffix in {".jsonl", ".ndjson"} or looks_like_json_lines(content):
        yield from iter_json_lines(content, source, location)
    elif suffix == ".json" or head.lstrip().startswith(("[", "{")) and _parses_as_json(content):
        yield from iter_json_document(content, source, location)
    else:
        yield parse_plain_text(content, source, location)


def _parses_as_json(content: str) -> bool:
    try:
        json.loads(content)
    except json.JSONDecodeError:
        return False
    return True
