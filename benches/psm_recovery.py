"""Does child-level matching recover the true RAA effect on synthetic England?

For seeds 0..R-1: generate synthetic England, derive journeys and ``ri.child_design``, match under
each design below, and estimate differences in restricted mean days up to ``tau`` (treated minus
control, weighted Kaplan–Meier in the matched set, pair-clustered SE), for all children and for
harder-to-place children (matched separately). Two outcomes, each with its own truth computed from
the generator's potential outcomes for the SAME matched treated children (the ATT in the matched
set; a mean over the treated matched, since the treated differ by design):

* ``placed`` (PO → placed, competing exits censored): truth ``mean(min(y1, tau)) - mean(min(y0,
  tau))`` with y0 / y1 the latent PO→placed days without / with the RAA (``truth`` table). Latent,
  because a child whose plan changed (reversal, SGO) has both. The KM curve with competing exits
  censored estimates that latent distribution only under independent censoring, and the generator
  times a reversal as a share of the COUNTERFACTUAL wait y0: a treated child with a shorter y1 can
  stay "at risk" past its latent placement, so this target is attenuated, the more so the larger
  the effect (about 15 of 140 days with a −200-day effect).
* ``wait`` (PO → end of the wait, placed OR another exit; only the data cut censors): truth
  ``mean(min(W1, tau)) - mean(min(W0, tau))`` with ``W = y`` for children placed (adopted or
  disrupted) and ``W = ceased - po`` in both worlds for a reversal or SGO (the generator makes the
  effect change nothing for children never placed). Identifiable with independent censoring.

The difference in means among completed journeys is NOT reported: completion depends on the data
cut and on the treatment (a shorter wait completes sooner), so that difference has no
potential-outcome truth to compare with.

Designs (all 1:1 nearest neighbour on the logit of a logistic score, without replacement):

* ``la_exact``: exact on LA, covariates without the PO year (the issue's design as written):
  treated children come after go-live and controls before it in the same LA, so any secular
  trend in waits (the generator's matching factor: COVID +25%) biases it.
* ``la_exact_trend``: the same with the PO year in the score and no caliper: within an LA the PO
  year separates treated from controls, so the score cannot balance it; matches are the latest
  controls, still before go-live.
* ``same_time``: exact on the PO half-year, across LAs: controls are children of LAs not yet live
  with a placement order in the same half-year; PO year in the score; caliper 0.2 SD. Treated
  children with no control in their half-year (after the last go-live) are left unmatched, so the
  estimand is the ATT of the treated with contemporaneous controls.
* ``same_time_nocal``: the same without a caliper.
* ``same_quarter`` / ``same_month``: exact on the PO quarter / month (bands of 1/4 and 1/12 year
  from the decimal PO year) instead of the half-year. Why: the balance check of ``same_time``
  shows matched treated placement orders ~30 days later than their controls' (more LAs are live
  at the end of a half-year than at its start, and the linear PO year in the score does not
  undo that within a band); in a month band the gap is ~1 day, with as many treated matched.
* ``same_quarter_htp`` / ``same_month_htp``: also exact on harder-to-place (pairs never mix the
  two effect sizes), to see whether the SE's shortfall in narrow bands comes from such mixing.

Chosen: ``same_month_htp`` with the ``wait`` outcome (figures and reasons in
benches/results/psm_recovery.md).

Usage: python benches/psm_recovery.py [--replications 200] [--scale 0.25] [--tau 730] [--designs ...]
Writes benches/results/psm_recovery.csv (one row per replication × design × target) and prints the
summary table (also written to benches/results/psm_recovery_summary.csv).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Dict, List, Optional

import numpy as np
import pandas as pd

import raa_impact as ri
from raa_impact.designs import COVARIATES

HERE = os.path.dirname(os.path.abspath(__file__))
NO_TREND = [c for c in COVARIATES if c != "po_year"]


def _band(po_year: pd.Series, per_year: int) -> np.ndarray:
    return np.floor(po_year.to_numpy() * per_year).astype(np.int64)


def designs(d: pd.DataFrame) -> Dict[str, dict]:
    """Each design's ri.match arguments (exact columns are added to `d` here)."""
    d["po_half"] = _band(d["po_year"], 2)
    d["po_quarter"] = _band(d["po_year"], 4)
    d["po_month"] = _band(d["po_year"], 12)
    return {
        "la_exact": dict(covariates=NO_TREND, exact="la", caliper=0.2),
        "la_exact_trend": dict(covariates=list(COVARIATES), exact="la", caliper=None),
        "same_time": dict(covariates=list(COVARIATES), exact="po_half", caliper=0.2),
        "same_time_nocal": dict(covariates=list(COVARIATES), exact="po_half", caliper=None),
        "same_quarter": dict(covariates=list(COVARIATES), exact="po_quarter", caliper=0.2),
        "same_month": dict(covariates=list(COVARIATES), exact="po_month", caliper=0.2),
        "same_quarter_htp": dict(covariates=list(COVARIATES), exact=["po_quarter", "harder_to_place"], caliper=0.2),
        "same_month_htp": dict(covariates=list(COVARIATES), exact=["po_month", "harder_to_place"], caliper=0.2),
    }


def _truth(d: pd.DataFrame, focal: np.ndarray, tau: float, a: str, b: str) -> float:
    return float(np.mean(np.minimum(d[a].to_numpy()[focal], tau)) - np.mean(np.minimum(d[b].to_numpy()[focal], tau)))


