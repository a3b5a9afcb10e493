"""Report section: the data behind the evaluation.

Returns read, validation problems by rule, journeys derived and records left out (with reasons),
the registry used (milestone, bed-in) and the data cut: what a referee checks first.
"""
from __future__ import annotations

import pandas as pd

from ..section import NotComputable

KEY = "data"
TITLE = "Data"
DEFAULTS: dict = {}


def build(ctx, section) -> None:
    files = ctx.returns.files
    section.text(
        ("Synthetic England: generated returns with a known RAA effect (seed "
         f"{ctx.config['synthetic']['seed']}, scale {ctx.config['synthetic']['scale']})."
         if ctx.is_synthetic else f"SSDA903 returns: {len(files)} files read.")
        + f" Exposure starts at the RAA's {ctx.milestone.replace('_', ' ')} plus a bed-in of {ctx.bed_in_days} days.")
    _returns(ctx, section, files)
    _problems(ctx, section)
    _journeys(ctx, section)
    _registry(ctx, section)


def _returns(ctx, section, files: pd.DataFrame) -> None:
    # Counted from the file list, not by turning millions of rows into DataFrames.
    superseded = {k.lower(): int(v) for k, v in ctx.returns.superseded.items()}
    rows = files.groupby("table").agg(files=("path", "size"), rows_read=("rows", "sum"),
                                      las=("la", "nunique")).reset_index()
    key = rows["table"].str.lower().str.replace("placedadoption", "placed_adoption")
    rows["superseded_rows_dropped"] = [superseded.get(k, 0) for k in key]
    rows["rows_kept"] = rows["rows_read"] - rows["superseded_rows_dropped"]
    section.table("returns", rows, "Files and rows read per table; rows a later return repeats are dropped")
    section.number("files", int(len(files)))
    section.number("rows_kept", {str(t): int(n) for t, n in zip(rows["table"], rows["rows_kept"])})
    section.number("collection_years", sorted(int(y) for y in pd.unique(files["year"])))
    section.number("las_in_returns", int(files["la"].nunique()))
    if ctx.returns.skipped_files:
        section.note(f"{len(ctx.returns.skipped_files)} CSV files found but not used (tables the library does not read).")


def _problems(ctx, section) -> None:
    p = ctx.problems
    section.number("problems", int(len(p)))
    if p.empty:
        section.text("Validation found no problems.")
        return
    by_rule = p.groupby(["severity", "table", "rule"]).size().rename("rows").reset_index()
    by_rule = by_rule.sort_values(["severity", "rows"], ascending=[True, False])
    section.table("validation_by_rule", by_rule, "Validation problems by rule (errors leave the child's records out)")
    section.number("problems_by_severity", {str(k): int(v) for k, v in p["severity"].value_counts().items()})


def _journeys(ctx, section) -> None:
    j = ctx.journeys
    if len(j) == 0:
        raise NotComputable("no adoption journey could be derived from these returns "
                            "(no period of care reaches an ADM decision in valid records)")
    left = j.attrs.get("left_out")
    section.number("journeys", int(len(j)))
    section.number("children", int(j[["la", "child"]].drop_duplicates().shape[0]))
    section.number("cut_date", str(j.attrs.get("cut_date", ctx.cut_date or "")))
    reasons = left["reason"].astype(str) if left is not None else pd.Series([], dtype=str)
    repeats = int(reasons.str.startswith("superseded").sum())
    broken = int(len(reasons)) - repeats
    section.number("records_left_out", broken)
    section.number("records_superseded", repeats)
    section.text(f"{len(j):,} adoption journeys derived (one per period of care reaching an ADM decision). "
                 f"{repeats:,} records repeat a later return and were superseded by it (by design); "
                 f"{broken:,} records were left out because they break a rule (reasons below).")
    if len(reasons):
        reasons = left.groupby("reason").size().rename("records").reset_index().sort_values("records", ascending=False)
        section.table("left_out", reasons, "Records left out of journey derivation, by reason")
    outcome = pd.DataFrame({
        "stage": ["ADM decision", "placement order", "match", "placed for adoption", "adoption order"],
        "journeys": [len(j), int(j["po_date"].notna().sum()), int(j["match_date"].notna().sum()),
                     int(j["placed_date"].notna().sum()), int(j["order_date"].notna().sum())],
    })
    section.table("stages", outcome, "Journeys reaching each stage by the data cut")


def _registry(ctx, section) -> None:
    reg = ctx.registry
    m = reg.milestones
    members = reg.memberships
    raas = reg.raas
    live = m.loc[m["kind"] == ctx.milestone]
    if live.empty:
        raise NotComputable(f"the registry has no `{ctx.milestone}` milestone for any RAA")
    in_returns = set(ctx.journeys["la"].astype(str))
    count = members.loc[members["la_code"].astype(str).isin(in_returns)].groupby("raa_id").size()
    t = raas[["raa_id", "name", "model"]].merge(
        live[["raa_id", "date", "precision", "confidence"]].rename(columns={"date": ctx.milestone}), on="raa_id", how="left")
    t["las_in_returns"] = t["raa_id"].map(count).fillna(0).astype(int)
    t = t.sort_values([ctx.milestone, "raa_id"])
    section.table("registry", t, f"RAAs, their {ctx.milestone.replace('_', ' ')} and the LAs of the returns in each")
    if not (t["las_in_returns"] > 0).any():
        raise NotComputable("the registry matches no LA in the returns (check the LA codes: DfE three-digit codes)")
    section.number("raas_with_las", int((t["las_in_returns"] > 0).sum()))
