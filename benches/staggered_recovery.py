"""Does Callaway–Sant'Anna (``ri.att_gt``) recover the RAA effect on synthetic England, and do its
95% intervals cover it at the nominal rate?

For seeds ``first_seed .. first_seed + N - 1``: generate synthetic England, derive the journeys and
the yearly LA panel with the public API, and fit the design of the evaluation report's
multiple-baseline section (``raa_impact/evaluate/sections/multiple_baseline.py``) and of the Rust
test ``crates/raa-impact/tests/england_recovery.rs``:

* the unit is the LA × collection year; the outcome the mean placement order → placed days of the
  year's *order cohort* (``cohort_mean_po_to_placed`` of ``ri.la_panel(freq="year")``, children
  placed by the data cut), over collection years 2013 to the cut's year less two (2022: order
  cohorts nearly complete); LAs with an empty year leave the balanced panel (counted);
* an LA's cohort is the collection year of its exposure start (the RAA's go-live, or the day the
  LA joined); LAs live after the window count as not yet treated throughout;
* ``ri.att_gt(..., control_group="notyettreated", est_method="dr", bed_in=1, cluster=<RAA>)``:
  not-yet-treated comparisons, the go-live year left out as a one-period bed-in, analytic SEs
  clustered on the RAA.

The truth of a replication is the SAME estimator applied to each LA-year's realised mean effect
``y1 - y0`` of the children behind the cell (``effect_days`` of the generator's truth table, over
the children with an order in that year placed by the cut). Comparison LAs carry no effect, so this
is the realised effect averaged with the estimator's own weights.

Two estimands per seed, each with its own truth computed with the same options:

* ``all_cells``: the simple ATT over every post-bed-in ATT(g, t) (default options);
* ``min_clusters_5``: the simple ATT with ``min_comparison_clusters=5``: cells whose comparison LAs
  lie in fewer than 5 RAAs are left out (late cohorts compared with the last RAAs to go live).

Each is also fitted with ``small_sample=True`` (``*_small_sample``: the same estimate, its SE times
sqrt(G/(G-1)) and a t(G-1) interval, G the RAAs), the evaluation report's default.

Per post cell (in ``<out>_cells.csv``, beside the CSV) the estimate, its interval, the cell's own truth and
the number of RAAs among its comparison LAs are also kept, to see where coverage falls short.

Usage:
    python benches/staggered_recovery.py [--seeds 200] [--scale 0.25] [--first-seed 0] [--jobs 1]
                                         [--out benches/results/staggered_recovery_scale025.csv]
    python benches/staggered_recovery.py --report benches/results/staggered_recovery.md CSV [CSV ...]

A run writes the CSV after every seed (a stopped run keeps what it did), a ``_cells.csv`` beside
it, and prints the summary. ``--report`` writes the markdown results file from one or more runs'
CSVs (everything in it is computed from them).
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

import raa_impact as ri

HERE = os.path.dirname(os.path.abspath(__file__))
FIRST_YEAR = 2013          # first collection year of the panel
FOLLOW_UP_YEARS = 2        # collection years kept clear of the data cut
BED_IN_YEARS = 1           # the go-live year (a 183-day bed-in as whole collection years)
Z95 = 1.959963984540054
SUBSET = 24                # the Rust test's seeds 0..23, summarised apart in the report
# estimand -> (min_comparison_clusters, small_sample)
ESTIMANDS = {"all_cells": (0, False), "min_clusters_5": (5, False),
             "all_cells_small_sample": (0, True), "min_clusters_5_small_sample": (5, True)}
COLUMNS = ["seed", "scale", "estimand", "estimate", "se", "ci_low", "ci_high", "truth", "covered",
           "n_cells_kept", "n_las", "n_clusters"]


# --- one replication ---------------------------------------------------------------------------

def collection_year(dates: pd.Series) -> pd.Series:
    """SSDA903 collection year (1 April – 31 March, labelled by the year it ends)."""
    return dates.dt.year + (dates.dt.month >= 4).astype(int)


def cs_panel(syn: Any) -> Tuple[pd.DataFrame, int, int]:
    """The balanced LA × collection-year panel (la, cluster, year, go_year, y, n, truth), the number
    of LAs left out for an empty year and the number left out because a cell's truth children are
    not the panel's (never seen at scale 0.25; rare at scale 1: a child whose journey is left out)."""
    j = ri.journeys(syn.returns)
    cut = pd.Timestamp(j.attrs["cut_date"])
    last = int(collection_year(pd.Series([cut])).iloc[0]) - FOLLOW_UP_YEARS
    raw = ri.la_panel(j, syn.registry, freq="year")  # go_live: each LA's exposure start
    p = raw.assign(year=raw["period"].astype(int))
    p = p.loc[p["year"].between(FIRST_YEAR, last)]
    go = collection_year(pd.to_datetime(p["go_live"])).fillna(0).astype(int)
    p = pd.DataFrame({"la": p["la"].astype(str),
                      "cluster": p["raa_id"].fillna("no RAA: " + p["la"].astype(str)),
                      "year": p["year"], "go_year": np.where(go > last, 0, go),
                      "y": p["cohort_mean_po_to_placed"], "n": p["cohort_n_po_to_placed"]})
    complete = p.groupby("la")["y"].transform(lambda s: bool(s.notna().all()))
    dropped = int(p.loc[~complete, "la"].nunique())
    p = p.loc[complete].reset_index(drop=True)
    # the truth: the realised mean effect of each cell's children (order in the year, placed by the
    # cut), over the children the journeys hold (the panel's y is theirs)
    t = syn.truth.dropna(subset=["po_date", "placed_date"])
    t = t.loc[t["placed_date"] <= cut].assign(la=lambda d: d["la"].astype(str))
    held = pd.MultiIndex.from_arrays([j["la"].astype(str), j["child"].astype(str)])
    t = t.loc[pd.MultiIndex.from_arrays([t["la"], t["child"].astype(str)]).isin(held)]
    cells = (t.assign(year=collection_year(t["po_date"]))
             .groupby(["la", "year"])["effect_days"].agg(truth="mean", n_truth="size").reset_index())
    p = p.merge(cells, on=["la", "year"], how="left", validate="one_to_one")
    # an LA with a cell whose truth children are not the panel's leaves (as in the Rust test)
    odd = p.loc[p["n_truth"].fillna(0) != p["n"], "la"].unique()
    p = p.loc[~p["la"].isin(odd)].reset_index(drop=True)
    return p.drop(columns="n_truth"), dropped, len(odd)


