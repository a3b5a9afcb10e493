"""``raa-impact reproduce [--check]``: re-run the pinned reference results and the synthetic England
recovery study, and say whether every figure still stands.

Two kinds of figure, both read from ``data/reference/oracles.json`` (values are data, not code):

* **References** (the project's ``ORACLES.md``): the PSM figures on ``nsw_dw`` and MatchIt's
  ``lalonde`` (R Matching, MatchIt), the Sicily ITS figures (R ``glm``, ``sandwich``, ``nlme``),
  the mpdta Callaway–Sant'Anna tables (R ``did``; the CSV files beside the JSON), the bootstrap SE
  within 4% of the analytic one, and the published RAA business-case figures recomputed beside
  their printed values. Each has its tolerance (``abs``: ``|value − reference| ≤ tol``; ``rel``:
  ``|value − reference| ≤ tol·|reference|``; ``exact``; ``min``: ``value ≥ tol``). A printed
  figure that disagrees with its recomputation is shown with its passage: a finding about the
  publication, not a failure. Figures the Python API cannot reach are listed as ``n/a`` with the
  reason (they are tested in Rust) and do not fail.
* **Recovery** on synthetic England (default seed 0, scale 0.25), each estimate beside the truth
  the generator injected, checked twice:

  1. against the truth, as its ``truth_check`` says (``TRUTH_CHECKS``): the PSM same-month design
     (exact on placement-order month and harder-to-place, wait to any exit, RMST to 730 days;
     truth from the matched treated children's potential waits): its 95% CI covers the truth.
     The PSM within-LA design (exact on LA, PO → placed): not checked, shown, because within an
     LA it compares after-go-live children with earlier ones and carries the secular trend
     (``benches/results/psm_recovery.md``: coverage 29–78%). Controlled ITS per RAA (truth: the
     mean realised effect of the children behind its post-bed-in cells): the share of RAAs whose
     95% CI covers the truth is at least ``coverage_minimum`` (0.8). Callaway–Sant'Anna (simple
     ATT) and the multilevel ITS (level change), each against the same estimator applied to the
     cells' realised effects: ``|estimate − truth| ≤ 3 SE`` (CS's RAA-clustered intervals
     under-cover on synthetic England; the multilevel model has no coverage study there).
  2. against the estimate and truth pinned for the default seed and scale (``1e-6`` relative), so
     that any change in the numbers is caught. Another seed checks the truth only. The pins are
     regenerated, after a deliberate change, with ``--write-references FILE``.

Everything runs through the public API (``ri.match``, ``ri.its``, ``ri.att_gt``,
``ri.multilevel_its``, ``ri.scorecard``, ``ri.datasets``, ``ri.synthetic``).

>>> import raa_impact as ri
>>> from raa_impact.reproduce import reproduce
>>> r = reproduce(recovery=False, progress=False)
>>> r.ok
True
>>> bool((r.to_frame()["status"] == "ok").any())
True
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Union

import numpy as np
import pandas as pd

from ._errors import ArgumentError, RaaImpactError

REFERENCES = Path(__file__).parent / "data" / "reference" / "oracles.json"
DEFAULT_SEED = 0
RECOVERY_SCALE = 0.25
PIN_TOLERANCE = 1e-6

Values = Dict[str, float]
PathLike = Union[str, Path]


# --------------------------------------------------------------------------- references


def load_references(path: Optional[PathLike] = None) -> pd.DataFrame:
    """The reference figures of ``path`` (default: the packaged ``oracles.json``) as one row per
    figure, with the CSV tables it names expanded into one row per cell.

    >>> from raa_impact.reproduce import load_references
    >>> refs = load_references()
    >>> {"id", "reference", "tolerance", "kind", "source"} <= set(refs.columns)
    True
    """
    path = Path(path) if path is not None else REFERENCES
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ArgumentError(f"invalid argument `references`: cannot read {path} as JSON ({exc})") from exc
    rows = [dict(r) for r in spec.get("figures", [])]
    for table in spec.get("tables", []):
        rows.extend(_table_rows(path.parent / table["file"], table))
    frame = pd.DataFrame(rows).rename(columns={"value": "reference"})
    for col in ("printed", "passage", "unavailable"):
        if col not in frame.columns:
            frame[col] = None
    _check_references(frame, path)
    frame.attrs["recovery"] = spec.get("recovery", {})
    frame.attrs["published_inputs"] = spec.get("published_inputs", {})
    return frame


def _check_references(frame: pd.DataFrame, path: Path) -> None:
    for col in ("id", "section", "figure", "reference", "tolerance", "kind"):
        if col not in frame.columns or frame[col].isna().any():
            name = "value" if col == "reference" else col
            raise ArgumentError(f"invalid references {path}: every figure needs `{name}`")
    dup = frame["id"][frame["id"].duplicated()]
    if len(dup):
        raise ArgumentError(f"invalid references {path}: figure id {dup.iloc[0]!r} is listed twice")
    bad = set(frame["kind"]) - {"abs", "rel", "exact", "min"}
    if bad:
        raise ArgumentError(f"invalid references {path}: tolerance kind {sorted(bad)}, expected abs, rel, exact or min")


def _table_rows(file: Path, table: Dict[str, Any]) -> List[Dict[str, Any]]:
    """One figure per (row, value column) of an oracle CSV; rows whose values are all missing are
    skipped and rows repeated on the key are kept once (the aggregations repeat their overall)."""
    try:
        data = pd.read_csv(file)
    except OSError as exc:
        raise ArgumentError(f"invalid references: table {file} cannot be read ({exc}); keep the CSV files "
                            "beside the JSON") from exc
    keys: List[str] = list(table["key"])
    cols = list(table["values"])
    data = data.dropna(subset=cols, how="all")
    if keys:
        data = data.drop_duplicates(subset=keys)
    rows = []
    for _, r in data.iterrows():
        key = ",".join(f"{k}={_key(r[k])}" for k in keys)
        for col, tol in table["values"].items():
            if pd.isna(r[col]):
                continue
            fid = f"{table['id']}[{key}].{col}" if keys else f"{table['id']}.{col}"
            rows.append({"id": fid, "section": table["section"], "figure": f"{table['figure']} {key} {col}".strip(),
                         "value": float(r[col]), "tolerance": tol["tolerance"], "kind": tol["kind"],
                         "source": table["source"]})
    return rows


def _key(v: Any) -> str:
    return str(int(v)) if isinstance(v, (int, float, np.integer, np.floating)) and float(v).is_integer() else str(v)


# --------------------------------------------------------------------------- reference runs


def _psm_nsw() -> Values:
    import raa_impact as ri

    nsw = ri.datasets.nsw_dw()
    out: Values = {}
    # The balance table's before-matching raw difference of re78 is the difference in means
    # (matching on re78 itself only puts it in the table; "before" ignores the match).
    m = ri.match(nsw, "t", ["re78"], distance="ps")
    out["psm.nsw.difference_in_means"] = float(m.balance().loc["re78", "before_raw_diff"])
    # R Matching's Match() on covariates: ri.abadie_imbens.
    for key, covs in (("ai_ate_age", ["age"]), ("ai_ate_4cov", ["age", "educ", "re74", "re75"])):
        r = ri.abadie_imbens(nsw, "re78", "t", covs, estimand="ATE", sample=True)
        out[f"psm.nsw.{key}.estimate"], out[f"psm.nsw.{key}.se"] = r.estimate, r.se
    dw = ("t ~ age + I(age^2) + educ + I(educ^2) + black + hisp + married + nodegree + re74 + I(re74^2)"
          " + re75 + I(re75^2) + u74 + u75")
    m = ri.match(nsw, covariates=dw, distance="ps", replace=True, ties="all")
    e = m.effect("re78", se="ai")
    out["psm.nsw.dw_att.estimate"], out["psm.nsw.dw_att.se_ai"] = e.estimate, e.se
    # Match(Y, Tr, X = fitted score): the same estimator on the fitted probability as a covariate.
    scored = nsw.assign(ps=m.ps.to_numpy())
    out["psm.nsw.dw_att.se_naive"] = ri.abadie_imbens(scored, "re78", "t", ["ps"]).se_naive
    return out


def _psm_lalonde() -> Values:
    import raa_impact as ri

    lalonde = ri.datasets.lalonde()
    covs = ["age", "educ", "race", "married", "nodegree", "re74", "re75"]
    m = ri.match(lalonde, "treat", covs, distance="ps")
    means = m.balance()["after_mean_control"]
    out: Values = {f"psm.lalonde.mean.{k}": float(means[k]) for k in
                   ("distance", "age", "educ", "raceblack", "racehispan", "racewhite", "married", "nodegree",
                    "re74", "re75")}
    e = m.effect("re78")
    out["psm.lalonde.att"], out["psm.lalonde.att_se"] = e.estimate, e.se
    c = ri.match(lalonde, "treat", covs, distance="logit", caliper=0.2, caliper_scale="sd")
    e = c.effect("re78")
    out["psm.lalonde.caliper.n_matched"] = float(c.n_matched)
    out["psm.lalonde.caliper.att"], out["psm.lalonde.caliper.att_se"] = e.estimate, e.se
    return out


def _its_sicily() -> Values:
    import raa_impact as ri

    s = ri.datasets.sicily()
    s["rate"] = s["aces"] / s["stdpop"] * 1e5
    counts = dict(outcome="aces", time="time", interruption=37, exposure="stdpop", impact="step")
    season = {"column": "month", "period": 12, "harmonics": 2}
    out: Values = {}
    for name, kw in (("poisson", dict(family="poisson")), ("quasipoisson", dict(family="quasipoisson")),
                     ("seasonal", dict(family="quasipoisson", seasonality=season))):
        r = ri.its(s, **counts, **kw)
        step = r.coefficients().set_index("term").loc["step"]
        out.update({f"its.sicily.{name}.rr": step["ratio"], f"its.sicily.{name}.rr_low": step["ratio_low"],
                    f"its.sicily.{name}.rr_high": step["ratio_high"], f"its.sicily.{name}.dispersion": r.dispersion})
    # ORACLES' slope term is 1 at the first post-ban month: slope_origin=1.
    rate = dict(outcome="rate", time="time", interruption=37, slope_origin=1)
    for name, kw in (("newey_west", dict(errors="newey_west", lags=1)), ("ar1_ml", dict(errors="ar1", method="ml")),
                     ("ar1_reml", dict(errors="ar1", method="reml"))):
        r = ri.its(s, **rate, **kw)
        step = r.coefficients().set_index("term").loc["step"]
        out[f"its.sicily.{name}.step"], out[f"its.sicily.{name}.se"] = step["estimate"], step["se"]
        if r.ar1 is not None:
            out[f"its.sicily.{name}.phi"] = r.ar1
    return out


def _did_mpdta() -> Values:
    import raa_impact as ri

    d = ri.datasets.mpdta()
    kw = dict(outcome="lemp", unit="countyreal", time="year", group="first_treat", control_group="nevertreated")
    a = ri.att_gt(d, **kw)
    out: Values = {}
    for _, c in a.table().iterrows():
        key = f"did.mpdta.attgt[group={int(c['group'])},t={int(c['time'])}]"
        out[f"{key}.att"], out[f"{key}.se"] = c["att"], c["se"]
    for kind in ("simple", "group", "dynamic", "calendar"):
        res = a.aggregate(kind)
        out[f"did.mpdta.overall[type={kind}].overall_att"] = res.overall.estimate
        out[f"did.mpdta.overall[type={kind}].overall_se"] = res.overall.se
        if kind != "simple":
            f = res.to_frame()
            for _, c in f.iterrows():
                key = f"did.mpdta.aggte[type={kind},egt={int(c[f.columns[0]])}]"
                out[f"{key}.att_egt"], out[f"{key}.se_egt"] = c["estimate"], c["se"]
    p = a.pretest()
    out["did.mpdta.pretest.W"], out["did.mpdta.pretest.Wpval"] = p["W"], p["p_value"]
    b = ri.att_gt(d, **kw, bootstrap=20_000, seed=7, bootstrap_weights="rademacher")
    out["did.mpdta.bootstrap_se_ratio"] = b.aggregate("simple").overall.se / a.aggregate("simple").overall.se
    return out


def _one_child_per_la(las: List[Dict[str, Any]], period_end: str) -> pd.DataFrame:
    """Journeys of one child per LA adopted in the year to ``period_end`` with the printed A1 (entry →
    placed) and A2 (placement order → match) days, so that the scorecard's LA values are the
    printed ones."""
    order = pd.Timestamp(period_end) - pd.Timedelta(days=80)
    entry = order - pd.Timedelta(days=1000)
    po = entry + pd.Timedelta(days=150)
    rows = []
    for x in las:
        rows.append(dict(la=x["la"], child=f"{x['la']}-1", period=1, entry_date=entry, adm_date=entry, po_date=po,
                         match_date=po + pd.Timedelta(days=x["A2"]), placed_date=entry + pd.Timedelta(days=x["A1"]),
                         order_date=order, exit_date=order, exit_reason="E11", reversal_date=pd.NaT,
                         reversal_reason=None, cut_date=pd.Timestamp(period_end) + pd.Timedelta(days=365)))
    return pd.DataFrame(rows)


def _published(inputs: Dict[str, Any]) -> Values:
    """Bexley, Kent & Medway through ``ri.scorecard`` (LA values, the unweighted mean of LAs, the
    dated DfE threshold and the difference to it); Family Adoption Links' counts and shares."""
    import raa_impact as ri

    bkm = inputs["bexley_kent_medway"]
    j = _one_child_per_la(bkm["las"], bkm["period_end"])
    window = dict(period_end=bkm["period_end"], years=1)
    out: Values = {}
    for ind in ("A1", "A2"):
        by_la = ri.scorecard(j, ind, by="la", **window).set_index("la")
        region = ri.scorecard(j, ind, by=None, aggregation="mean_of_las", **window).iloc[0]
        low = ind.lower()
        for x in bkm["las"]:
            out[f"published.bkm.{low}.{x['name']}"] = by_la.loc[x["la"], "value"]
            out[f"published.bkm.{low}.diff.{x['name']}"] = by_la.loc[x["la"], "difference_to_threshold"]
        out[f"published.bkm.{low}.regional_average"] = region["value"]
        out[f"published.bkm.{low}.diff.regional_average"] = region["difference_to_threshold"]
        out[f"published.bkm.{low}.threshold"] = region["threshold"]
    out.update(_fal_shares(inputs["family_adoption_links"]))
    return out


