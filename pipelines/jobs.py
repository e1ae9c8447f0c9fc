"""Jobs: the whole pipeline (daily, with a snapshot), and the quick path new inbox files take (no snapshot)."""

import dagster as dg

tally_job = dg.define_asset_job(
    "tally_job",
    selection=dg.AssetSelection.all(),
    description="Ingest every source, extract figures from new articles, group claims, refresh the DuckDB views, "
    "publish a snapshot.",
)

# A snapshot re-exports every table, so its cost grows with the warehouse; files dropped into the inbox should
# reach the views in seconds, and the daily run publishes the snapshot.
inbox_job = dg.define_asset_job(
    "inbox_job",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("snapshot"),
    description="Ingest, extract, group claims and refresh the DuckDB views; no snapshot (the daily run makes it).",
)
