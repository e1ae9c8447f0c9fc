"""The sources config (pipelines/sources.toml): which folders, files and feeds to read, and their limits."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assets.sources.http import check_url

KINDS = ("folder", "file", "feed")
DEFAULT_PATTERNS = ("*",)
DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRIES = 3
MAX_RETRIES = 10
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

_OPTION_KEYS = {"max_bytes", "timeout", "retries", "enabled"}
_SOURCE_KEYS = _OPTION_KEYS | {"name", "kind", "path", "url", "patterns", "recursive", "fetch_linked"}


class ConfigError(ValueError):
    """The sources config is missing, not TOML, or wrong; the message says where and why."""


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One source to read: a folder of files, a single file, or a feed (by URL or file path)."""

    name: str
    kind: str
    path: str | None = None
    url: str | None = None
    patterns: tuple[str, ...] = DEFAULT_PATTERNS
    recursive: bool = False
    fetch_linked: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    enabled: bool = True


def default_sources() -> list[SourceSpec]:
    """Return the sources used when nothing else is configured: seeds/ (top level only) and data/inbox/."""
    return [
        SourceSpec(name="seeds", kind="folder", path="seeds"),
        SourceSpec(name="inbox", kind="folder", path="data/inbox", recursive=True),
    ]


def load_sources(path: Path | str) -> list[SourceSpec]:
    """Return the sources listed in the TOML file at `path`, in file order (disabled ones included).

    Raises ConfigError naming the file, the source and the key for a missing file, bad TOML, an unknown key,
    a wrong type or value, or a duplicate name. A file with no [[sources]] gives default_sources().
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: the sources config does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the sources config: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return parse_sources(raw, where=str(path))


def parse_sources(raw: dict[str, Any], *, where: str = "sources config") -> list[SourceSpec]:
    """Return the sources described by an already-parsed config mapping (see load_sources)."""
    unknown = set(raw) - {"defaults", "sources"}
    if unknown:
        raise ConfigError(
            f"{where}: unknown top-level key(s) {sorted(unknown)}; expected [defaults] and [[sources]]"
        )
    defaults = raw.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ConfigError(f"{where}: [defaults] must be a table")
    bad = set(defaults) - _OPTION_KEYS
    if bad:
        raise ConfigError(
            f"{where}: [defaults] has unknown key(s) {sorted(bad)}; allowed: {sorted(_OPTION_KEYS)}"
        )
    entries = raw.get("sources")
    if entries is None:
        return default_sources()
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(f"{where}: 'sources' must be an array of tables ([[sources]])")
    specs: list[SourceSpec] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        spec = _spec(entry, defaults, f"{where}: sources[{index}]")
        if spec.name in seen:
            raise ConfigError(f"{where}: sources[{index}]: duplicate source name {spec.name!r}")
        seen.add(spec.name)
        specs.append(spec)
    return specs


def _spec(entry: dict[str, Any], defaults: dict[str, Any], where: str) -> SourceSpec:
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"{where}: 'name' must be 1-64 letters, digits, '_', '.', '-' (got {name!r})")
    where = f"{where} ({name!r})"
    unknown = set(entry) - _SOURCE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_SOURCE_KEYS)}")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise ConfigError(f"{where}: 'kind' must be one of {list(KINDS)} (got {kind!r})")
    merged = {**defaults, **entry}
    path = _opt_str(merged, "path", where)
    url = _opt_str(merged, "url", where)
    if kind in {"folder", "file"}:
        if path is None or url is not None:
            raise ConfigError(f"{where}: a {kind} source needs 'path' and no 'url'")
    elif (path is None) == (url is None):
        raise ConfigError(f"{where}: a feed source needs exactly one of 'url' or 'path'")
    if url is not None:
        problem = check_url(url)
        if problem:
            raise ConfigError(f"{where}: 'url' {url!r}: {problem}")
    patterns = merged.get("patterns", list(DEFAULT_PATTERNS))
    if kind != "folder" and "patterns" in entry:
        raise ConfigError(f"{where}: 'patterns' only applies to folder sources")
    if (
        not isinstance(patterns, list)
        or not patterns
        or not all(isinstance(p, str) and p.strip() for p in patterns)
    ):
        raise ConfigError(f"{where}: 'patterns' must be a non-empty list of glob strings (got {patterns!r})")
    if kind != "folder" and "recursive" in entry:
        raise ConfigError(f"{where}: 'recursive' only applies to folder sources")
    if kind != "feed" and "fetch_linked" in entry:
        raise ConfigError(f"{where}: 'fetch_linked' only applies to feed sources")
    return SourceSpec(
        name=name,
        kind=kind,
        path=path,
        url=url,
        patterns=tuple(patterns),
        recursive=_bool(merged, "recursive", False, where),
        fetch_linked=_bool(merged, "fetch_linked", False, where),
        max_bytes=_positive_int(merged, "max_bytes", DEFAULT_MAX_BYTES, where),
        timeout=_positive_float(merged, "timeout", DEFAULT_TIMEOUT, where),
        retries=_retries(merged, where),
        enabled=_bool(merged, "enabled", True, where),
    )


def _opt_str(values: dict[str, Any], key: str, where: str) -> str | None:
    value = values.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key!r} must be a non-empty string (got {value!r})")
    return value.strip()


def _bool(values: dict[str, Any], key: str, default: bool, where: str) -> bool:
    value = values.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {key!r} must be true or false (got {value!r})")
    return value


def _positive_int(values: dict[str, Any], key: str, default: int, where: str) -> int:
    value = values.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{where}: {key!r} must be a positive integer (got {value!r})")
    return value


def _positive_float(values: dict[str, Any], key: str, default: float, where: str) -> float:
    value = values.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 600:
        raise ConfigError(f"{where}: {key!r} must be a number of seconds in (0, 600] (got {value!r})")
    return float(value)


def _retries(values: dict[str, Any], where: str) -> int:
    value = values.get("retries", DEFAULT_RETRIES)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RETRIES:
        raise ConfigError(f"{where}: 'retries' must be an integer from 0 to {MAX_RETRIES} (got {value!r})")
    return value