def fit(panel: pd.DataFrame, outcome: str, min_comparison_clusters: int, small_sample: bool) -> Any:
    """The estimator: CS with not-yet-treated comparisons, DR, one bed-in year, clustered on the RAA."""
    return ri.att_gt(panel, outcome=outcome, unit="la", time="year", group="go_year",
                     control_group="notyettreated", est_method="dr", bed_in=BED_IN_YEARS,
                     cluster="cluster", min_comparison_clusters=min_comparison_clusters,
                     small_sample=small_sample)


def replication(seed: int, scale: float) -> Tuple[List[dict], List[dict]]:
    """Per-estimand rows and per-post-cell rows of one seed."""
    t0 = time.perf_counter()
    syn = ri.synthetic.england(seed=seed, scale=scale)
    panel, dropped, mismatched = cs_panel(syn)
    rows, cells = [], []
    for estimand, (m, small) in ESTIMANDS.items():
        row: Dict[str, Any] = {"seed": seed, "scale": scale, "estimand": estimand,
                               "n_las": int(panel["la"].nunique()), "n_clusters": int(panel["cluster"].nunique()),
                               "dropped_las": dropped, "truth_mismatch_las": mismatched, "error": ""}
        try:
            est, tru = fit(panel, "y", m, small), fit(panel, "truth", m, small)
            o, t = est.aggregate("simple").overall, tru.aggregate("simple").overall
        except ValueError as exc:  # e.g. no cell left with comparisons in m RAAs
            row.update(estimate=np.nan, se=np.nan, ci_low=np.nan, ci_high=np.nan, truth=np.nan,
                       covered=np.nan, n_cells_kept=0, error=str(exc)[:200])
            rows.append(row)
            continue
        tab, ttab = est.table(), tru.table()
        post = tab["post"].astype(bool) & tab["att"].notna()
        row.update(estimate=o.estimate, se=o.se, ci_low=o.ci_low, ci_high=o.ci_high, truth=t.estimate,
                   covered=bool(o.ci_low <= t.estimate <= o.ci_high), n_cells_kept=int(post.sum()))
        rows.append(row)
        c = tab.loc[post].merge(ttab[["group", "time", "att"]].rename(columns={"att": "truth"}),
                                on=["group", "time"], how="left")
        for r in c.itertuples(index=False):
            cells.append({"seed": seed, "scale": scale, "estimand": estimand, "group": r.group, "time": r.time,
                          "estimate": r.att, "se": r.se, "truth": r.truth,
                          "covered": bool(r.ci_low <= r.truth <= r.ci_high),
                          "control_clusters": r.control_clusters, "treated_clusters": r.treated_clusters})
    seconds = time.perf_counter() - t0
    for r in rows:
        r["seconds"] = seconds
    return rows, cells