def _fal_shares(fal: Dict[str, Any]) -> Values:
    """Counts and shares of the Family Adoption Links table (sums of printed counts)."""
    t = pd.DataFrame(fal["rows"], columns=["year", "la", "within_la", "inside_raa", "outside_raa", "total"])
    s = t[["within_la", "inside_raa", "outside_raa", "total"]].sum()
    total = float(s["total"])
    out: Values = {"published.fal.total": total, "published.fal.within_la": float(s["within_la"]),
                   "published.fal.inside_raa": float(s["inside_raa"]),
                   "published.fal.outside_raa": float(s["outside_raa"]),
                   "published.fal.outside_la": float(s["inside_raa"] + s["outside_raa"])}
    out["published.fal.within_la_pct"] = 100.0 * out["published.fal.within_la"] / total
    out["published.fal.inside_raa_pct"] = 100.0 * out["published.fal.inside_raa"] / total
    out["published.fal.outside_la_pct"] = 100.0 * out["published.fal.outside_la"] / total
    out["published.fal.gap_to_target"] = float(fal["in_house_target_pct"]) - out["published.fal.within_la_pct"]
    return out


#: Each reference run: (label, the id prefix of the figures it computes, function).
#: Each takes the references' ``published_inputs``.
REFERENCE_RUNS: List[Tuple[str, str, Callable[[Dict[str, Any]], Values]]] = [
    ("PSM: NSW (R Matching)", "psm.nsw.", lambda _: _psm_nsw()),
    ("PSM: lalonde (MatchIt)", "psm.lalonde.", lambda _: _psm_lalonde()),
    ("ITS: Sicily", "its.sicily.", lambda _: _its_sicily()),
    ("Staggered: mpdta (R did)", "did.mpdta.", lambda _: _did_mpdta()),
    ("Published RAA figures", "published.", _published),
]


