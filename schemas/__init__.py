"""pandera contracts of every Tally table, and helpers to validate and type them."""

from schemas.arrow import arrow_schema
from schemas.articles import ArticleRejectSchema, ArticleSchema
from schemas.claims import ClaimSchema
from schemas.figures import ExtractionSchema, FigureRejectSchema, FigureSchema
from schemas.validation import Validated, validate_rows, validated

TABLE_MODELS = {
    "articles": ArticleSchema,
    "article_rejects": ArticleRejectSchema,
    "figures": FigureSchema,
    "figure_rejects": FigureRejectSchema,
    "extractions": ExtractionSchema,
    "claims": ClaimSchema,
}

__all__ = [
    "TABLE_MODELS",
    "ArticleRejectSchema",
    "ArticleSchema",
    "ClaimSchema",
    "ExtractionSchema",
    "FigureRejectSchema",
    "FigureSchema",
    "Validated",
    "arrow_schema",
    "validate_rows",
    "validated",
]
