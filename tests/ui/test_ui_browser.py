"""The Dagster UI as a person sees it: `tally ui` over a populated DAGSTER_HOME, opened in headless Chromium.

The pipeline runs once over the seeds into a temporary DAGSTER_HOME and data folder; `tally ui` then serves them
on 127.0.0.1 and Debian's Chromium, driven by Playwright, checks the asset graph, the catalog, the figures page
(its latest materialization and chart) and the automation pages. GraphQL backs up what the pages show.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import dagster as dg
import pytest

from pipelines.runner import materialize_all
from tests.child_signals import default_signals
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
START_TIMEOUT_S = 180  # `dagster dev` starts a webserver, a daemon and a code server on two cores
PAGE_TIMEOUT_MS = 60_000


SHARDED = {"figures", "figure_rejects"}  # partitioned by article shard


def unavailable(what: str) -> None:
    """Fail in CI (CI=true: .ci/run installs everything the test needs), skip on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{what}; .ci/run should have installed it")
    pytest.skip(what)


def expected_assets() -> dict[str, str]:
    """Return every asset of the Definitions by name, with its group: the UI must show exactly these."""
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    return {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(base: str, query: str) -> dict:
    """Return the `data` of a GraphQL query against the webserver at `base` (raises on transport errors)."""
    request = urllib.request.Request(
        f"{base}/graphql", data=json.dumps({"query": query}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
    assert "errors" not in body, body
    return body["data"]


def asset_names_served(base: str) -> set[str] | None:
    """Return the asset names the webserver serves, or None while it (or its code location) is not up yet."""
    try:
        nodes = graphql(base, "{ assetNodes { assetKey { path } } }")["assetNodes"]
    except (urllib.error.URLError, ConnectionError, TimeoutError, AssertionError, KeyError, TypeError):
        return None
    return {"/".join(node["assetKey"]["path"]) for node in nodes} or None


def wait_until_serving(base: str, server: subprocess.Popen, log: Path, expected: set[str]) -> None:
    """Return once `base` serves every expected asset; fail if the server dies or the deadline passes."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"tally ui exited with {server.returncode}:\n{log.read_text()[-4000:]}")
        served = asset_names_served(base)
        if served is not None and expected <= served:
            return
        time.sleep(0.5)  # poll interval, not synchronisation: the condition above is what we wait for
    pytest.fail(f"tally ui did not serve {sorted(expected)} within {START_TIMEOUT_S}s:\n{log.read_text()[-4000:]}")


def stop(server: subprocess.Popen) -> None:
    """Stop `tally ui` and every process it started (its process group) as Ctrl-C would; SIGKILL what is left."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # children that outlived `dagster dev`, if any
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def populated(tmp_path_factory):
    """Run the pipeline over the seeds into a fresh DAGSTER_HOME; return (home, data folder, run id)."""
    root = tmp_path_factory.mktemp("ui")
    home, data = root / "dagster_home", root / "data"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        with dg.DagsterInstance.get() as instance:
            result = materialize_all(data, [SEEDS], instance=instance, log_level="WARNING")
    assert result.success
    return home, data, result.run_id


@pytest.fixture(scope="module")
def ui(populated, tmp_path_factory):
    """Start `tally ui` on a free port of 127.0.0.1 over the populated home; return its base URL."""
    home, data, _ = populated
    port = free_port()
    log = tmp_path_factory.mktemp("ui_log") / "tally-ui.log"
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "TALLY_DATA_DIR": str(data),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",  # `dagster` of this venv
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "pipelines.cli", "ui", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so stop() ends the webserver, daemon and code server
            preexec_fn=default_signals,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, server, log, set(expected_assets()))
        graphql(base, "mutation { setNuxSeen }")  # the community pop-up would cover the pages
        yield base
    finally:
        stop(server)


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    """Return a headless Debian Chromium context with a fresh profile and no background networking."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium_profile")),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 900},
        )
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        expect.set_options(timeout=PAGE_TIMEOUT_MS)  # the UI fills in statuses after the page loads, on 2 cores
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context):
    """Return a new tab, closed after the test."""
    tab = browser_context.new_page()
    yield tab
    tab.close()


def test_the_asset_graph_of_each_group_shows_its_assets(ui, page, tmp_path):
    from playwright.sync_api import expect

    assets = expected_assets()
    for group in sorted(set(assets.values())):
        page.goto(f"{ui}/locations/tally/asset-groups/{group}")
        graph = page.locator("svg foreignObject")
        members = sorted(a for a, g in assets.items() if g == group)
        for name in members:
            expect(graph.get_by_text(name, exact=True).first).to_be_visible()
        # each node of the group (not its neighbours, drawn as links) shows its latest materialization: an
        # unpartitioned one says "Materialized", a sharded one (figures, figure_rejects) that all shards are filled
        partitioned = [name for name in members if name in SHARDED]
        expect(graph.get_by_text("Materialized", exact=True)).to_have_count(len(members) - len(partitioned))
        expect(graph.get_by_text("100% filled", exact=True)).to_have_count(len(partitioned))
        page.screenshot(path=tmp_path / f"graph-{group}.png")


def test_the_catalog_lists_every_asset_as_materialized(ui, page, populated):
    from playwright.sync_api import expect

    _, _, run_id = populated
    page.goto(f"{ui}/assets")
    for name in expected_assets():
        expect(page.locator(f'a[href="/assets/{name}"]').first).to_be_visible()
    # an unpartitioned asset links its latest run; a sharded one shows its shards' status instead
    expect(page.locator(f'a[href^="/runs/{run_id}"]')).to_have_count(len(expected_assets()) - len(SHARDED))
    expect(page.get_by_text("16 partitions", exact=True)).to_have_count(len(SHARDED))


def test_the_figures_page_shows_its_latest_materialization_and_chart(ui, page, populated, tmp_path):
    from playwright.sync_api import expect

    _, _, run_id = populated
    page.goto(f"{ui}/assets/figures")
    expect(page.get_by_text("Latest materialization")).to_be_visible()
    expect(page.locator(f'a[href^="/runs/{run_id}"]').first).to_be_visible()
    metadata = page.locator("tr", has=page.get_by_text("new_figures", exact=True))
    expect(metadata.get_by_text("7", exact=True)).to_be_visible()
    page.screenshot(path=tmp_path / "figures.png", full_page=True)

    page.locator("tr", has=page.get_by_text("figures_over_time", exact=True)).get_by_text("[Show Markdown]").click()
    chart = page.locator('img[src^="data:image/png;base64,"]')
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.naturalWidth") > 300  # the PNG decoded, not a broken-image icon
    page.screenshot(path=tmp_path / "figures-chart.png", animations="disabled")

    latest = graphql(
        ui, '{ assetOrError(assetKey: {path: ["figures"]}) { ... on Asset { assetMaterializations(limit: 1) '
        "{ runId metadataEntries { label } } } } }",
    )["assetOrError"]["assetMaterializations"][0]
    assert latest["runId"] == run_id
    labels = {entry["label"] for entry in latest["metadataEntries"]}
    assert {"dagster/row_count", "new_figures", "preview", "figures_over_time"} <= labels


def test_the_job_schedule_and_sensor_can_be_started_from_the_ui(ui, page, tmp_path):
    from playwright.sync_api import expect

    page.goto(f"{ui}/locations/tally/jobs/tally_job")
    expect(page.get_by_text("Materialize all").first).to_be_visible()
    page.goto(f"{ui}/automation")
    for name in ("daily_tally", "inbox_sensor"):
        expect(page.get_by_text(name, exact=True).first).to_be_visible()
    # both are on by default, and their switches (the only checked boxes on the page) can turn them off
    expect(page.locator('input[type="checkbox"]:checked:enabled')).to_have_count(2)
    page.screenshot(path=tmp_path / "automation.png")
