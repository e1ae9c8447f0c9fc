"""Extraction shards: articles split by the first hex digit of their article_id, so extraction can run in parallel.

article_id is the first 16 hex digits of the content's sha256, so the 16 shards are evenly filled and an article
never changes shard. A run of one shard (or of a range of shards) extracts the pending articles of those shards
only; the parts it writes are named by their content, so shards running at the same time never collide.
"""

from collections.abc import Sequence

import dagster as dg
import pyarrow.compute as pc

SHARD_KEYS = list("0123456789abcdef")
shards_def = dg.StaticPartitionsDefinition(SHARD_KEYS)

# Run tags that make one run cover every shard: how `tally run`, the schedule and the sensor extract everything
# in one run (the same tags a single-run backfill over all shards carries).
ALL_SHARDS_TAGS = {
    "dagster/asset_partition_range_start": SHARD_KEYS[0],
    "dagster/asset_partition_range_end": SHARD_KEYS[-1],
}


def shard_filter(shards: Sequence[str]):
    """Return an Arrow filter on article_id matching the articles of `shards` (None when that is every shard)."""
    wanted = sorted(set(shards))
    unknown = set(wanted) - set(SHARD_KEYS)
    if unknown:
        raise ValueError(f"unknown shards {sorted(unknown)}; shards are {SHARD_KEYS}")
    if wanted == SHARD_KEYS:
        return None
    flt = None
    for shard in wanted:
        one = pc.starts_with(pc.field("article_id"), shard)
        flt = one if flt is None else flt | one
    return flt


def shard_of(article_id: str) -> str:
    """Return the shard of an article."""
    return article_id[:1]
