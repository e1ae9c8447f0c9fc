"""The one Dagster Definitions of Tally: assets by stage, resources, the job, the schedule and the inbox sensor."""

from __future__ import annotations

import dagster as dg

from assets.claims import claims
from assets.extract import extract_figures_asset
from assets.ingest import ingest_articles
from assets.publish import snapshot, tally_duckdb
from pipelines.jobs import inbox_job, tally_job
from pipelines.resources import resources_for
from pipelines.schedules import daily_schedule
from pipelines.sensors import inbox_sensor

defs = dg.Definitions(
    assets=[ingest_articles, extract_figures_asset, claims, tally_duckdb, snapshot],
    jobs=[tally_job, inbox_job],
    schedules=[daily_schedule],
    sensors=[inbox_sensor],
    resources=resources_for(),
)
