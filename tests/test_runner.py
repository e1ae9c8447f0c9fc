"""Runs started together on a new DAGSTER_HOME: the instance's tables are created once, by whichever comes first."""

import os
import subprocess
import sys

from tests.conftest import ROOT

OPEN_INSTANCE = "from pipelines.runner import home_instance\nhome_instance()\nprint('opened')\n"


def test_processes_opening_a_new_dagster_home_together_all_succeed(tmp_path):
    for attempt in range(4):  # each attempt a new home, so every pair races to create the tables
        home = tmp_path / f"home{attempt}"
        home.mkdir()
        env = {**os.environ, "DAGSTER_HOME": str(home)}
        procs = [subprocess.Popen([sys.executable, "-c", OPEN_INSTANCE], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
        results = [p.communicate(timeout=120) for p in procs]
        for proc, (out, err) in zip(procs, results, strict=True):
            assert proc.returncode == 0 and out.strip() == "opened", err[-2000:]
        assert (home / "history" / "runs.db").exists()
