"""Stage `publish`: DuckDB views over the warehouse, and an immutable Parquet snapshot with its manifest."""


import dagster as dg

from assets.datacard import data_card
from assets.resources import WRITER_POOL, TallyStore
from assets.snapshots import publish_snapshot, verify_snapshot
from assets.views import publish_views
from extractors import EXTRACTOR_VERSION
from schemas import TABLE_MODELS

GROUP = "publish"
CHECK_SNAPSHOT_INTACT = "snapshot_checksums_match"


@dg.asset(
    name="tally_duckdb",
    group_name=GROUP,
    deps=["articles", "article_rejects", "figures", "figure_rejects", "claims"],
    description="data/tally.duckdb: views over the Parquet warehouse (articles, figures, rejects, claims) and "
    "analytic views (latest_figures, exchanges, daily_figures, disputes, running_totals). Open it read-only with "
    "DuckDB or `tally query`.",
    kinds={"duckdb"},
    owners=["team:tally"],
    pool=WRITER_POOL,
)
def tally_duckdb(context: dg.AssetExecutionContext, store: TallyStore) -> dg.MaterializeResult:
    """Rebuild the views file and swap it in atomically."""
    tables = {name: store.table(name) for name in TABLE_MODELS}
    with store.writing():
        views = publish_views(store.duckdb_path, tables, EXTRACTOR_VERSION)
        # Only once the views name the current version are the superseded versions' parts unreachable.
        dropped = [p for t in tables.values() for p in t.drop_parts_without("extractor_version", EXTRACTOR_VERSION)]
    context.log.info(f"{store.duckdb_path}: {len(views)} views; {len(dropped)} superseded parts removed")
    return dg.MaterializeResult(
        metadata={"path": str(store.duckdb_path), "views": ", ".join(views), "superseded_parts_removed": len(dropped)}
    )


@dg.asset(
    name="snapshot",
    group_name=GROUP,
    deps=["tally_duckdb"],
    description="data/snapshots/<version>/: one zstd Parquet file per table, manifest.json (rows, bytes, sha256, "
    "schema per file) and a data card; data/snapshots/LATEST names the newest and is written last.",
    kinds={"parquet"},
    owners=["team:tally"],
    pool=WRITER_POOL,
    check_specs=[dg.AssetCheckSpec(CHECK_SNAPSHOT_INTACT, asset="snapshot", description="files match manifest.json")],
)
def snapshot(context: dg.AssetExecutionContext, store: TallyStore):
    """Publish a new snapshot when the tables changed since the latest one."""
    with store.writing():
        result = publish_snapshot(
            store.duckdb_path,
            store.snapshots_dir,
            EXTRACTOR_VERSION,
            lambda version: data_card(version, EXTRACTOR_VERSION),
            keep=store.keep_snapshots,
            data_root=store.root,
        )
    context.log.info(f"snapshot {result.version} ({'new' if result.created else 'unchanged'})")
    problems = verify_snapshot(store.snapshots_dir, result.version)
    rows = {table: entry["rows"] for table, entry in result.manifest["tables"].items()}
    yield dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows.get("figures", 0),
            "version": result.version,
            "created": result.created,
            "path": str(result.path),
            **{f"rows_{table}": n for table, n in rows.items()},
        }
    )
    yield dg.AssetCheckResult(
        check_name=CHECK_SNAPSHOT_INTACT, passed=not problems, metadata={"problems": "\n".join(problems) or "none"}
    )
