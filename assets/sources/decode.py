"""Bytes to text: tell binary from text, honour byte-order marks, and detect legacy encodings."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

# Longest BOMs first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Signatures of common binary formats that may land in an inbox; some carry no NUL byte in their first
# kilobytes.
_MAGIC = (
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx)"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "ELF executable"),
)

# Share of control characters (other than tab, newline, carriage return, form feed) above which decoded "text"
# is taken for binary data that happened to decode.
_MAX_CONTROL_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with the encoding used."""

    text: str
    encoding: str


@dataclass(frozen=True, slots=True)
class Undecodable:
    """Why bytes could not be decoded: a reject reason code and a human detail."""

    reason: str
    detail: str


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    controls = sum(1 for ch in sample if ch not in "\t\n\r\f" and unicodedata.category(ch) == "Cc")
    return controls / len(sample)


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded | Undecodable:
    """Return the text of `data` and its encoding, or why it is not readable text.

    Order: empty check, byte-order mark, binary signatures and NUL bytes, the `declared` charset (e.g. from a
    Content-Type header) when it decodes cleanly, strict UTF-8, then charset-normalizer's detection. A reason
    is returned only when no encoding fits ("encoding") or the bytes are not text ("empty", "binary").
    """
    if not data.strip():
        return Undecodable("empty", "the input holds no text")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                return Undecodable(
                    "encoding", f"starts with a {codec} byte-order mark but does not decode: {exc}"
                )
            return _checked(text, codec)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return Undecodable("binary", f"the input is {what}")
    if b"\x00" in data:
        return Undecodable("binary", "the input holds NUL bytes")
    if declared:
        try:
            return _checked(data.decode(declared), codecs.lookup(declared).name)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration is common; fall back to detection
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = str(exc)
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return Undecodable("encoding", f"not UTF-8 ({utf8_error}) and no encoding could be detected")
    return _checked(str(best), best.encoding)


def _checked(text: str, encoding: str) -> Decoded | Undecodable:
    if not text.strip():
        return Undecodable("empty", "the input holds only white space")
    share = _control_share(text)
    if share > _MAX_CONTROL_SHARE:
        return Undecodable("binary", f"{share:.0%} of the characters are control characters")
    return Decoded(text, encoding)
