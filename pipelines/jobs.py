"""Jobs: the whole pipeline, ingest to snapshot."""

import dagster as dg

tally_job = dg.define_asset_job(
    "tally_job",
    selection=dg.AssetSelection.all(),
    description="Ingest every source, extract figures from new articles, refresh the DuckDB views, publish a snapshot.",
)
