"""Stage `analyze`: group figures that state the same thing into claims (the rules are in docs/CLAIMS.md).

One ministry statement becomes forty articles; a claim is that one statement, with how many articles and
outlets repeated it, when, and the earliest evidence. The grouping is a pure function of the figures and the
articles' outlets, so a re-run over the same figures yields the same claims and claim_ids.
"""


import dataclasses
import json
import os

import dagster as dg
import pandas as pd
import pyarrow.compute as pc

from assets import claim_shards as shards
from assets.grouping import (  # noqa: F401 (compatible, membership_problems: the grouping's API, used from here)
    GROUPING_COLUMNS,
    GroupingRules,
    bucket_of,
    compatible,
    group_claims,
    membership_problems,
    name_key,
)
from assets.memory import release_freed_memory
from assets.metadata import column_schema, markdown_table
from assets.resources import WRITER_POOL, TallyStore
from assets.storage import EMPTY_PART
from extractors import EXTRACTOR_VERSION
from schemas.claims import ClaimSchema

GROUP = "analyze"
CHECK_ONE_CLAIM_PER_FIGURE = "every_figure_in_one_claim"
CHECK_CLAIMS_CONTRACT = "claims_contract"
PREVIEW_COLUMNS = ["category", "value", "party", "claimant", "first_reported", "n_articles", "n_sources"]

class ClaimsConfig(dg.Config):
    """Run config of the `claims` asset (see docs/CLAIMS.md)."""

    window_days: int = 14
    group_undated: bool = False
    match_location: bool = True
    min_value_without_context: int = 50

    def rules(self) -> GroupingRules:
        """Return the grouping rules this config sets."""
        return GroupingRules(
            self.window_days, self.group_undated, self.match_location, self.min_value_without_context
        )


def _current_figures(store: TallyStore, version: str, flt=None) -> pd.DataFrame:
    version_filter = pc.field("extractor_version") == version
    return store.table("figures").read(
        columns=GROUPING_COLUMNS, filter=version_filter if flt is None else version_filter & flt
    )


def _with_evidence_sentences(store: TallyStore, claims_df: pd.DataFrame, version: str) -> pd.DataFrame:
    """Return `claims_df` with evidence_sentence filled from the figures table where grouping left it empty."""
    missing = claims_df["evidence_sentence"].isna()
    if not missing.any():
        return claims_df
    ids = sorted(set(claims_df.loc[missing, "evidence_figure_id"]))
    flt = (pc.field("extractor_version") == version) & pc.field("figure_id").isin(ids)
    found = store.table("figures").read(columns=["figure_id", "sentence"], filter=flt)
    sentences = dict(zip(found["figure_id"], found["sentence"], strict=True))
    filled = claims_df["evidence_figure_id"].map(sentences)
    return claims_df.assign(evidence_sentence=claims_df["evidence_sentence"].where(~missing, filled))


def _rules_key(rules: GroupingRules, version: str) -> str:
    return json.dumps({"rules": dataclasses.asdict(rules), "extractor_version": version}, sort_keys=True)


OUTLET_COLUMNS = ["article_id", "source", "url"]  # what grouping reads of an article: its outlet


def _outlets(store: TallyStore, article_ids) -> pd.DataFrame:
    """Return article_id, source and url of the articles of `article_ids`."""
    flt = pc.field("article_id").isin(sorted(set(article_ids)))
    return store.table("articles").read(columns=OUTLET_COLUMNS, filter=flt)