# --------------------------------------------------------------------------- recovery study

#: What each recovery estimate is checked against the truth with, and why (printed with the table).
TRUTH_CHECKS = {
    "ci95": "95% CI covers the truth",
    "3se": "|estimate - truth| <= 3 SE",
    "coverage": "counted in the coverage row",
    "none": "not checked: a design documented as biased",
}
TAU = 730.0  # days: the restricted-mean horizon of the PSM recovery (benches/psm_recovery.py)


def _row(rid: str, figure: str, estimate: float, se: float, truth: float, check: str, ci: tuple) -> Dict[str, Any]:
    """A recovery row: the estimator's own estimate, SE and 95% interval beside the truth."""
    lo, hi = ci
    if check == "ci95":
        ok: Optional[bool] = bool(lo <= truth <= hi)
    elif check == "3se":
        ok = bool(abs(estimate - truth) <= 3 * se)
    else:
        ok = None
    return {"id": rid, "section": "Recovery: synthetic England", "figure": figure, "value": float(estimate),
            "se": float(se), "ci_low": float(lo), "ci_high": float(hi), "truth": float(truth),
            "truth_check": check, "truth_ok": ok, "covered": bool(lo <= truth <= hi)}


def _child_design(syn: Any, j: pd.DataFrame) -> pd.DataFrame:
    """The child-level design with each child's potential waits from the generator's truth."""
    import raa_impact as ri

    d = ri.child_design(j, syn.registry)
    truth = syn.truth[["la", "child", "y0_po_to_placed", "y1_po_to_placed", "outcome", "ceased_date"]]
    d = d.merge(truth, on=["la", "child"], how="left", validate="one_to_one")
    # The wait ends at placement, or at a reversal / SGO dated alike in both worlds.
    never = d["outcome"].isin(["reversed", "specialguardianship"]).to_numpy()
    ended = (d["ceased_date"] - d["po_date"]).dt.days.to_numpy(dtype=np.float64, na_value=np.nan)
    for w, y in (("w0", "y0_po_to_placed"), ("w1", "y1_po_to_placed")):
        d[y] = d[y].astype(np.float64)
        d[w] = np.where(never, ended, d[y])
    d["any_exit"] = d["event"] + d["competing"]
    d["po_month"] = np.floor(d["po_year"] * 12).astype(np.int64)
    return d


