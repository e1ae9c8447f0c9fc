"""Feed sources through iter_source against a local server: linked pages, fallbacks, conditional GET."""

from __future__ import annotations

import json
from datetime import date

import pytest

from assets.sources import RawArticle, Reject, SourceSpec, count_inputs, iter_source, state_path
from assets.sources.records import DATE_OK, ORIGIN_FEED_ENTRY, ORIGIN_PAGE

PAGE = """<!DOCTYPE html><html><head><title>{title}</title>{meta}</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>
<p>{para} The district office gave the figures at a briefing on Thursday morning.</p>
<p>Officials said further updates would follow once the survey teams had returned from the valley.</p>
</article></body></html>"""

NAV_ONLY = "<html><head><title>Index</title></head><body><nav><a href='/'>Home</a></nav></body></html>"


def item(guid: str, link: str, pub: str | None, summary: str | None) -> str:
    parts = [f"<item><title>Entry {guid}</title><guid>{guid}</guid><link>{link}</link>"]
    if pub:
        parts.append(f"<pubDate>{pub}</pubDate>")
    if summary:
        parts.append(f"<description>{summary}</description>")
    parts.append("</item>")
    return "".join(parts)


def rss(*items: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local Wire</title>'
        "<link>http://127.0.0.1/</link><description>test feed</description>"
        + "".join(items)
        + "</channel></rss>"
    )


