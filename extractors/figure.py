"""The Figure record: one number of people stated in an article (see FIGURES.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

CATEGORIES = (
    "troops_deployed",
    "killed",
    "wounded",
    "casualties",
    "missing",
    "captured",
    "prisoners_exchanged",
    "remains_exchanged",
)
QUALIFIERS = ("exact", "approximate", "more_than", "at_least", "at_most", "nearly", "range", "vague")
MODALITIES = ("asserted", "planned", "hypothetical")
FIELDS_OF_ARTICLE = ("text", "title")


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of an article, with its evidence.

    `char_start`/`char_end` index the article's `text` (or its `title` when `field == "title"`),
    so that slicing it returns `text`. `mentions` counts how often the article states the same
    (category, value); the row keeps the first mention in the body, else the title.
    """

    category: str
    value: int
    value_low: int | None
    value_high: int | None
    qualifier: str
    vague_term: str | None
    party: str | None
    actor: str | None
    claimant: str | None
    location: str | None
    modality: str
    cumulative: bool
    text: str
    char_start: int
    char_end: int
    sentence: str
    rule: str
    field: str = "text"
    mentions: int = 1

    def to_dict(self) -> dict:
        """Return the figure as a plain dict, keys in declaration order."""
        return asdict(self)


FIGURE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Figure))