def _psm_recovery(d: pd.DataFrame) -> List[Dict[str, Any]]:
    """Two designs, each ATT of the matched treated (restricted mean to TAU, pair-clustered SE):
    the bench's chosen design (same PO month across LAs, exact on harder-to-place, outcome the wait
    to any exit) and the within-LA design (exact on LA, PO → placed), which carries the secular
    trend in waits (benches/results/psm_recovery.md: coverage 29–78%), so it is shown, not checked."""
    import raa_impact as ri
    from .designs import COVARIATES

    no_trend = [c for c in COVARIATES if c != "po_year"]
    specs = (
        ("recovery.psm.same_month", "PSM same PO month, exact on htp; wait to any exit (RMST 730 d)",
         dict(covariates=list(COVARIATES), exact=["po_month", "harder_to_place"]), "any_exit", None,
         ("w1", "w0"), "ci95"),
        ("recovery.psm.la_exact", "PSM exact on LA; PO -> placed, exits censored (RMST 730 d)",
         dict(covariates=no_trend, exact="la"), "event", "competing",
         ("y1_po_to_placed", "y0_po_to_placed"), "none"),
    )
    rows = []
    for rid, figure, kw, event, competing, (a, b), check in specs:
        m = ri.match(d, "treated", caliper=0.2, **kw)
        focal = (d["treated"].to_numpy() == 1) & (m.weights.to_numpy() > 0)
        # truth: the same matched treated children's restricted means in both worlds
        truth = float(np.mean(np.minimum(d[a].to_numpy()[focal], TAU)) - np.mean(np.minimum(d[b].to_numpy()[focal], TAU)))
        r = m.survival("time", event, tau=TAU, competing=competing).rmst
        rows.append(_row(rid, figure, r["estimate"], r["se"], truth, check, tuple(r["ci"])))
    return rows


