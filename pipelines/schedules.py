"""Schedules: the pipeline runs every day unattended."""

import dagster as dg

from assets.shards import ALL_SHARDS_TAGS
from pipelines.jobs import tally_job


@dg.schedule(
    name="daily_tally",
    job=tally_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Read every source (folders and feeds) each morning at 06:00 UTC.",
)
def daily_schedule(context: dg.ScheduleEvaluationContext):
    """Request one run over every extraction shard, so each morning extracts every pending article.

    The shard range is given as run tags (a definition's own tags may not use Dagster's reserved prefix).
    """
    return dg.RunRequest(tags=ALL_SHARDS_TAGS)
