"""Schedules: the pipeline runs every day unattended."""

import dagster as dg

from pipelines.jobs import tally_job

daily_schedule = dg.ScheduleDefinition(
    name="daily_tally",
    job=tally_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Read every source (folders and feeds) each morning at 06:00 UTC.",
)