def _work(args: Tuple[int, float]) -> Tuple[List[dict], List[dict]]:
    return replication(*args)


# --- summaries ---------------------------------------------------------------------------------

def wilson(k: int, n: int, z: float = Z95) -> Tuple[float, float]:
    """Wilson score interval of a binomial proportion k / n."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    mid = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (mid - half, mid + half)


def summarise(res: pd.DataFrame) -> pd.DataFrame:
    out = []
    for (scale, estimand), g in res.groupby(["scale", "estimand"], sort=False):
        ok = g.dropna(subset=["estimate", "se", "truth"])
        n = len(ok)
        err = ok["estimate"] - ok["truth"]
        sd = float(err.std(ddof=1)) if n > 1 else math.nan
        k = int(ok["covered"].astype(bool).sum())
        cov = k / n if n else math.nan
        lo, hi = wilson(k, n)
        z = err / ok["se"]
        out.append({
            "scale": scale, "estimand": estimand, "replications": n, "failed": len(g) - n,
            "cells_kept": ok["n_cells_kept"].mean(), "n_las": ok["n_las"].mean(), "n_clusters": ok["n_clusters"].mean(),
            "mean_truth": ok["truth"].mean(), "mean_estimate": ok["estimate"].mean(),
            "bias": err.mean(), "bias_mcse": sd / math.sqrt(n) if n > 1 else math.nan,
            "sd_errors": sd, "mean_se": ok["se"].mean(), "sd_over_se": sd / ok["se"].mean() if n > 1 else math.nan,
            "covered": k, "coverage": cov, "coverage_se": math.sqrt(cov * (1 - cov) / n) if n else math.nan,
            "wilson_low": lo, "wilson_high": hi,
            "z_q025": z.quantile(0.025), "z_q975": z.quantile(0.975), "sd_z": z.std(ddof=1),
        })
    return pd.DataFrame(out)


def by_cell(cells: pd.DataFrame) -> pd.DataFrame:
    """Per ATT(g, t) of the all-cells fit: RAAs on each side, coverage, errors against SEs."""
    c = cells.dropna(subset=["estimate", "se", "truth"])
    c = c.loc[c["estimand"] == "all_cells"].assign(err=lambda d: d["estimate"] - d["truth"])
    t = (c.groupby(["scale", "group", "time"])
         .agg(seeds=("seed", "size"), treated_raas=("treated_clusters", "mean"),
              comparison_raas=("control_clusters", "mean"), covered=("covered", "sum"), bias=("err", "mean"),
              sd_errors=("err", "std"), mean_se=("se", "mean"), mean_truth=("truth", "mean")).reset_index())
    t["coverage"] = t["covered"] / t["seeds"]
    return t


BINS = [(1, 2), (3, 4), (5, 9), (10, 19), (20, 10_000)]


def summarise_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """Coverage of the post cells by the number of RAAs among their comparison LAs."""
    out = []
    c = cells.dropna(subset=["estimate", "se", "truth"])
    for (scale, estimand), g in c.groupby(["scale", "estimand"], sort=False):
        for lo, hi in BINS:
            b = g.loc[g["control_clusters"].between(lo, hi)]
            if b.empty:
                continue
            k, n = int(b["covered"].astype(bool).sum()), len(b)
            err = b["estimate"] - b["truth"]
            wl, wh = wilson(k, n)
            out.append({"scale": scale, "estimand": estimand,
                        "comparison_raas": f"{lo}–{hi}" if hi < 10_000 else f"{lo}+", "cells": n,
                        "cells_per_seed": n / g["seed"].nunique(), "covered": k, "coverage": k / n,
                        "wilson_low": wl, "wilson_high": wh,
                        "sd_errors": float(err.std(ddof=1)) if n > 1 else math.nan, "mean_se": b["se"].mean(),
                        "bias": err.mean()})
    return pd.DataFrame(out)


# --- the markdown report -----------------------------------------------------------------------

def _fmt(v: float, d: int = 1) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{d}f}"


TEXT_COLUMNS = {"estimand"}


def _md_table(df: pd.DataFrame) -> str:
    head = "| " + " | ".join(df.columns) + " |"
    sep = "|" + "|".join("---" if c in TEXT_COLUMNS else "---:" for c in df.columns) + "|"
    return "\n".join([head, sep] + ["| " + " | ".join(str(v) for v in r) + " |" for r in df.itertuples(index=False)])


def _pooled_sd(d: pd.DataFrame) -> float:
    """SD of the errors over the cells of several bins (from each bin's count, mean and SD)."""
    n, m, v = d["cells"].to_numpy(float), d["bias"].to_numpy(float), d["sd_errors"].fillna(0).to_numpy(float) ** 2
    mean = (n * m).sum() / n.sum()
    return float(math.sqrt(((n - 1) * v + n * (m - mean) ** 2).sum() / (n.sum() - 1)))


def _reading(s: pd.Series, cells: pd.DataFrame) -> str:
    """A short reading of one estimand's summary, in words that follow the figures."""
    parts = []
    t = abs(s["bias"]) / s["bias_mcse"]
    parts.append(f"bias {_fmt(s['bias'], 2)} days against a Monte Carlo SE of {_fmt(s['bias_mcse'], 2)} "
                 f"({'within two MC SEs: no detectable bias' if t < 2 else f'{t:.1f} MC SEs: a detectable bias'})")
    r, n = s["sd_over_se"], s["replications"]
    half = Z95 / math.sqrt(2 * (n - 1))  # normal-theory 95% half-width of log(SD), optimistic with heavy tails
    lo, hi = r * math.exp(-half), r * math.exp(half)
    parts.append(f"the SD of the errors is {_fmt(r, 2)}× the mean SE (normal-theory 95% range {_fmt(lo, 2)}–"
                 f"{_fmt(hi, 2)}: " + ("SEs about right)" if lo <= 1 <= hi else "SEs too small)" if lo > 1
                                       else "SEs conservative)"))
    nominal = s["wilson_low"] <= 0.95 <= s["wilson_high"]
    parts.append(f"{int(s['covered'])}/{int(s['replications'])} intervals cover ({_fmt(100 * s['coverage'])}%, "
                 f"Wilson 95% {_fmt(100 * s['wilson_low'])}–{_fmt(100 * s['wilson_high'])}%): "
                 + (("consistent with the nominal 95%" + ("" if s["coverage"] >= 0.95 else
                     f" at {int(s['replications'])} replications, though {_fmt(100 * (0.95 - s['coverage']))} "
                     "points short of it")) if nominal else
                    "below the nominal 95%" if s["wilson_high"] < 0.95 else "above the nominal 95%"))
    text = "; ".join(parts) + "."
    c = cells.loc[(cells["scale"] == s["scale"]) & (cells["estimand"] == s["estimand"])]
    if not c.empty:
        few = c.loc[c["comparison_raas"].isin(["1–2", "3–4"])]
        wide = c.loc[~c["comparison_raas"].isin(["1–2", "3–4"])]
        def pooled(d: pd.DataFrame) -> Tuple[int, int]:
            return int(d["covered"].sum()), int(d["cells"].sum())
        if not few.empty:
            k1, n1 = pooled(few)
            k2, n2 = pooled(wide)
            text += (f" Post cells whose comparison LAs lie in at most 4 RAAs (late cohorts compared with the last "
                     f"RAAs to go live; {_fmt(few['cells_per_seed'].sum(), 1)} per seed) cover {_fmt(100 * k1 / n1)}% "
                     f"({k1}/{n1}), with errors' SD {_fmt(_pooled_sd(few))} against a mean SE "
                     f"{_fmt((few['mean_se'] * few['cells']).sum() / n1)}"
                     + (f"; those compared with 5 or more RAAs {_fmt(100 * k2 / n2)}% ({k2}/{n2}), SD "
                        f"{_fmt(_pooled_sd(wide))} against {_fmt((wide['mean_se'] * wide['cells']).sum() / n2)}"
                        if n2 else "") + "."
                     + (" The RAA-clustered SE of a late cell learns the comparison side's variance from those few "
                        "RAAs, so it understates it." if k1 / n1 < 0.95 else ""))
    return text


def _summary_table(summ: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "scale": summ["scale"].map(lambda v: f"{v:g}"), "estimand": summ["estimand"],
        "reps": summ["replications"].astype(int), "failed": summ["failed"].astype(int),
        "cells": summ["cells_kept"].map(_fmt), "mean truth": summ["mean_truth"].map(_fmt),
        "bias ± MC SE": [f"{_fmt(b, 2)} ± {_fmt(m, 2)}" for b, m in zip(summ["bias"], summ["bias_mcse"])],
        "SD": summ["sd_errors"].map(_fmt), "mean SE": summ["mean_se"].map(_fmt),
        "SD/SE": summ["sd_over_se"].map(lambda v: _fmt(v, 2)),
        "coverage": [f"{int(k)}/{int(n)} = {_fmt(100 * c)}% ± {_fmt(100 * s)}" for k, n, c, s in
                     zip(summ["covered"], summ["replications"], summ["coverage"], summ["coverage_se"])],
        "Wilson 95%": [f"{_fmt(100 * a)}–{_fmt(100 * b)}%" for a, b in zip(summ["wilson_low"], summ["wilson_high"])],
        "z 2.5%": summ["z_q025"].map(lambda v: _fmt(v, 2)), "z 97.5%": summ["z_q975"].map(lambda v: _fmt(v, 2)),
        "SD z": summ["sd_z"].map(lambda v: _fmt(v, 2)),
    })


