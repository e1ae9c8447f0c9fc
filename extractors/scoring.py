"""Scores extracted figures against hand-labelled gold (dev articles) and ACLED event notes.

Pure functions over dicts and Figures; no I/O. The rules: per article, the set of distinct (category, value)
pairs; a predicted pair matching a gold pair is a true positive, one matching no gold pair (optional ones
included) a false positive, a non-optional gold pair not predicted a false negative. Hypothetical predictions
are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from extractors.figure import CATEGORIES, Figure

Extractor = Callable[[str, "str | None"], list[Figure]]


@dataclass
class Counts:
    """True positives, false positives and false negatives, with precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Return tp / (tp + fp), 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Return tp / (tp + fn), 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Error:
    """One false positive or miss: article, pair, and the sentence (or gold evidence) that shows it."""

    article_id: str
    kind: str  # "fp" | "fn"
    category: str
    value: int
    evidence: str
    rule: str = ""


@dataclass
class AcledReport:
    """Agreement with ACLED's coded fatalities."""

    fatal: int = 0
    fatal_hit: int = 0
    fatal_stated: int = 0
    fatal_stated_hit: int = 0
    nonfatal: int = 0
    nonfatal_clean: int = 0
    misses: list[tuple[str, int, list[int], str]] = field(default_factory=list)

    @property
    def fatal_share(self) -> float:
        """Return the share of fatal events whose coded number is among the predicted killed values."""
        return self.fatal_hit / self.fatal if self.fatal else 1.0

    @property
    def fatal_stated_share(self) -> float:
        """Return that share restricted to notes whose text states the coded number."""
        return self.fatal_stated_hit / self.fatal_stated if self.fatal_stated else 1.0

    @property
    def nonfatal_share(self) -> float:
        """Return the share of non-fatal notes with no killed figure above zero."""
        return self.nonfatal_clean / self.nonfatal if self.nonfatal else 1.0


@dataclass
class Report:
    """Per-category and overall (micro) counts, the errors, and the ACLED agreement if scored."""

    per_category: dict[str, Counts]
    overall: Counts
    errors: list[Error]
    acled: AcledReport | None = None
    articles: int = 0


def _pairs(figures: Iterable[Figure]) -> dict[tuple[str, int], Figure]:
    out: dict[tuple[str, int], Figure] = {}
    for f in figures:
        if f.modality == "hypothetical":
            continue
        out.setdefault((f.category, f.value), f)
    return out


def score_article(
    article_id: str,
    gold_figures: list[dict],
    predicted: list[Figure],
    per_category: dict[str, Counts],
    errors: list[Error],
) -> None:
    """Add one article's TP/FP/FN to `per_category` and its errors to `errors`."""
    pred = _pairs(predicted)
    required: dict[tuple[str, int], dict] = {}
    any_gold: set[tuple[str, int]] = set()
    for g in gold_figures:
        key = (g["category"], int(g["value"]))
        any_gold.add(key)
        if not g.get("optional"):
            required.setdefault(key, g)
    for key, f in pred.items():
        counts = per_category.setdefault(key[0], Counts())
        if key in any_gold:
            if key in required:
                counts.tp += 1
        else:
            counts.fp += 1
            errors.append(Error(article_id, "fp", key[0], key[1], f.sentence, f.rule))
    for key, g in required.items():
        if key not in pred:
            per_category.setdefault(key[0], Counts()).fn += 1
            errors.append(Error(article_id, "fn", key[0], key[1], g.get("evidence", "")))


def evaluate(
    articles: Iterable[dict],
    gold: Iterable[dict],
    extract: Extractor | None = None,
    acled: Iterable[dict] | None = None,
) -> Report:
    """Return the Report of `extract` (default: extractors.extract_figures) on `articles` against `gold`.

    `articles` are dicts with id, title, text; `gold` dicts with id and figures; `acled` optional
    event notes with text and gold_fatalities.
    """
    if extract is None:
        from extractors import extract_figures as extract
    gold_by_id = {g["id"]: g.get("figures", []) for g in gold}
    per_category: dict[str, Counts] = {c: Counts() for c in CATEGORIES}
    errors: list[Error] = []
    n = 0
    for art in articles:
        if art["id"] not in gold_by_id:
            continue
        n += 1
        predicted = extract(art.get("text") or "", art.get("title"))
        score_article(art["id"], gold_by_id[art["id"]], predicted, per_category, errors)
    overall = Counts(
        sum(c.tp for c in per_category.values()),
        sum(c.fp for c in per_category.values()),
        sum(c.fn for c in per_category.values()),
    )
    report = Report(per_category, overall, errors, articles=n)
    if acled is not None:
        report.acled = score_acled(acled, extract)
    return report