def estimate(d: pd.DataFrame, spec: dict, tau: float, subgroup: str) -> List[dict]:
    covs = [c for c in spec["covariates"] if not (subgroup == "htp" and c == "harder_to_place")]
    exact = spec["exact"]
    if subgroup == "htp" and isinstance(exact, list):
        exact = [c for c in exact if c != "harder_to_place"]
    t1 = time.perf_counter()
    m = ri.match(d, "treated", covs, exact=exact, caliper=spec["caliper"])
    w = m.weights.to_numpy()
    t = d["treated"].to_numpy() == 1
    focal = t & (w > 0)
    rows = []
    for outcome, truth_cols, event, competing in (
        ("placed", ("y1", "y0"), "event", "competing"),
        ("wait", ("w1", "w0"), "any_exit", None),
    ):
        row = {"outcome": outcome, "n_treated": int(t.sum()), "n_matched": int(focal.sum()),
               "truth": _truth(d, focal, tau, *truth_cols),
               "estimate": np.nan, "se": np.nan, "ci_lower": np.nan, "ci_upper": np.nan, "error": ""}
        try:
            r = m.survival("time", event, tau=tau, competing=competing).rmst
            row.update(estimate=r["estimate"], se=r["se"], ci_lower=r["ci"][0], ci_upper=r["ci"][1])
        except ri.RaaImpactError as exc:  # e.g. tau beyond the follow-up of a small arm
            row["error"] = str(exc)[:200]
        row["seconds_match"] = time.perf_counter() - t1
        rows.append(row)
    return rows


def replication(seed: int, scale: float, tau: float, effect: float, effect_htp: float,
                chosen: Optional[List[str]] = None) -> List[dict]:
    t0 = time.perf_counter()
    syn = ri.synthetic.england(seed=seed, scale=scale, effect_po_to_placed_days=effect,
                               effect_htp_po_to_placed_days=effect_htp)
    j = ri.journeys(syn.returns)
    d = ri.child_design(j, syn.registry)
    truth = syn.truth[["la", "child", "y0_po_to_placed", "y1_po_to_placed", "outcome", "po_date", "ceased_date"]]
    truth = truth.rename(columns={"po_date": "po_date_truth"})
    d = d.merge(truth, on=["la", "child"], how="left", validate="one_to_one")
    if d["y0_po_to_placed"].isna().any():
        raise RuntimeError(f"seed {seed}: {int(d['y0_po_to_placed'].isna().sum())} design rows without a truth row")
    d["y0"] = d["y0_po_to_placed"].astype(np.float64)
    d["y1"] = d["y1_po_to_placed"].astype(np.float64)
    # the wait ends at placement, or at the reversal / SGO date in both worlds for children never placed
    never_placed = d["outcome"].isin(["reversed", "specialguardianship"]).to_numpy()
    ended = (d["ceased_date"] - d["po_date_truth"]).dt.days.to_numpy(dtype=np.float64, na_value=np.nan)
    d["w0"] = np.where(never_placed, ended, d["y0"])
    d["w1"] = np.where(never_placed, ended, d["y1"])
    d["any_exit"] = d["event"] + d["competing"]
    t_data = time.perf_counter() - t0
    rows = []
    for name, spec in designs(d).items():
        if chosen and name not in chosen:
            continue
        for subgroup, sub in (("all", d), ("htp", d.loc[d["harder_to_place"] == 1].reset_index(drop=True))):
            for row in estimate(sub, spec, tau, subgroup):
                row.update(seed=seed, design=name, target=subgroup, seconds_data=t_data)
                rows.append(row)
    return rows


def summarise(res: pd.DataFrame) -> pd.DataFrame:
    out = []
    for (design, target, outcome), g in res.groupby(["design", "target", "outcome"], sort=False):
        ok = g.dropna(subset=["estimate"])
        sd = ok["estimate"].std(ddof=1)
        bias = (ok["estimate"] - ok["truth"]).mean()
        cover = ((ok["ci_lower"] <= ok["truth"]) & (ok["truth"] <= ok["ci_upper"])).mean()
        out.append({
            "design": design, "target": target, "outcome": outcome, "replications": len(ok), "failed": len(g) - len(ok),
            "matched_treated": ok["n_matched"].mean(), "of_treated": ok["n_treated"].mean(),
            "mean_estimate": ok["estimate"].mean(), "mean_truth": ok["truth"].mean(), "bias": bias,
            "sd_estimate": sd, "abs_bias_over_sd": abs(bias) / sd if sd > 0 else np.nan,
            "mean_se": ok["se"].mean(), "se_over_sd": ok["se"].mean() / sd if sd > 0 else np.nan,
            "coverage_95": cover, "seconds_match": g["seconds_match"].mean(),
        })
    return pd.DataFrame(out)


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--replications", type=int, default=200)
    p.add_argument("--first-seed", type=int, default=0)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--tau", type=float, default=730.0)
    p.add_argument("--effect", type=float, default=-14.0)
    p.add_argument("--effect-htp", type=float, default=-35.0)
    p.add_argument("--designs", nargs="*", default=None, help="subset of the designs (default: all)")
    p.add_argument("--out", default=os.path.join(HERE, "results", "psm_recovery.csv"))
    a = p.parse_args(argv)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    rows: List[dict] = []
    start = time.perf_counter()
    for seed in range(a.first_seed, a.first_seed + a.replications):
        rows.extend(replication(seed, a.scale, a.tau, a.effect, a.effect_htp, a.designs))
        res = pd.DataFrame(rows)
        res["scale"], res["tau"] = a.scale, a.tau
        res.to_csv(a.out, index=False)  # after every replication: a stopped run keeps what it did
        print(f"seed {seed} done, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    summary = summarise(pd.DataFrame(rows))
    summary["scale"], summary["tau"] = a.scale, a.tau
    summary["seconds_total"] = time.perf_counter() - start
    summary.to_csv(a.out.replace(".csv", "_summary.csv"), index=False)
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(summary.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