def report(paths: Sequence[str], md: str) -> None:
    runs = [pd.read_csv(p) for p in paths]
    cell_runs = [pd.read_csv(p.replace(".csv", "_cells.csv")) for p in paths
                 if os.path.exists(p.replace(".csv", "_cells.csv"))]
    res = pd.concat(runs, ignore_index=True)
    summ = summarise(res)
    cells = summarise_cells(pd.concat(cell_runs, ignore_index=True)) if cell_runs else pd.DataFrame()
    lines = ["# Callaway–Sant'Anna recovery on synthetic England", "",
             "Date: 2026-11-24. Machine: 2 cores. Script: `benches/staggered_recovery.py` (its docstring "
             "gives the design). Estimator: `ri.att_gt(panel, outcome, unit=\"la\", time=\"year\", "
             "group=\"go_year\", control_group=\"notyettreated\", est_method=\"dr\", bed_in=1, "
             "cluster=\"cluster\")` (cluster = the RAA) on the balanced LA × collection-year panel "
             "2013–2022 of order-cohort mean PO → placed days; `min_clusters_5` adds "
             "`min_comparison_clusters=5`. The truth of each replication is the same estimator (same "
             "options) applied to each LA-year's realised mean effect `y1 − y0` (`effect_days`) of the "
             "children behind the cell: those the journeys hold, with an order in that year, placed by the "
             "journeys' data cut (as the panel's cohort means count them); an LA with a cell whose truth "
             "children are not the panel's would leave the panel (counted below). "
             "Generator defaults: effect −14 days, −35 for harder-to-place "
             "children, 183-day bed-in with a 10-day dip.", "", "## Runs", ""]
    for p, r in zip(paths, runs):
        seeds = sorted(r["seed"].unique())
        scale = float(r["scale"].iloc[0])
        jobs = int(r["jobs"].iloc[0]) if "jobs" in r else 1
        per = r.drop_duplicates("seed")
        wall = float(r["wall_seconds"].max()) if "wall_seconds" in r else math.nan
        contiguous = seeds == list(range(seeds[0], seeds[0] + len(seeds)))
        cmd = (f"python benches/staggered_recovery.py --seeds {len(seeds)} --scale {scale:g} "
               f"--first-seed {seeds[0]} --jobs {jobs} --out {os.path.relpath(p, os.path.dirname(HERE))}")
        lines += [f"* scale {scale:g}: seeds {seeds[0]}–{seeds[-1]} ({len(seeds)}"
                  + ("" if contiguous else ", not contiguous") + f"), `{cmd}`",
                  f"  - time per seed (generation, journeys, panel, four fits): mean {_fmt(per['seconds'].mean(), 2)} s, "
                  f"median {_fmt(per['seconds'].median(), 2)} s, max {_fmt(per['seconds'].max(), 2)} s; "
                  f"wall time of the run {_fmt(wall / 60, 1)} min"
                  + (f" ({_fmt(wall / len(seeds), 2)} s per seed with {jobs} jobs)" if jobs > 1 else ""),
                  f"  - LAs in the balanced panel: mean {_fmt(per['n_las'].mean())} "
                  f"(left out for an empty year: mean {_fmt(per['dropped_las'].mean())}, max {int(per['dropped_las'].max())}; "
                  f"for a cell whose truth children differ from the panel's: "
                  f"{int(per['truth_mismatch_las'].sum()) if 'truth_mismatch_las' in per else 0} in all); "
                  f"RAAs (clusters): {int(per['n_clusters'].min())}–{int(per['n_clusters'].max())}"]
    lines += ["", "The markdown is written from the CSVs by `python benches/staggered_recovery.py --report "
              f"{os.path.relpath(md, os.path.dirname(HERE))} " + " ".join(os.path.relpath(p, os.path.dirname(HERE))
                                                                        for p in paths) + "`.", ""]
    lines += ["## Simple ATT against its truth", "",
              "Days. Bias = mean (estimate − truth) ± its Monte Carlo SE; SD = SD of the errors; SE = mean "
              "analytic SE (clustered on the RAA); coverage of the 95% intervals with its binomial SE and "
              "Wilson 95% interval; z = (estimate − truth) / SE (nominal quantiles ±1.96, SD 1); cells = post "
              "ATT(g, t) with an estimate per seed.", ""]
    tab = _summary_table(summ)
    lines += [_md_table(tab), ""]
    first = res.loc[res["seed"] < SUBSET]
    if first["seed"].nunique() == SUBSET and res["seed"].nunique() > SUBSET:
        lines += [f"The same over seeds 0–{SUBSET - 1} only (the seeds of the Rust test "
                  "`crates/raa-impact/tests/england_recovery.rs`, at its scale 0.25):", "",
                  _md_table(_summary_table(summarise(first))), ""]
    if not cells.empty:
        lines += ["## Post cells by the RAAs among their comparison LAs", "",
                  "Each post-bed-in ATT(g, t) against the same estimator on the realised effects (its own "
                  "truth), grouped by how many RAAs the cell's not-yet-treated comparison LAs lie in.", ""]
        ct = pd.DataFrame({
            "scale": cells["scale"].map(lambda v: f"{v:g}"), "estimand": cells["estimand"],
            "comparison RAAs": cells["comparison_raas"], "cells": cells["cells"],
            "per seed": cells["cells_per_seed"].map(lambda v: _fmt(v, 2)),
            "coverage": [f"{k}/{n} = {_fmt(100 * c)}%" for k, n, c in zip(cells["covered"], cells["cells"], cells["coverage"])],
            "Wilson 95%": [f"{_fmt(100 * a)}–{_fmt(100 * b)}%" for a, b in zip(cells["wilson_low"], cells["wilson_high"])],
            "bias": cells["bias"].map(_fmt), "SD": cells["sd_errors"].map(_fmt), "mean SE": cells["mean_se"].map(_fmt),
        })
        lines += [_md_table(ct), ""]
    if cell_runs:
        g = by_cell(pd.concat(cell_runs, ignore_index=True))
        lines += ["## Post cells of the all-cells fit, one by one", "",
                  "Per ATT(g, t) (g = go-live collection year, t = collection year; the go-live year is the "
                  "bed-in): the mean number of RAAs among its treated and its comparison LAs, coverage of its own "
                  "95% interval, and its errors against its SEs. `min_comparison_clusters=5` keeps the cells "
                  "whose comparison LAs lie in 5 RAAs or more.", ""]
        gt = pd.DataFrame({
            "scale": g["scale"].map(lambda v: f"{v:g}"), "g": g["group"], "t": g["time"], "seeds": g["seeds"],
            "mean truth": g["mean_truth"].map(_fmt),
            "treated RAAs": g["treated_raas"].map(_fmt), "comparison RAAs": g["comparison_raas"].map(_fmt),
            "coverage": [f"{_fmt(100 * v)}%" for v in g["coverage"]], "bias": g["bias"].map(_fmt),
            "SD": g["sd_errors"].map(_fmt), "mean SE": g["mean_se"].map(_fmt),
            "SD/SE": (g["sd_errors"] / g["mean_se"]).map(lambda v: _fmt(v, 2)),
        })
        lines += [_md_table(gt), ""]
    lines += ["## Reading", ""]
    for _, s in summ.iterrows():
        lines.append(f"* scale {s['scale']:g}, `{s['estimand']}` (mean truth {_fmt(s['mean_truth'])} days, "
                     f"{_fmt(s['cells_kept'])} post cells per seed): " + _reading(s, cells))
        if s["estimand"] == "min_clusters_5" and cell_runs:
            kept = g.loc[(g["scale"] == s["scale"]) & (g["comparison_raas"] >= ESTIMANDS["min_clusters_5"][0])]
            if not kept.empty:
                lines[-1] += (f" Its cells are the early cohorts' first years ({', '.join(f'({a}, {b})' for a, b in zip(kept['group'], kept['time']))}), "
                              f"whose treated LAs lie in {_fmt(kept['treated_raas'].min())}–{_fmt(kept['treated_raas'].max())} RAAs "
                              f"on average; their own intervals cover {_fmt(100 * kept['covered'].sum() / kept['seeds'].sum())}%, "
                              f"SD/SE {_fmt((kept['sd_errors'] / kept['mean_se']).min(), 2)}–{_fmt((kept['sd_errors'] / kept['mean_se']).max(), 2)}."
                              + (" They fall short of 95% although their comparisons span many RAAs: the treated side "
                                 "has only those few RAAs, so its clustered variance is itself estimated from few "
                                 "clusters (noisy, biased down), which a normal critical value does not allow for."
                                 if kept["covered"].sum() / kept["seeds"].sum() < 0.95 else ""))
    lines.append("")
    with open(md, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


# --- main --------------------------------------------------------------------------------------

def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", type=int, default=200, help="replications")
    p.add_argument("--first-seed", type=int, default=0)
    p.add_argument("--scale", type=float, default=0.25, help="size of synthetic England (1 = national)")
    p.add_argument("--jobs", type=int, default=1, help="processes (generation already uses every core)")
    p.add_argument("--out", default=None, help="per-seed CSV (default benches/results/staggered_recovery_scale<S>.csv)")
    p.add_argument("--report", default=None, metavar="MD",
                   help="write the markdown results file MD from the CSVs given as arguments instead of running")
    p.add_argument("csvs", nargs="*", help="with --report: the runs' CSVs")
    a = p.parse_args(argv)
    if a.report:
        if not a.csvs:
            p.error("--report needs the runs' CSVs")
        report(a.csvs, a.report)
        summ = summarise(pd.concat([pd.read_csv(c) for c in a.csvs], ignore_index=True))
        with pd.option_context("display.width", 250, "display.max_columns", 40):
            print(summ.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        return 0
    out = a.out or os.path.join(HERE, "results", f"staggered_recovery_scale{str(a.scale).replace('.', '')}.csv")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    cells_out = out.replace(".csv", "_cells.csv")
    seeds = list(range(a.first_seed, a.first_seed + a.seeds))
    rows: List[dict] = []
    cells: List[dict] = []
    start = time.perf_counter()

    def done(i: int, r: List[dict], c: List[dict]) -> None:
        wall = time.perf_counter() - start
        for x in r:
            x.update(jobs=a.jobs, wall_seconds=wall)
        rows.extend(r)
        cells.extend(c)
        res = pd.DataFrame(rows)
        res[COLUMNS + [k for k in res.columns if k not in COLUMNS]].to_csv(out, index=False)
        pd.DataFrame(cells).to_csv(cells_out, index=False)
        print(f"seed {r[0]['seed']} ({i} of {len(seeds)}) done in {r[0]['seconds']:.1f} s, elapsed {wall:.0f} s",
              file=sys.stderr, flush=True)

    if a.jobs > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(a.jobs) as pool:
            for i, (r, c) in enumerate(pool.imap(_work, [(s, a.scale) for s in seeds]), 1):
                done(i, r, c)
    else:
        for i, s in enumerate(seeds, 1):
            done(i, *replication(s, a.scale))
    summ = summarise(pd.DataFrame(rows))
    with pd.option_context("display.width", 250, "display.max_columns", 40):
        print(summ.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
