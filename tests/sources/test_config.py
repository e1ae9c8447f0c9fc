"""pipelines/sources.toml: the shipped file, the defaults, and clear errors for bad configs."""

from __future__ import annotations

from pathlib import Path

import pytest

from assets.sources import ConfigError, SourceSpec, default_sources, load_sources

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    return path


def test_shipped_config_reads_seeds_and_inbox():
    specs = load_sources(REPO / "pipelines" / "sources.toml")
    assert [(s.name, s.kind, s.path, s.recursive, s.enabled) for s in specs] == [
        ("seeds", "folder", "seeds", False, True),
        ("inbox", "folder", "data/inbox", True, True),
        ("samples", "folder", "seeds/samples", False, False),
    ]
    assert all(s.max_bytes == 5_000_000 and s.retries == 3 for s in specs)


def test_no_sources_table_means_the_defaults(tmp_path):
    assert load_sources(write(tmp_path, "[defaults]\ntimeout = 5\n")) == default_sources()


def test_full_config_with_defaults_and_overrides(tmp_path):
    path = write(
        tmp_path,
        """
[defaults]
max_bytes = 1000
timeout = 5
retries = 1

[[sources]]
name = "docs"
kind = "folder"
path = "in"
patterns = ["*.txt", "*.jsonl"]
recursive = true

[[sources]]
name = "one"
kind = "file"
path = "a/b.html"
max_bytes = 2000

[[sources]]
name = "wire"
kind = "feed"
url = "https://news.example.org/rss.xml"
fetch_linked = true
retries = 0
enabled = false

[[sources]]
name = "local.feed"
kind = "feed"
path = "feeds/x.atom"
""",
    )
    docs, one, wire, local = load_sources(path)
    assert docs == SourceSpec(
        name="docs",
        kind="folder",
        path="in",
        patterns=("*.txt", "*.jsonl"),
        recursive=True,
        max_bytes=1000,
        timeout=5.0,
        retries=1,
    )
    assert one.max_bytes == 2000 and one.patterns == ("*",)
    assert (wire.url, wire.fetch_linked, wire.retries, wire.enabled) == (
        "https://news.example.org/rss.xml",
        True,
        0,
        False,
    )
    assert (local.path, local.url, local.fetch_linked) == ("feeds/x.atom", None, False)


BASE = '[[sources]]\nname = "s"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("this is = = not toml", "not valid TOML"),
        ('[sourcez]\nname = "x"', "unknown top-level key"),
        ("[defaults]\nmax_byte = 3", "unknown key"),
        ("sources = 3", "array of tables"),
        ('[[sources]]\nkind = "folder"\npath = "x"', "'name'"),
        ('[[sources]]\nname = "a b"\nkind = "folder"\npath = "x"', "'name'"),
        (BASE + 'kind = "ftp"\npath = "x"', "'kind'"),
        (BASE + 'kind = "folder"', "needs 'path'"),
        (BASE + 'kind = "folder"\npath = "x"\nurl = "https://a.example/"', "needs 'path' and no 'url'"),
        (BASE + 'kind = "feed"', "exactly one of 'url' or 'path'"),
        (BASE + 'kind = "feed"\nurl = "ftp://a.example/feed"', "not http or https"),
        (BASE + 'kind = "feed"\nurl = "https:///nohost"', "no host"),
        (BASE + 'kind = "folder"\npath = "x"\npatterns = "*.txt"', "'patterns'"),
        (BASE + 'kind = "folder"\npath = "x"\npatterns = []', "'patterns'"),
        (BASE + 'kind = "file"\npath = "x"\npatterns = ["*"]', "only applies to folder"),
        (BASE + 'kind = "file"\npath = "x"\nfetch_linked = true', "only applies to feed"),
        (BASE + 'kind = "folder"\npath = "x"\nrecursive = "yes"', "true or false"),
        (BASE + 'kind = "folder"\npath = "x"\nmax_bytes = 0', "positive integer"),
        (BASE + 'kind = "folder"\npath = "x"\nmax_bytes = true', "positive integer"),
        (BASE + 'kind = "folder"\npath = "x"\ntimeout = -1', "seconds"),
        (BASE + 'kind = "folder"\npath = "x"\nretries = 11', "'retries'"),
        (BASE + 'kind = "folder"\npath = "x"\nenabled = 1', "true or false"),
        (BASE + 'kind = "folder"\npath = "x"\ncolour = "red"', "unknown key"),
        (
            BASE + 'kind = "folder"\npath = "x"\n' + BASE + 'kind = "file"\npath = "y"',
            "duplicate source name",
        ),
    ],
)
def test_bad_config_raises_a_clear_error(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message) as info:
        load_sources(write(tmp_path, text))
    assert str(tmp_path / "sources.toml") in str(info.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_sources(tmp_path / "absent.toml")