_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
    13: "thirteen",
    14: "fourteen",
    15: "fifteen",
    16: "sixteen",
    17: "seventeen",
    18: "eighteen",
    19: "nineteen",
    20: "twenty",
    30: "thirty",
    40: "forty",
    50: "fifty",
    60: "sixty",
    70: "seventy",
    80: "eighty",
    90: "ninety",
}


def number_words(n: int) -> list[str]:
    """Return the ways a note may write `n`: its digits (with and without a thousands comma) and its words."""
    forms = [str(n), f"{n:,}"]
    if n in _WORDS:
        forms.append(_WORDS[n])
    elif 20 < n < 100:
        forms += [f"{_WORDS[n - n % 10]}-{_WORDS[n % 10]}", f"{_WORDS[n - n % 10]} {_WORDS[n % 10]}"]
    if n == 12:
        forms.append("dozen")
    return forms


def states_number(text: str, n: int) -> bool:
    """Return True when `text` writes the number `n` in digits or in words ("a soldier" does not state 1)."""
    for form in number_words(n):
        if re.search(
            r"(?<![\d,.])" + re.escape(form) + r"(?![\d]|,\d)",
            text,
            re.I if form.isalpha() or "-" in form or " " in form else 0,
        ):
            return True
    return False


def score_acled(notes: Iterable[dict], extract: Extractor) -> AcledReport:
    """Return agreement with ACLED: fatal events whose coded number is among the predicted killed values."""
    rep = AcledReport()
    for note in notes:
        text = note.get("text") or ""
        gold = int(note.get("gold_fatalities") or 0)
        killed = sorted(
            {
                f.value
                for f in extract(text, note.get("title"))
                if f.category == "killed" and f.modality != "hypothetical"
            }
        )
        if gold > 0:
            rep.fatal += 1
            hit = gold in killed
            rep.fatal_hit += hit
            if states_number(text, gold):
                rep.fatal_stated += 1
                rep.fatal_stated_hit += hit
                if not hit:
                    rep.misses.append((note.get("id", ""), gold, killed, text))
        else:
            rep.nonfatal += 1
            rep.nonfatal_clean += not any(v > 0 for v in killed)
    return rep


def format_report(report: Report, show_errors: bool = False, max_acled_misses: int = 40) -> str:
    """Return the report as text: a per-category P/R/F1 table, overall micro scores, errors, ACLED shares."""
    lines = [
        f"articles scored: {report.articles}",
        f"{'category':<22}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}",
    ]
    for cat, c in report.per_category.items():
        if c.tp + c.fp + c.fn == 0:
            continue
        lines.append(f"{cat:<22}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}")
    o = report.overall
    lines.append(
        f"{'OVERALL (micro)':<22}{o.tp:>5}{o.fp:>5}{o.fn:>5}{o.precision:>8.3f}{o.recall:>8.3f}{o.f1:>8.3f}"
    )
    if show_errors:
        for kind, label in (("fp", "FALSE POSITIVES"), ("fn", "MISSES")):
            errs = [e for e in report.errors if e.kind == kind]
            lines.append(f"\n{label} ({len(errs)})")
            for e in errs:
                rule = f" [{e.rule}]" if e.rule else ""
                lines.append(
                    f"  {e.article_id} {e.category}={e.value}{rule}: {' '.join(e.evidence.split())[:300]}"
                )
    if report.acled is not None:
        a = report.acled
        lines.append("\nACLED")
        lines.append(
            f"  fatal events, coded number among predicted killed: {a.fatal_hit}/{a.fatal} = "
            f"{a.fatal_share:.3f}"
        )
        lines.append(
            f"  ... where the note states that number:            {a.fatal_stated_hit}/{a.fatal_stated} = "
            f"{a.fatal_stated_share:.3f}"
        )
        lines.append(
            f"  non-fatal notes with no killed figure > 0:         {a.nonfatal_clean}/{a.nonfatal} = "
            f"{a.nonfatal_share:.3f}"
        )
        if show_errors and a.misses:
            lines.append(f"  stated misses ({len(a.misses)}):")
            for nid, g, k, t in a.misses[:max_acled_misses]:
                lines.append(f"    {nid} gold={g} predicted={k}: {' '.join(t.split())[:300]}")
    return "\n".join(lines)
