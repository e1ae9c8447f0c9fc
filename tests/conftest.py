"""Shared fixtures: the project's paths, and the seed article's expected figures (FIGURES.md)."""

import os
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests draw the same examples every run, so a landing never hangs on a lucky draw; locally
# they explore new ones (and remember failures in .hypothesis/).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_410c8fd8b902e478.txt"

# FIGURES.md, "The seed article, figure by figure": (category, value, low, high, qualifier, party, actor, modality)
SEED_FIGURES = {
    ("troops_deployed", 2000, 2000, 9999, "vague", "North Korea", "North Korea", "planned"),
    ("troops_deployed", 1000, 1000, 1000, "exact", "North Korea", "North Korea", "planned"),
    ("troops_deployed", 5000, 5000, 5000, "exact", "North Korea", "North Korea", "planned"),
    ("casualties", 76000, 76000, None, "more_than", "Ukraine", None, "asserted"),
    ("remains_exchanged", 6060, 6060, 6060, "exact", "Ukraine", "Russia", "asserted"),
    ("remains_exchanged", 78, 78, 78, "exact", "Russia", "Ukraine", "asserted"),
    ("remains_exchanged", 1248, 1248, 1248, "exact", "Ukraine", "Russia", "planned"),
}


@pytest.fixture
def seed_file() -> Path:
    return SEED_FILE
