"""How figures become claims: the grouping rules of docs/CLAIMS.md as plain functions over data frames.

No Dagster here, so that worker processes can import it quickly (a full regrouping runs in a process pool).
"""

import functools
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlparse

import pandas as pd

from schemas.claims import ClaimSchema

# Word forms that name the same country or office, so that "Russian Defence Ministry" and
# "Russia's Ministry of Defense" normalise to the same key.
_SYNONYMS = {
    "russian": "russia", "ukrainian": "ukraine", "israeli": "israel", "palestinian": "palestine",
    "american": "us", "usa": "us", "korean": "korea", "iranian": "iran", "syrian": "syria",
    "lebanese": "lebanon", "belarusian": "belarus", "british": "uk", "defence": "defense",
    "mod": "defense ministry", "moh": "health ministry", "idf": "israel", "kyiv": "ukraine", "moscow": "russia",
    "kremlin": "russia", "houthis": "houthi", "chinese": "china", "polish": "poland", "french": "france",
    "german": "germany", "yemeni": "yemen",
}
# Words that name a side: two claimants that name the same side(s) are compatible however they are worded.
SIDES = {
    "russia", "ukraine", "israel", "palestine", "hamas", "hezbollah", "houthi", "us", "uk", "northkorea",
    "southkorea", "iran", "syria", "lebanon", "belarus", "china", "poland", "france", "germany", "yemen", "gaza",
}
_STOPWORDS = {"the", "of", "s", "and", "for", "in", "a", "an", "its", "said", "says", "according", "to"}
_PHRASES = [(re.compile(p), r) for p, r in [
    (r"\bu\.\s?s\.?(?=\s|$)", "us "), (r"\bunited states\b", "us"), (r"\bu\.\s?k\.?(?=\s|$)", "uk "),
    (r"\bunited kingdom\b", "uk"), (r"\bnorth korea\b", "northkorea"), (r"\bsouth korea\b", "southkorea"),
]]


@dataclass(frozen=True)
class GroupingRules:
    """The configurable part of the grouping: the date window, and what to do with undated figures."""

    window_days: int = 14
    group_undated: bool = False  # False: an undated figure is a claim of its own; True: undated ones group together
    match_location: bool = True  # figures that name places must name compatible ones ("Gaza" and "Gaza City")
    # a small number with no party, claimant or place ("3 killed") is too common to be the same event by value alone
    min_value_without_context: int = 50


def name_key(name: object) -> str | None:
    """Return a name (party or claimant) as a sorted set of normalised words joined by spaces; None when empty.

    Case, possessives, punctuation, word order, stopwords, defence/defense and demonyms do not matter.
    """
    if _missing(name):
        return None
    return _name_key(str(name))


