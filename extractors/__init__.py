"""Tally's rule engine: article text in, people-figures out.

Pure Python over strings: no Dagster and no pandas here. The lexicon lives in extractors/lexicon/.
"""

from extractors.engine import EXTRACTOR_VERSION, extract_figures
from extractors.figure import CATEGORIES, FIGURE_FIELDS, MODALITIES, QUALIFIERS, Figure

__all__ = [
    "CATEGORIES",
    "EXTRACTOR_VERSION",
    "FIGURE_FIELDS",
    "MODALITIES",
    "QUALIFIERS",
    "Figure",
    "extract_figures",
]
