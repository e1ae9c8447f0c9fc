"""Tally's orchestration layer: Definitions, resources by deployment, jobs, schedules, sensors and the CLI."""