def _its_recovery(syn: Any, j: pd.DataFrame) -> List[Dict[str, Any]]:
    """Controlled ITS per RAA (notebooks/its.ipynb, section 3): each RAA's order-cohort series
    beside LAs not yet live; truth = mean realised effect of the children behind its post-bed-in
    cells. Each RAA counts towards the coverage row."""
    import raa_impact as ri

    cs = ri.controlled_series(j, syn.registry, mean="cohort_po_to_placed", pre=16, post=4, last_period="2022Q1")
    truth = syn.truth.dropna(subset=["po_date", "placed_date"])
    truth = truth.assign(period=truth["po_date"].dt.year.astype(str) + "Q"
                         + ((truth["po_date"].dt.month - 1) // 3 + 1).astype(str))
    rows = []
    for key, s in cs.groupby("raa_id"):
        t0, bed = int(s["go_live_t"].iloc[0]), int(s["bed_in_periods"].iloc[0])
        r = ri.its(s, outcome="mean", time="t", weights="n", comparison="treated", impact="step",
                   interruption=t0, bed_in=bed)
        c = r.coefficients().set_index("term").loc["group:step"]
        post = set(s.loc[s["treated"] & (s["t"] >= t0 + bed), "period"])
        kids = truth.loc[truth["la"].isin(s["las"].iloc[0].split()) & truth["period"].isin(post), "effect_days"]
        rows.append(_row(f"recovery.its_controlled[raa={key}]", f"controlled ITS, {key}: group:step",
                         c["estimate"], c["se"], float(kids.mean()), "coverage", (c["ci_low"], c["ci_high"])))
    return rows


def _la_year_panel(syn: Any, j: pd.DataFrame) -> pd.DataFrame:
    """LA × collection-year order cohorts 2013–2022 (notebooks/staggered.ipynb), LAs with an empty
    year left out, with each cell's realised mean effect of its children as `effect_days`."""
    import raa_impact as ri

    p = ri.la_panel(j, syn.registry, freq="year")
    p["year"] = p["period"].astype(int)
    p = p.loc[p["year"].between(2013, 2022)].copy()
    go = p["go_live"]
    p["go_year"] = np.where(go.notna(), go.dt.year + (go.dt.month >= 4), 0).astype(int)
    p.loc[p["go_year"] > 2022, "go_year"] = 0
    complete = p.groupby("la")["cohort_mean_po_to_placed"].transform(lambda s: s.notna().all())
    p = p.loc[complete].copy()
    t = syn.truth.dropna(subset=["po_date", "placed_date"])
    cells = (t.assign(year=t["po_date"].dt.year + (t["po_date"].dt.month >= 4))
             .groupby(["la", "year"], as_index=False)["effect_days"].mean())
    p = p.merge(cells, on=["la", "year"], how="left")
    p["go_ml"] = p["go_year"].where(p["go_year"] > 0)
    return p


def _staggered_recovery(p: pd.DataFrame) -> List[Dict[str, Any]]:
    """Callaway–Sant'Anna (not-yet-treated, go-live year as bed-in, clustered on RAA) and the
    multilevel segmented regression, each with the truth = the same estimator applied to the
    cells' realised effects. Both checked with 3 SE: CS's RAA-clustered intervals under-cover on
    synthetic England (20 of 24 seeds, crates/raa-impact/tests/england_recovery.rs), and the
    multilevel model has no coverage study on it."""
    import raa_impact as ri

    kw = dict(unit="la", time="year", group="go_year", control_group="notyettreated", bed_in=1, cluster="raa_id")
    est = ri.att_gt(p, outcome="cohort_mean_po_to_placed", **kw).aggregate("simple").overall
    tru = ri.att_gt(p, outcome="effect_days", **kw).aggregate("simple").overall
    rows = [_row("recovery.cs.simple", "Callaway-Sant'Anna on the LA-year panel: simple ATT",
                 est.estimate, est.se, tru.estimate, "3se", (est.ci_low, est.ci_high))]
    ml = dict(unit="la", time="year", interruption="go_ml", impact=["step"], random=["intercept", "step"],
              group="raa_id", bed_in=1, calendar="dummies")
    e = ri.multilevel_its(p, outcome="cohort_mean_po_to_placed", **ml).effects([0]).iloc[0]
    t = ri.multilevel_its(p, outcome="effect_days", **ml).effects([0]).iloc[0]
    rows.append(_row("recovery.multilevel.step", "multilevel ITS (LA, RAA, AR(1)): level change",
                     e["estimate"], e["se"], t["estimate"], "3se", (e["ci_low"], e["ci_high"])))
    return rows


def _coverage_row(rows: List[Dict[str, Any]], minimum: float) -> Dict[str, Any]:
    its = [r for r in rows if r["truth_check"] == "coverage"]
    share = float(np.mean([r["covered"] for r in its])) if its else float("nan")
    return {"id": "recovery.its_controlled.coverage", "section": "Recovery: synthetic England",
            "figure": f"controlled ITS: share of {len(its)} RAAs whose 95% CI covers the truth (nominal 0.95)",
            "value": share, "truth_check": "min", "truth_ok": bool(share >= minimum), "minimum": minimum}


def _recovery_steps(seed: int, scale: float) -> List[tuple]:
    """(label, function) steps of the recovery study; later steps read what earlier ones left."""
    import raa_impact as ri

    state: Dict[str, Any] = {}

    def world() -> List[Dict[str, Any]]:
        state["syn"] = ri.synthetic.england(seed=seed, scale=scale)
        state["j"] = ri.journeys(state["syn"].returns)
        return []

    return [
        (f"recovery: synthetic England (seed {seed}, scale {scale})", world),
        ("recovery: PSM", lambda: _psm_recovery(_child_design(state["syn"], state["j"]))),
        ("recovery: controlled ITS", lambda: _its_recovery(state["syn"], state["j"])),
        ("recovery: CS and multilevel ITS", lambda: _staggered_recovery(_la_year_panel(state["syn"], state["j"]))),
    ]


# --------------------------------------------------------------------------- comparison


def _within(value: float, reference: float, tolerance: float, kind: str) -> bool:
    if not np.isfinite(value):
        return False
    if kind == "exact":
        return value == reference
    if kind == "min":
        return value >= tolerance
    if kind == "rel":
        return abs(value - reference) <= tolerance * abs(reference)
    return abs(value - reference) <= tolerance


def _printed_note(value: float, printed: Any, passage: Any) -> str:
    """Published figures are printed as whole numbers: a recomputation that rounds elsewhere
    disagrees with the print."""
    if printed is None or (isinstance(printed, float) and np.isnan(printed)) or not np.isfinite(value):
        return ""
    if abs(value - float(printed)) < 0.5:
        return f"printed {printed:g} agrees"
    return f"printed {printed:g} DIFFERS from the recomputation; passage: {passage}"


def _compare_references(refs: pd.DataFrame, values: Values, errors: Dict[str, str]) -> pd.DataFrame:
    rows = []
    for r in refs.to_dict("records"):
        row = {k: r.get(k) for k in ("id", "section", "figure", "reference", "tolerance", "kind", "source",
                                      "printed", "passage")}
        value = values.get(r["id"])
        unavailable = r.get("unavailable")
        if isinstance(unavailable, str) and value is None:
            row.update(value=np.nan, diff=np.nan, status="n/a", note=unavailable)
        elif value is None:
            why = next((e for p, e in errors.items() if r["id"].startswith(p)), "the run produced no such figure")
            row.update(value=np.nan, diff=np.nan, status="FAIL", note=f"not computed: {why}")
        else:
            value = float(value)
            ok = _within(value, float(r["reference"]), float(r["tolerance"]), r["kind"])
            row.update(value=value, diff=abs(value - float(r["reference"])), status="ok" if ok else "FAIL",
                       note=_printed_note(value, r.get("printed"), r.get("passage")))
        rows.append(row)
    return pd.DataFrame(rows)


def _compare_recovery(rows: List[Dict[str, Any]], pins: Dict[str, Any], pinned_run: bool, source: str) -> pd.DataFrame:
    """Each recovery row: its truth check, and its drift from the pin when this run is the pinned one."""
    pinned = {p["id"]: p for p in pins.get("figures", [])}
    out = []
    for r in rows:
        row = dict(r, source=source)
        if r.get("truth_check") == "min":
            row.update(reference=0.95, tolerance=r["minimum"], kind="min", diff=np.nan,
                       note=f"must be >= {r['minimum']:g}", status="ok" if r["truth_ok"] else "FAIL")
            out.append(row)
            continue
        notes = [f"truth {r['truth']:.4g}; {TRUTH_CHECKS[r['truth_check']]}"]
        if not pinned_run:
            row.update(reference=np.nan, tolerance=np.nan, kind="rel", diff=np.nan)
            drift = ["no pin for this seed/scale"]
        else:
            row.update(_pin(r, pinned.get(r["id"])))
            drift = row.pop("drift")
        failed = r["truth_ok"] is False or (pinned_run and bool(drift))
        notes += drift + (["TRUTH CHECK FAILED"] if r["truth_ok"] is False else [])
        row.update(status="FAIL" if failed else "ok", note="; ".join(notes))
        out.append(row)
    done = {r["id"] for r in rows}
    for rid in sorted(set(pinned) - done if pinned_run else set()):
        out.append({"id": rid, "section": "Recovery: synthetic England", "figure": rid, "value": np.nan,
                    "reference": pinned[rid]["value"], "status": "FAIL", "note": "pinned figure not computed",
                    "source": source})
    return pd.DataFrame(out)


def _pin(r: Dict[str, Any], p: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Reference, tolerance and |diff| of a recovery row against its pin, and what drifted."""
    if p is None:
        return {"reference": np.nan, "tolerance": PIN_TOLERANCE, "kind": "rel", "diff": np.nan,
                "drift": ["no pinned value"]}
    tol = float(p.get("tolerance", PIN_TOLERANCE))
    drift = [] if _within(r["value"], p["value"], tol, "rel") else ["estimate drifted from its pin"]
    if "truth" in p and not _within(r["truth"], p["truth"], tol, "rel"):
        drift.append(f"truth drifted from its pin {p['truth']:.10g}")
    return {"reference": p["value"], "tolerance": tol, "kind": "rel", "diff": abs(r["value"] - p["value"]),
            "drift": drift}


# --------------------------------------------------------------------------- result


class ReproduceCheckError(RaaImpactError):
    """``reproduce(check=True)`` found figures beyond their tolerance; ``.result`` holds the table."""

    def __init__(self, message: str, result: "ReproduceResult"):
        super().__init__(message)
        self.result = result


COLUMNS = ["section", "id", "figure", "reference", "value", "diff", "tolerance", "kind", "status", "note",
           "truth", "se", "ci_low", "ci_high", "truth_check", "truth_ok", "printed", "passage", "source"]


class ReproduceResult:
    """Every re-run figure beside its reference: ``.to_frame()`` (one row per figure), ``.ok``,
    ``.failures()`` and ``.summary()`` (the printed table).

    >>> from raa_impact.reproduce import reproduce
    >>> r = reproduce(recovery=False, progress=False)
    >>> r.failures().empty
    True
    """

    def __init__(self, frame: pd.DataFrame, meta: Dict[str, Any]):
        self._frame = frame.reindex(columns=COLUMNS)
        self.meta = meta

    def to_frame(self) -> pd.DataFrame:
        """One row per figure: section, id, figure, reference, value, |diff|, tolerance and its kind,
        status (ok / FAIL / n/a), note; recovery rows add truth, SE, CI and the truth check."""
        return self._frame.copy()

    @property
    def ok(self) -> bool:
        """True when no figure failed (``n/a`` figures, not reachable from Python, do not fail)."""
        return not (self._frame["status"] == "FAIL").any()

    def failures(self) -> pd.DataFrame:
        """The rows that failed, with the reason in ``note``."""
        return self._frame.loc[self._frame["status"] == "FAIL"].reset_index(drop=True)

    def summary(self) -> str:
        """The table: figure, reference, value, |diff|, tolerance, status, per section; then the
        recovery study (truth vs estimate) and the notes on printed figures and failures."""
        f = self._frame
        lines = [f"raa-impact reproduce: {int((f.status == 'ok').sum())} ok, {int((f.status == 'FAIL').sum())} "
                 f"failed, {int((f.status == 'n/a').sum())} not reachable from the Python API "
                 f"({self.meta.get('seconds', float('nan')):.1f} s)"]
        for section, g in f.groupby("section", sort=False):
            lines += ["", section, _table(g)]
        rec = f.loc[f["truth"].notna()]
        if len(rec):
            lines += ["", "Recovery: truth vs estimate (checks: " + "; ".join(
                f"{k} = {v}" for k, v in TRUTH_CHECKS.items()) + ")", _recovery_table(rec)]
        quiet = f["note"].fillna("").str.endswith("agrees") | f["kind"].eq("min")
        notes = f.loc[f["note"].fillna("").str.len().gt(0) & f["truth"].isna() & ~quiet]
        if len(notes):
            lines += ["", "Notes"] + [f"  {r.id}: {r.note}" for r in notes.itertuples()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"<ReproduceResult {len(self._frame)} figures, ok={self.ok}>"


def _fmt(x: Any) -> str:
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return ""
    return f"{x:.10g}" if isinstance(x, (float, np.floating)) else str(x)


def _table(g: pd.DataFrame) -> str:
    t = pd.DataFrame({
        "figure": g["figure"].str.slice(0, 70), "reference": g["reference"].map(_fmt), "value": g["value"].map(_fmt),
        "|diff|": g["diff"].map(lambda d: "" if pd.isna(d) else f"{d:.2e}"),
        "tolerance": [("" if pd.isna(t) else f"{t:g} {k}") for t, k in zip(g["tolerance"], g["kind"])],
        "status": g["status"],
    })
    if g["printed"].notna().any():
        t["printed"] = g["printed"].map(_fmt).to_numpy()
        t["print agrees"] = ["" if pd.isna(p) else ("yes" if "agrees" in str(n) else "NO")
                             for p, n in zip(g["printed"], g["note"])]
    return t.to_string(index=False)


def _recovery_table(g: pd.DataFrame) -> str:
    t = pd.DataFrame({
        "estimate of": g["figure"].str.slice(0, 60), "truth": g["truth"].map(lambda x: f"{x:.2f}"),
        "estimate": g["value"].map(lambda x: f"{x:.2f}"), "SE": g["se"].map(lambda x: f"{x:.2f}"),
        "95% CI": [f"[{lo:.1f}, {hi:.1f}]" for lo, hi in zip(g["ci_low"], g["ci_high"])],
        "CI covers": [("yes" if lo <= t <= hi else "no") for lo, hi, t in zip(g["ci_low"], g["ci_high"], g["truth"])],
        "check": g["truth_check"],
        "check ok": g["truth_ok"].map(lambda x: "-" if x is None or pd.isna(x) else ("yes" if x else "NO")),
    })
    return t.to_string(index=False)


# --------------------------------------------------------------------------- entry point


def _bar(total: int, show: bool) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, file=sys.stderr, disable=not show, leave=False, unit="step")


@contextmanager
def _step(bar: Any, label: str) -> Iterator[None]:
    bar.set_description(label)
    t0 = time.perf_counter()
    yield
    if not bar.disable:
        bar.write(f"  {label}: {time.perf_counter() - t0:.2f} s", file=sys.stderr)
    bar.update(1)


def reproduce(
    check: bool = False,
    recovery: bool = True,
    seed: int = DEFAULT_SEED,
    progress: bool = True,
    references: Optional[PathLike] = None,
    scale: float = RECOVERY_SCALE,
) -> ReproduceResult:
    """Re-run every reference figure (and, with ``recovery``, the synthetic England recovery
    study) and compare each with its reference in ``references`` (default: the packaged
    ``data/reference/oracles.json``).

    ``check=True`` raises :class:`ReproduceCheckError` (a ``RaaImpactError``) naming every figure
    beyond its tolerance, with the whole table in its ``.result``; without it, read ``.ok`` and
    ``.failures()``. A step that raises is recorded as failed figures with the error, so the table
    is always complete. Recovery estimates are compared with their pins only
    when ``seed`` and ``scale`` are those the pins were made with.

    >>> from raa_impact.reproduce import reproduce
    >>> r = reproduce(recovery=False, progress=False)
    >>> r.ok, len(r.failures())
    (True, 0)
    """
    t0 = time.perf_counter()
    refs = load_references(references)
    pins = refs.attrs.get("recovery", {})
    inputs = refs.attrs.get("published_inputs", {})
    rec_steps = _recovery_steps(int(seed), float(scale)) if recovery else []
    bar = _bar(len(REFERENCE_RUNS) + len(rec_steps), progress)
    values: Values = {}
    errors: Dict[str, str] = {}
    for label, prefix, fn in REFERENCE_RUNS:
        with _step(bar, label):
            try:
                values.update(fn(inputs))
            except Exception as exc:  # noqa: BLE001 - the table must report every section
                errors[prefix] = f"{label}: {type(exc).__name__}: {exc}"
    frame = _compare_references(refs, values, errors)
    frames = [frame]
    if recovery:
        frames.append(_run_recovery(rec_steps, bar, pins, int(seed), float(scale)))
    bar.close()
    frame = pd.concat([f for f in frames if len(f)], ignore_index=True)
    meta = {"check": check, "seed": seed, "scale": scale, "recovery": recovery,
            "references": str(references or REFERENCES), "seconds": time.perf_counter() - t0}
    result = ReproduceResult(frame, meta)
    if check and not result.ok:
        failed = result.failures()
        raise ReproduceCheckError(f"{len(failed)} figure(s) beyond tolerance: " + ", ".join(failed["id"]), result)
    return result


def _run_recovery(steps: List[tuple], bar: Any, pins: Dict[str, Any], seed: int, scale: float) -> pd.DataFrame:
    rows: List[Dict[str, Any]] = []
    for label, fn in steps:
        with _step(bar, label):
            try:
                rows.extend(fn())
            except Exception as exc:  # noqa: BLE001
                rows.append({"id": f"recovery.error[{label}]", "section": "Recovery: synthetic England",
                             "figure": label, "value": np.nan, "truth_ok": False,
                             "truth_check": "error", "error": f"{type(exc).__name__}: {exc}"})
    rows.append(_coverage_row(rows, float(pins.get("coverage_minimum", 0.8))))
    errs = [r for r in rows if r.get("truth_check") == "error"]
    pinned_run = seed == pins.get("seed") and scale == pins.get("scale")
    source = f"synthetic England seed {seed}, scale {scale} (pins: seed {pins.get('seed')}, scale {pins.get('scale')})"
    out = _compare_recovery([r for r in rows if r not in errs], pins, pinned_run, source)
    err = pd.DataFrame([{"id": r["id"], "section": r["section"], "figure": r["figure"], "status": "FAIL",
                         "note": r["error"]} for r in errs])
    return pd.concat([x for x in (out, err) if len(x)], ignore_index=True)


def write_references(result: ReproduceResult, path: PathLike, references: Optional[PathLike] = None) -> None:
    """Write a copy of ``references`` (default: the packaged JSON) to ``path`` with the recovery
    pins replaced by this run's estimates and truths. Reference figures are copied unchanged:
    only the recovery pins are the library's own numbers. Copy the mpdta CSV files beside it too.

    >>> import tempfile, os
    >>> from raa_impact.reproduce import reproduce, write_references, load_references
    >>> r = reproduce(recovery=False, progress=False)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_references(r, os.path.join(d, "oracles.json"))
    ...     len(load_references(os.path.join(d, "oracles.json"))) == len(load_references())
    True
    """
    src = Path(references) if references is not None else REFERENCES
    spec = json.loads(src.read_text(encoding="utf-8"))
    f = result.to_frame()
    rec = f.loc[f["truth"].notna() & f["value"].notna()]
    broken = f.loc[f["id"].str.startswith("recovery.") & (f["truth_ok"].eq(False) | f["value"].isna())]
    if result.meta.get("recovery") and len(broken):
        raise ArgumentError("invalid argument `result`: pins must come from a run whose recovery truth checks "
                            f"pass; failed: {', '.join(broken['id'])}")
    if result.meta.get("recovery"):
        spec["recovery"] = {
            **spec.get("recovery", {}), "seed": result.meta["seed"], "scale": result.meta["scale"],
            "figures": [{"id": r.id, "value": float(r.value), "truth": float(r.truth), "tolerance": PIN_TOLERANCE}
                        for r in rec.itertuples()],
        }
    out = Path(path)
    out.write_text(_dump(spec) + "\n", encoding="utf-8")
    for table in spec.get("tables", []):
        target = out.parent / table["file"]
        if not target.exists():
            target.write_bytes((src.parent / table["file"]).read_bytes())


def _dump(obj: Any, pad: str = "") -> str:
    """JSON with one line per figure: containers of containers are opened, flat ones kept whole."""
    def flat(x: Any) -> bool:
        values = x.values() if isinstance(x, dict) else x
        return not any(isinstance(v, (dict, list)) and not flat(v) for v in values) and not (
            isinstance(x, list) and any(isinstance(v, (dict, list)) for v in x))

    if not isinstance(obj, (dict, list)) or flat(obj):
        return json.dumps(obj, ensure_ascii=False)
    inner = pad + "  "
    if isinstance(obj, dict):
        items = [f"{inner}{json.dumps(k)}: {_dump(v, inner)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    return "[\n" + ",\n".join(inner + _dump(v, inner) for v in obj) + f"\n{pad}]"


# --------------------------------------------------------------------------- command line


def add_parser(subparsers: "argparse._SubParsersAction") -> argparse.ArgumentParser:
    """Add ``reproduce`` to the ``raa-impact`` subcommands (``parser.add_subparsers()``); returns
    its parser, whose ``func`` default is :func:`run`.

    >>> import argparse
    >>> from raa_impact.reproduce import add_parser
    >>> p = argparse.ArgumentParser(prog="raa-impact")
    >>> _ = add_parser(p.add_subparsers(dest="command"))
    >>> args = p.parse_args(["reproduce", "--check", "--no-recovery"])
    >>> args.check, args.recovery, args.func.__name__
    (True, False, 'run')
    """
    r = subparsers.add_parser(
        "reproduce", help="re-run the reference figures and the synthetic England recovery study",
        description="Re-run every figure of the reference results (ORACLES.md: MatchIt/Matching, Sicily ITS, "
                    "R did on mpdta, published RAA figures) and the synthetic England recovery study, and "
                    "print each beside its reference and tolerance.")
    r.add_argument("--check", action="store_true", help="exit 1 when any figure drifts beyond its tolerance")
    r.add_argument("--no-recovery", dest="recovery", action="store_false", help="skip the recovery study")
    r.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"seed of synthetic England (default {DEFAULT_SEED}; pins hold for it only)")
    r.add_argument("--references", help="reference JSON file (default: the packaged oracles.json)")
    r.add_argument("--out", help="write every figure to this .csv or .json file")
    r.add_argument("--write-references", metavar="FILE",
                   help="write a copy of the references with the recovery pins taken from this run")
    r.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress bar")
    r.set_defaults(func=run)
    return r


def run(args: argparse.Namespace) -> int:
    """Run ``raa-impact reproduce``: print the table (and write ``--out``); return 1 with
    ``--check`` when any figure is beyond its tolerance, naming them on standard error, else 0.

    >>> import argparse, contextlib, io
    >>> from raa_impact.reproduce import add_parser, run
    >>> p = argparse.ArgumentParser(prog="raa-impact")
    >>> _ = add_parser(p.add_subparsers(dest="command"))
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     rc = run(p.parse_args(["reproduce", "--check", "--no-recovery", "--quiet"]))
    >>> rc
    0
    """
    out = getattr(args, "out", None)
    if out and not str(out).lower().endswith((".csv", ".json")):
        raise ArgumentError(f"invalid argument `--out`: {out!r}, expected a .csv or .json file name")
    result = reproduce(recovery=getattr(args, "recovery", True),
                       seed=getattr(args, "seed", DEFAULT_SEED), progress=not getattr(args, "quiet", False),
                       references=getattr(args, "references", None))
    with pd.option_context("display.width", 250, "display.max_colwidth", 80):
        print(result.summary())
    if out:
        frame = result.to_frame()
        if str(out).lower().endswith(".csv"):
            frame.to_csv(out, index=False)
        else:
            frame.to_json(out, orient="records", indent=1, force_ascii=False)
        print(f"{len(frame)} figures written to {out}")
    if getattr(args, "write_references", None):
        write_references(result, args.write_references, getattr(args, "references", None))
        print(f"references with this run's recovery pins written to {args.write_references}")
    failed = result.failures()
    if getattr(args, "check", False) and len(failed):
        print(f"reproduce --check: {len(failed)} figure(s) beyond tolerance: " + ", ".join(failed["id"]),
              file=sys.stderr)
        return 1
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m raa_impact.reproduce [--check] ...`` (the same as ``raa-impact reproduce``)."""
    p = argparse.ArgumentParser(prog="raa-impact")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    add_parser(p.add_subparsers(dest="command", required=True))
    return run(p.parse_args(["reproduce", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