def refresh_claims(store: TallyStore, rules: GroupingRules, version: str) -> shards.ShardWrite:
    """Bring the stored claims up to date with the current figures; return what was written.

    Only the buckets that figures of new parts fall into are regrouped (their shards rewritten). Everything is
    regrouped, one shard at a time, when there are no stored claims yet, the rules or extractor version
    changed, or a figure part the claims were grouped from is gone.
    """
    figures_table, claims_table = store.table("figures"), store.table("claims")
    claims_table.ensure()
    key = _rules_key(rules, version)
    parts = shards.figure_part_names(figures_table)
    state = shards.GroupedState.load(claims_table)
    version_filter = pc.field("extractor_version") == version
    stale = (
        state is None
        or state.rules_key != key
        or not set(state.figure_parts) <= set(parts)
        or shards.stored_rules(claims_table) not in (key, None)
        or any(p.name not in (EMPTY_PART, shards.PART) for p in claims_table.parts())
    )
    if stale:
        workers = store.extract_workers or os.cpu_count() or 1
        result = shards.regroup_all(
            figures_table, claims_table, [*GROUPING_COLUMNS, "sentence"], version_filter,
            store.table("articles").read_table(columns=OUTLET_COLUMNS), rules, key, workers=workers,
        )
    else:
        new_parts = sorted(set(parts) - set(state.figure_parts))
        if not new_parts:
            result = shards.ShardWrite("unchanged")
        else:
            new = shards.read_parts(figures_table, new_parts, GROUPING_COLUMNS, version_filter)
            touched = {bucket_of(r) for r in new.assign(party_key=[name_key(p) for p in new["party"]])
                       .itertuples(index=False)}
            in_touched_values = pc.field("category").isin(sorted({b[0] for b in touched})) & pc.field(
                "value").isin(sorted({b[1] for b in touched}))
            candidates = _current_figures(store, version, in_touched_values)
            candidates = candidates.assign(party_key=[name_key(p) for p in candidates["party"]])
            candidates = candidates[[bucket_of(r) in touched for r in candidates.itertuples(index=False)]]
            grouped = group_claims(candidates.drop(columns=["party_key"]),
                                   _outlets(store, candidates["article_id"]), rules)
            regrouped = _with_evidence_sentences(store, grouped, version)
            result = shards.replace_buckets(claims_table, candidates, regrouped, touched, key)
    if result.mode != "full":
        result.figures = figures_table.count(filter=version_filter)
    result.stored = shards.stored_claims(claims_table, PREVIEW_COLUMNS)
    if result.members != result.figures:
        result.problems.append(f"the claims hold {result.members} figures, the figures table {result.figures}")
    if result.mode != "unchanged":
        shards.GroupedState(key, parts).save(claims_table)
    return result


@dg.asset(
    name="claims",
    group_name=GROUP,
    deps=["figures", "articles"],
    metadata={"dagster/column_schema": column_schema(ClaimSchema)},
    description="Figures of different articles that state the same thing (same category, value, party and "
    "modality, compatible claimant, within a window of publication dates), one row per claim: first and last "
    "reported, articles, outlets, member figure_ids and the earliest evidence. Rules: docs/CLAIMS.md.",
    kinds={"python", "parquet"},
    owners=["team:tally"],
    check_specs=[
        dg.AssetCheckSpec(CHECK_ONE_CLAIM_PER_FIGURE, asset="claims",
                          description="every current figure is a member of exactly one claim"),
        dg.AssetCheckSpec(CHECK_CLAIMS_CONTRACT, asset="claims", description="the stored table meets ClaimSchema"),
    ],
    pool=WRITER_POOL,
)
def claims(context: dg.AssetExecutionContext, config: ClaimsConfig, store: TallyStore):
    """Bring the claims up to date with the current figures, regrouping only the buckets new figures touch."""
    version, rules = EXTRACTOR_VERSION, config.rules()
    with store.writing():
        result = refresh_claims(store, rules, version)
    release_freed_memory()
    # what was grouped now was validated before writing; the kept claims passed the contract when they were written
    stored = result.stored
    rows = stored.rows
    context.log.info(
        f"claims: {result.figures} figures in {rows} claims ({result.mode}; {len(result.shards_written)} of "
        f"{shards.SHARDS} shards rewritten; window {rules.window_days} days)"
    )
    yield dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "figures": result.figures,
            "refresh": result.mode,
            "shards_rewritten": len(result.shards_written),
            "claims_grouped_now": result.claims_grouped,
            "window_days": rules.window_days,
            "group_undated": rules.group_undated,
            "multi_article_claims": stored.multi_article,
            "preview": dg.MetadataValue.md(markdown_table(stored.top)),
        }
    )
    yield dg.AssetCheckResult(
        check_name=CHECK_ONE_CLAIM_PER_FIGURE, passed=not result.problems,
        metadata={"problems": "\n".join(result.problems) or "none", "figures": result.figures,
                  "claim_members": result.members},
    )
    sample = pd.concat(result.failure_sample).head(10) if result.failure_sample else pd.DataFrame()
    yield dg.AssetCheckResult(
        check_name=CHECK_CLAIMS_CONTRACT, passed=result.contract_failures == 0,
        metadata={"failed_claims": result.contract_failures, "checked_claims": result.claims_grouped,
                  "sample": dg.MetadataValue.md(markdown_table(sample)) if len(sample) else "none"},
    )