def _missing(value: object) -> bool:
    """Return whether a cell is empty (None, NaN or NA); pd.isna costs ~5 us a call and this runs per figure."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


@functools.lru_cache(maxsize=65536)  # the same few hundred names recur across a whole warehouse
def _name_key(name: str) -> str | None:
    text = name.lower().replace("\u2019", "'")
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    text = re.sub(r"'s\b", "", text)
    words = set()
    for word in re.split(r"[^0-9a-z]+", text):
        if word and word not in _STOPWORDS:
            words.update(_SYNONYMS.get(word, word).split())
    return " ".join(sorted(words)) or None


def _more_precise(current: str | None, new: str | None) -> str | None:
    """Return `new` when its words strictly contain those of `current` (or `current` is unknown), else `current`."""
    if new is not None and (current is None or set(current.split()) < set(new.split())):
        return new
    return current


def places_compatible(a: str | None, b: str | None) -> bool:
    """Return whether two location keys may be the same place: either is unknown, or one's words contain the other's."""
    if a is None or b is None:
        return True
    wa, wb = set(a.split()), set(b.split())
    return wa <= wb or wb <= wa


def side_of(key: str | None) -> str | None:
    """Return the side words (SIDES) of a name key, sorted and joined by spaces; None when it names no side."""
    if key is None:
        return None
    return " ".join(sorted(set(key.split()) & SIDES)) or None


def compatible(a: str | None, b: str | None) -> bool:
    """Return whether two claimant keys may be the same claimant.

    They are when either is unknown, when one's words contain the other's ("russia" and "defense ministry
    russia"), or when both name the same side(s) ("coordination headquarters ukraine" and "officials ukraine").
    "russia" and "ukraine" are not.
    """
    if a is None or b is None:
        return True
    wa, wb = set(a.split()), set(b.split())
    if wa <= wb or wb <= wa:
        return True
    sa, sb = side_of(a), side_of(b)
    return sa is not None and sa == sb


def outlet(source: object, url: object) -> str:
    """Return the outlet of an article: the host of its URL without `www.`, else its source name."""
    if isinstance(url, str) and url:
        host = urlparse(url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return str(source) if isinstance(source, str) and source else "unknown"


def claim_id_for(category: str, value: int, party_key: str | None, modality: str, first_figure_id: str) -> str:
    """Return the claim's id: a hash of its key and its first member, stable across re-runs over the same figures."""
    key = "\x1f".join([category, str(int(value)), party_key or "", modality, first_figure_id])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass
class _Claim:
    """A claim being built: its members in the order they joined."""

    order: int
    dated: bool
    claimant_key: str | None
    location_key: str | None
    last: date | None
    rows: list = field(default_factory=list)
    articles: set = field(default_factory=set)

    def accepts(self, row, rules: GroupingRules) -> bool:
        """Return whether `row` (a figure, taken in date order) may join this claim."""
        if row.article_id in self.articles or not compatible(self.claimant_key, row.claimant_key):
            return False
        if rules.match_location and not places_compatible(self.location_key, row.location_key):
            return False
        if row.value < rules.min_value_without_context and not (self._has_context() and _has_context(row)):
            return False
        if row.published_date is None:
            return not self.dated and rules.group_undated
        return self.dated and (row.published_date - self.last).days <= rules.window_days

    def _has_context(self) -> bool:
        return _has_context(self.rows[0]) or self.claimant_key is not None or self.location_key is not None

    def add(self, row) -> None:
        self.rows.append(row)
        self.articles.add(row.article_id)
        if row.published_date is not None:
            self.last = row.published_date
        # the claim names its claimant and place as precisely as any member does
        self.claimant_key = _more_precise(self.claimant_key, row.claimant_key)
        self.location_key = _more_precise(self.location_key, row.location_key)


def _has_context(row) -> bool:
    """Return whether a figure says whose people, who claims it, or where (anything beyond its number)."""
    return row.party_key is not None or row.claimant_key is not None or row.location_key is not None


def _prepared(figures: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Return the figures with their outlet and normalised party/claimant keys, in grouping order."""
    outlets = pd.Series(
        [outlet(s, u) for s, u in zip(articles["source"], articles["url"], strict=True)],
        index=articles["article_id"].to_numpy(), dtype=object,
    )
    f = figures.copy()
    f["outlet"] = f["article_id"].map(outlets).fillna("unknown")
    f["party_key"] = [name_key(p) for p in f["party"]]
    f["claimant_key"] = [name_key(c) for c in f["claimant"]]
    f["location_key"] = [name_key(x) for x in f["location"]]
    dates = pd.to_datetime(f["published_date"], errors="coerce")
    f["published_date"] = [None if pd.isna(d) else d.date() for d in dates]
    f["_undated"] = dates.isna()
    f["_sort_date"] = dates
    f = f.sort_values(["_undated", "_sort_date", "figure_id"], kind="mergesort")
    return f.drop(columns=["_undated", "_sort_date"]).reset_index(drop=True)


def _group_bucket(rows: list, rules: GroupingRules) -> list[_Claim]:
    """Return the claims of one (category, value, party, modality) bucket, its figures given in date order.

    Only claims that can still accept a figure are searched: rows come in date order, so a claim whose last
    report is older than the window never accepts again, and a figure that may join nothing starts its own.
    That keeps a large bucket ("3 killed" across a year of news) linear rather than quadratic.
    """
    claims: list[_Claim] = []
    open_claims: list[_Claim] = []
    window = timedelta(days=rules.window_days)
    for row in rows:
        if row.published_date is not None:
            horizon = row.published_date - window
            open_claims = [c for c in open_claims if not c.dated or c.last >= horizon]
        loner = row.value < rules.min_value_without_context and not _has_context(row)
        candidates = [] if loner else [c for c in open_claims if c.accepts(row, rules)]
        if candidates:
            # the most recently reported claim is the nearest in time; ties go to the older claim
            best = max(candidates, key=lambda c: (c.last or date.min, -c.order))
        else:
            best = _Claim(order=len(claims), dated=row.published_date is not None, claimant_key=row.claimant_key,
                          location_key=row.location_key, last=row.published_date)
            claims.append(best)
            if not loner:
                open_claims.append(best)
        best.add(row)
    return claims


def _first_written(rows: list, attr: str, key: str | None) -> str | None:
    """Return the name as written by the earliest member whose key is `key` (else any member that names one)."""
    named = [r for r in rows if not _missing(getattr(r, attr))]
    exact = [r for r in named if getattr(r, f"{attr}_key") == key]
    pick = exact or named
    return getattr(pick[0], attr) if pick else None


def _claim_row(claim: _Claim, rules: GroupingRules) -> dict:
    rows = claim.rows
    first = rows[0]
    dated = [r.published_date for r in rows if r.published_date is not None]
    outlets = sorted({r.outlet for r in rows})
    return {
        "claim_id": claim_id_for(first.category, first.value, first.party_key, first.modality, first.figure_id),
        "category": first.category,
        "value": int(first.value),
        "qualifier": first.qualifier,
        "party": _first_written(rows, "party", first.party_key),
        "party_key": first.party_key,
        "claimant": _first_written(rows, "claimant", claim.claimant_key),
        "claimant_key": claim.claimant_key,
        "claimant_side": side_of(claim.claimant_key),
        "modality": first.modality,
        "cumulative": any(bool(r.cumulative) for r in rows),
        "first_reported": min(dated) if dated else None,
        "last_reported": max(dated) if dated else None,
        "n_figures": len(rows),
        "n_articles": len({r.article_id for r in rows}),
        "n_sources": len(outlets),
        "sources": "; ".join(outlets),
        "figure_ids": " ".join(r.figure_id for r in rows),
        "evidence_figure_id": first.figure_id,
        "evidence_article_id": first.article_id,
        "evidence_text": first.text,
        "evidence_sentence": getattr(first, "sentence", None),  # filled afterwards when not read
        "window_days": rules.window_days,
        "extractor_version": first.extractor_version,
    }


def group_claims(figures: pd.DataFrame, articles: pd.DataFrame, rules: GroupingRules | None = None) -> pd.DataFrame:
    """Return the claims of `figures` (FigureSchema rows), one row per claim, ordered by claim_id.

    `articles` gives each figure's outlet (columns article_id, source, url). Every figure is in exactly one
    claim. A figure joins the open claim of its (category, value, party, modality) bucket whose claimant is
    compatible, whose place is compatible (when `match_location`), that has no figure of the same article, and
    whose last report is at most `window_days` before it; otherwise it starts a new claim.
    """
    rules = rules or GroupingRules()
    columns = list(ClaimSchema.to_schema().columns)
    if figures.empty:
        return pd.DataFrame(columns=columns)
    prepared = _prepared(figures, articles)
    buckets: dict[tuple, list] = defaultdict(list)
    for row in prepared.itertuples(index=False):  # already in date order, so each bucket is too
        buckets[(row.category, row.value, row.party_key, row.modality)].append(row)
    out = [_claim_row(claim, rules) for rows in buckets.values() for claim in _group_bucket(rows, rules)]
    return pd.DataFrame(out, columns=columns).sort_values("claim_id").reset_index(drop=True)


def membership_problems(figure_ids: pd.Series, claims: pd.DataFrame) -> list[str]:
    """Return what breaks "every figure belongs to exactly one claim" (empty when it holds)."""
    members = pd.Series([fid for ids in claims["figure_ids"] for fid in ids.split(" ")], dtype=object)
    problems = []
    repeated = sorted(set(members[members.duplicated()]))
    if repeated:
        problems.append(f"{len(repeated)} figures in more than one claim, e.g. {repeated[:3]}")
    missing = sorted(set(figure_ids) - set(members))
    if missing:
        problems.append(f"{len(missing)} figures in no claim, e.g. {missing[:3]}")
    unknown = sorted(set(members) - set(figure_ids))
    if unknown:
        problems.append(f"{len(unknown)} claim members are not current figures, e.g. {unknown[:3]}")
    return problems


# What grouping reads of each figure; the sentences (the bulk of the bytes) are fetched for the evidence only.
GROUPING_COLUMNS = [
    "figure_id", "article_id", "published_date", "category", "value", "qualifier", "party", "claimant",
    "location", "modality", "cumulative", "text", "extractor_version",
]


def bucket_of(row) -> tuple:
    """Return the grouping bucket of a figure or claim row: figures only ever join claims of their bucket."""
    return (row.category, int(row.value), row.party_key, row.modality)
