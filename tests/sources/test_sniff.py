"""Format sniffing: content first, suffix only when content gives no sign."""

from __future__ import annotations

import pytest

from assets.sources import sniff_format


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        ('<?xml version="1.0"?><rss version="2.0"><channel/></rss>', ".txt", "feed"),
        ('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "", "feed"),
        ("<rdf:RDF xmlns:rdf='x'></rdf:RDF>", ".xml", "feed"),
        ("<!DOCTYPE html><html><body>x</body></html>", ".xml", "html"),
        ("\n\n  <html><head></head></html>", "", "html"),
        ('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"></html>', ".xhtml", "html"),
        ("<p>a fragment</p>", "", "html"),
        ('<?xml version="1.0"?><catalogue/>', "", "feed"),
        ("<weird>markup</weird>", ".rss", "feed"),
        ("<weird>markup</weird>", ".htm", "html"),
        ("date 2025-01-01 X\nTitle\nBody", ".html", "text"),
        ('{"id": 1, "text": "x"}', ".jsonl", "text"),
        ("plain words", ".rss", "feed"),
        ("plain words", ".html", "html"),
        ("plain words", ".txt", "text"),
        ('{"id": 1, "text": "x"}', ".xml", "text"),
        ("plain words", "", "text"),
    ],
)
def test_sniff_format(text, suffix, expected):
    assert sniff_format(text, suffix) == expected