@pytest.fixture
def wire(server, closed_port_url):
    """A feed on the local server linking to a good page, a 404, a page without text, a dead port, more."""
    server.add(
        "/pages/ok.html",
        PAGE.format(
            title="Survey counts displaced families", meta="", para="Surveyors counted 640 families."
        ),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    server.add(
        "/pages/dated.html",
        PAGE.format(
            title="Dated page",
            meta='<meta property="article:published_time" content="2025-06-07">',
            para="Teams repaired 12 water points.",
        ),
    )
    server.add(
        "/pages/latin1.html",
        PAGE.format(title="Caf\u00e9 page", meta="", para="The caf\u00e9 fed 90 people.").encode("latin-1"),
        headers={"Content-Type": "text/html; charset=ISO-8859-1"},
    )
    server.add("/pages/empty.html", NAV_ONLY)
    feed = rss(
        item("E-1", server.url("/pages/ok.html"), "Mon, 02 Jun 2025 09:00:00 GMT", "Short summary one."),
        item(
            "E-2", server.url("/pages/missing.html"), "Tue, 03 Jun 2025 09:00:00 GMT", "Summary kept for two."
        ),
        item(
            "E-3", server.url("/pages/empty.html"), "Wed, 04 Jun 2025 09:00:00 GMT", "Summary kept for three."
        ),
        item("E-4", closed_port_url, "Thu, 05 Jun 2025 09:00:00 GMT", None),
        item("E-5", server.url("/pages/dated.html"), None, "Summary five."),
        item("E-6", server.url("/pages/latin1.html"), "Fri, 06 Jun 2025 09:00:00 GMT", None),
    )
    return server.add("/feed.xml", feed, etag='"feed-v1"', headers={"Content-Type": "application/rss+xml"})


def spec_for(url: str, **kwargs) -> SourceSpec:
    return SourceSpec(name="wire", kind="feed", url=url, timeout=2.0, retries=1, **kwargs)


def test_linked_pages_are_fetched_and_fall_back_to_the_entry(server, wire, tmp_path, no_sleep):
    records = list(
        iter_source(
            spec_for(server.url("/feed.xml"), fetch_linked=True),
            root=tmp_path,
            state_dir=tmp_path,
            sleep=no_sleep,
        )
    )
    # feedparser resolves a relative guid against the feed URL: key by its last segment
    by_id = {r.location.rsplit("/", 1)[1]: r for r in records}
    assert sorted(by_id) == ["E-1", "E-2", "E-3", "E-4", "E-5", "E-6"]
    ok = by_id["E-1"]
    assert isinstance(ok, RawArticle) and ok.text_origin == ORIGIN_PAGE
    assert "640 families" in ok.text and "Home" not in ok.text
    assert (ok.title, ok.published_date, ok.url) == (
        "Entry E-1",
        date(2025, 6, 2),
        server.url("/pages/ok.html"),
    )
    assert ok.location == server.url("/feed.xml") + "#" + server.url("/E-1")

    missing = by_id["E-2"]
    assert missing.text_origin == ORIGIN_FEED_ENTRY and missing.text == "Summary kept for two."
    assert "http_error" in missing.note and "404" in missing.note

    empty = by_id["E-3"]
    assert empty.text == "Summary kept for three." and "no_article_text" in empty.note

    dead = by_id["E-4"]
    assert isinstance(dead, Reject) and dead.reason == "no_text" and "unreachable" in dead.detail

    dated = by_id["E-5"]
    assert (dated.published_date, dated.date_status) == (date(2025, 6, 7), DATE_OK)  # the entry had none

    latin1 = by_id["E-6"]
    assert "café fed 90 people" in latin1.text

    counts = count_inputs(records)
    assert (counts.articles, counts.rejects, counts.inputs) == (5, 1, 6)
    page_requests = server.routes["/pages/ok.html"].seen_headers
    assert "Tally" in page_requests[0]["user-agent"]


def test_without_fetch_linked_no_page_is_requested(server, wire, tmp_path, no_sleep):
    records = list(
        iter_source(spec_for(server.url("/feed.xml")), root=tmp_path, state_dir=tmp_path, sleep=no_sleep)
    )
    assert server.routes["/pages/ok.html"].hits == 0
    assert [type(r).__name__ for r in records] == ["RawArticle"] * 3 + ["Reject", "RawArticle", "Reject"]
    assert all(r.text_origin == ORIGIN_FEED_ENTRY for r in records if isinstance(r, RawArticle))


def test_second_fetch_gets_304_and_yields_nothing(server, wire, tmp_path, no_sleep):
    spec = spec_for(server.url("/feed.xml"))
    first = list(iter_source(spec, root=tmp_path, state_dir=tmp_path / "state", sleep=no_sleep))
    assert len(first) == 6
    saved = json.loads(state_path(spec, tmp_path / "state").read_text())
    assert saved["urls"][server.url("/feed.xml")]["etag"] == '"feed-v1"'
    second = list(iter_source(spec, root=tmp_path, state_dir=tmp_path / "state", sleep=no_sleep))
    assert second == []
    assert wire.hits == 2
    assert wire.seen_headers[1]["if-none-match"] == '"feed-v1"'


def test_last_modified_alone_drives_the_conditional_get(server, tmp_path, no_sleep):
    route = server.add(
        "/lm.xml",
        rss(item("L-1", "http://127.0.0.1/x", None, "Text.")),
        last_modified="Mon, 02 Jun 2025 09:00:00 GMT",
    )
    spec = spec_for(server.url("/lm.xml"))
    assert len(list(iter_source(spec, root=tmp_path, state_dir=tmp_path, sleep=no_sleep))) == 1
    assert list(iter_source(spec, root=tmp_path, state_dir=tmp_path, sleep=no_sleep)) == []
    assert route.seen_headers[1]["if-modified-since"] == "Mon, 02 Jun 2025 09:00:00 GMT"


def test_state_is_saved_only_after_every_record_was_consumed(server, wire, tmp_path, no_sleep):
    spec = spec_for(server.url("/feed.xml"))
    records = iter_source(spec, root=tmp_path, state_dir=tmp_path, sleep=no_sleep)
    next(records)
    records.close()  # the caller died after one record
    assert not state_path(spec, tmp_path).exists()
    assert len(list(iter_source(spec, root=tmp_path, state_dir=tmp_path, sleep=no_sleep))) == 6


@pytest.mark.parametrize(
    ("path", "route", "reason"),
    [
        ("/page.html", {"body": NAV_ONLY}, "not_a_feed"),
        ("/garbage.xml", {"body": "<?xml version='1.0'?><rss><channel><item>"}, "not_a_feed"),
        ("/empty.xml", {"body": rss()}, "empty_feed"),
        ("/binary.xml", {"body": b"\x89PNG\r\n\x1a\n\x00\x00"}, "binary"),
        ("/gone.xml", {"status": 404}, "http_error"),
        ("/down.xml", {"fail_first": 99}, "http_error"),
        ("/hang.xml", {"block": True}, "timeout"),
        (
            "/huge.xml",
            {"body": rss(*[item(str(n), "http://127.0.0.1/", None, "x" * 100) for n in range(100)])},
            "too_large",
        ),
    ],
)
def test_feed_urls_that_give_no_entries_are_one_reject(
    server, tmp_path, sleeps, no_sleep, path, route, reason
):
    server.add(path, **route)
    spec = SourceSpec(name="wire", kind="feed", url=server.url(path), timeout=0.3, retries=1, max_bytes=5000)
    [record] = iter_source(spec, root=tmp_path, state_dir=tmp_path, sleep=no_sleep)
    assert isinstance(record, Reject)
    assert (record.reason, record.source, record.location) == (reason, "wire", server.url(path))


def test_unreachable_feed_url(closed_port_url, tmp_path, sleeps, no_sleep):
    spec = SourceSpec(name="wire", kind="feed", url=closed_port_url, retries=2)
    [record] = iter_source(spec, root=tmp_path, state_dir=tmp_path, sleep=no_sleep)
    assert record.reason == "unreachable" and record.location == closed_port_url
    assert sleeps == [0.5, 1.0]


def test_feed_file_with_fetch_linked_reads_the_pages(server, wire, tmp_path, no_sleep):
    (tmp_path / "wire.rss").write_bytes(wire.body)
    spec = SourceSpec(
        name="filefeed", kind="feed", path="wire.rss", fetch_linked=True, timeout=2.0, retries=0
    )
    records = list(iter_source(spec, root=tmp_path, state_dir=tmp_path, sleep=no_sleep))
    assert records[0].location == "wire.rss#E-1" and records[0].text_origin == ORIGIN_PAGE
    assert count_inputs(records).inputs == 6


def test_disabled_source_yields_nothing_and_fetches_nothing(server, wire, tmp_path, no_sleep):
    spec = spec_for(server.url("/feed.xml"), enabled=False)
    assert list(iter_source(spec, root=tmp_path, state_dir=tmp_path, sleep=no_sleep)) == []
    assert wire.hits == 0
