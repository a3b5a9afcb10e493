"""Report section: a controlled interrupted time series for every RAA, and their pooled effect.

Each RAA's founding LAs are pooled into one quarterly series of the mean placement order → placed
days of each quarter's *order cohort* (an effect on children ordered after go-live arrives as a
step), beside a comparison series of the LAs not yet live by the end of the RAA's window
(:func:`raa_impact.controlled_series`). A controlled segmented regression (``ri.its`` with
``comparison=``) estimates the RAA's level change after the bed-in relative to the comparison:
``group:step``. Windows stop ``follow_up_quarters`` before the data cut, so that the order
cohorts in them are nearly complete.

The pooled effect is the children-weighted mean of the RAA steps (weights: children behind each
RAA's post-bed-in cells), as the ITS notebook pools them; its SE treats the RAA fits as
independent, which the comparison LAs they share make optimistic. The library has no
random-effects meta-analysis, so no between-RAA variance is added.
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

import numpy as np
import pandas as pd

from ..._core import pool_estimates
from ..context import Context
from ..section import NotComputable, Section, describe
from .multiple_baseline import milestone_name

Options = Mapping[str, Any]  # a section's config table

KEY = "its"
TITLE = "Interrupted time series by RAA"
DEFAULTS: Dict[str, Any] = {
    "mean": "cohort_po_to_placed",  # the panel mean: cohort_po_to_placed | cohort_po_to_match | po_to_placed | ...
    "pre": 16,                      # quarters before the go-live quarter
    "post": 4,                      # quarters after the bed-in
    "min_controls": 3,              # fewest comparison LAs for an RAA to be fitted
    "last_period": "",              # last quarter of any window, e.g. "2022Q1"; "" = follow_up_quarters before the cut
    "follow_up_quarters": 8,        # quarters kept clear of the data cut when last_period is ""
    "errors": "ols",                # ols | newey_west | ar1 (errors of each RAA's fit)
    "ncols": 4,                     # panels per row of the small multiples
}



def build(ctx: Context, section: Section) -> None:
    """Fit every RAA's controlled ITS, pool the steps, draw the small multiples.

    >>> import raa_impact as ri
    >>> from raa_impact.evaluate import Config, defaults
    >>> cfg = Config.from_mapping({"synthetic": {"scale": 0.1}}, defaults())
    >>> s = ri.evaluate(config=cfg, sections=["its"], progress=False).section("its")
    >>> s.ok, "pooled_estimate" in s.numbers
    (True, True)
    """
    import raa_impact as ri

    opts = ctx.config[KEY]
    last = opts["last_period"] or last_clear_quarter(ctx.journeys, int(opts["follow_up_quarters"]))
    series = ri.controlled_series(ctx.journeys, ctx.registry, mean=opts["mean"], pre=int(opts["pre"]),
                                  post=int(opts["post"]), min_controls=int(opts["min_controls"]),
                                  last_period=last, freq="quarter", milestone=ctx.milestone,
                                  bed_in_days=ctx.bed_in_days)
    skipped = _skipped_frame(series.attrs.get("skipped"))
    skipped = pd.concat([skipped, _unlisted(ctx, series, skipped)], ignore_index=True)
    section.text(_intro(ctx, opts, last))
    if series.empty:
        raise NotComputable("no RAA has a series to fit: " + _reasons(skipped))
    fits, failed = _fit_all(series, opts)
    skipped = pd.concat([skipped, failed], ignore_index=True)
    if not fits:
        raise NotComputable("no RAA's controlled ITS could be fitted: " + _reasons(skipped))
    table = _per_raa(series, fits)
    if ctx.is_synthetic:
        table["realised_truth"] = table["raa_id"].map(_truth_by_raa(ctx, series))
    section.table("per_raa", table, "Each RAA's level change after the bed-in (days, RAA minus comparison; "
                  "95% CI) with the periods and comparison LAs behind it", counts=["children_post"])
    _pooled(ctx, section, table)
    _not_fitted(section, skipped)
    _figure(section, series, fits, int(opts["ncols"]))


def last_clear_quarter(journeys: pd.DataFrame, follow_up: int) -> str:
    """The quarter ``follow_up`` quarters before the data cut's, as ``"2022Q1"``.

    >>> j = pd.DataFrame(); j.attrs["cut_date"] = "2024-03-31"
    >>> last_clear_quarter(j, 8)
    '2022Q1'
    """
    cut = journeys.attrs.get("cut_date")
    if cut is None or pd.isna(pd.Timestamp(cut)):
        raise NotComputable("the journeys carry no data cut; set its.last_period")
    q = pd.Period(pd.Timestamp(cut), freq="Q") - int(follow_up)
    return f"{q.year}Q{q.quarter}"


def _intro(ctx: Context, opts: Options, last: str) -> str:
    return (f"One controlled interrupted time series per RAA: the quarterly mean `{opts['mean']}` of its founding "
            f"LAs beside the LAs not yet live, {opts['pre']} quarters before the go-live quarter, the bed-in "
            f"({ctx.bed_in_days} days after the {milestone_name(ctx.milestone)}) left out, then {opts['post']} "
            f"quarters; windows end by {last}. The estimate is the RAA's step relative to the comparison "
            f"(`group:step`, {opts['errors']} errors, children as weights); negative is faster.")


def _fit_all(series: pd.DataFrame, opts: Options) -> Tuple[Dict[str, Any], pd.DataFrame]:
    """Each RAA's controlled fit; the RAAs whose fit failed, with the reason."""
    import raa_impact as ri

    fits: Dict[str, Any] = {}
    failed: List[Dict[str, str]] = []
    for key, d in series.groupby("raa_id", sort=True):
        try:
            fits[key] = ri.its(d, outcome="mean", time="t", weights="n", comparison="treated", impact="step",
                               interruption=int(d["go_live_t"].iloc[0]), bed_in=int(d["bed_in_periods"].iloc[0]),
                               errors=opts["errors"], lower_is_better=True)
        except Exception as exc:  # one RAA's failure is listed, not fatal
            failed.append({"raa_id": str(key), "reason": f"the fit failed: {describe(exc)}"})
    return fits, pd.DataFrame(failed, columns=["raa_id", "reason"])


def _per_raa(series: pd.DataFrame, fits: Dict[str, Any]) -> pd.DataFrame:
    rows = []
    for key, fit in fits.items():
        d = series.loc[series["raa_id"] == key]
        treated = d.loc[d["treated"]]
        c = fit.coefficients().set_index("term").loc["group:step"]
        post_from = int(d["go_live_t"].iloc[0]) + int(d["bed_in_periods"].iloc[0])
        rows.append({"raa_id": key, "go_live_period": d["go_live_period"].iloc[0],
                     "step": c["estimate"], "se": c["se"], "ci_low": c["ci_low"], "ci_high": c["ci_high"],
                     "p_value": c["p_value"],
                     "n_periods": int(((treated["t"] < post_from - int(d["bed_in_periods"].iloc[0]))
                                       | (treated["t"] >= post_from)).sum()),
                     "n_comparison_las": int(d["n_controls"].iloc[0]),
                     "children_post": int(treated.loc[treated["t"] >= post_from, "n"].sum())})
    return pd.DataFrame(rows)


def pool(table: pd.DataFrame, weights: np.ndarray, method: str) -> Dict[str, Any]:
    """A weighted mean of the RAA steps with its SE (the fits taken as independent) and 95% CI;
    the realised truth pooled with the same weights where the table has it.

    >>> t = pd.DataFrame({"step": [-10.0, -30.0], "se": [3.0, 4.0]})
    >>> r = pool(t, np.array([1.0, 1.0]), "mean")
    >>> r["step"], r["se"]
    (-20.0, 2.5)
    """
    est, se, lo, hi = pool_estimates(table["step"].to_list(), table["se"].to_list(),
                                     [float(x) for x in weights], 0.95)
    row = {"method": method, "step": est, "se": se, "ci_low": lo, "ci_high": hi, "n_raas": len(table)}
    if "realised_truth" in table:
        w = weights / weights.sum()
        row["realised_truth"] = float(np.sum(w * table["realised_truth"].to_numpy(float)))
    return row


def _pooled(ctx: Context, section: Section, table: pd.DataFrame) -> None:
    children = table["children_post"].to_numpy(float)
    if children.sum() <= 0:
        section.note("no children behind any RAA's post-bed-in cells: no pooled effect")
        return
    head = pool(table, children, "children-weighted mean (weights: children behind the post cells)")
    rows = [head, pool(table, 1.0 / table["se"].to_numpy(float) ** 2, "inverse-variance weighted mean")]
    section.table("pooled", pd.DataFrame(rows),
                  "Pooled level change (days). The first row (the headline, as the ITS notebook pools) weights each "
                  "RAA's step by its children; the second by 1/SE². Both SEs treat the RAA fits as independent; "
                  "they share comparison LAs, so the SEs are optimistic (the library has no meta-analysis that "
                  "models that correlation or between-RAA variance)")
    est, se = head["step"], head["se"]
    section.number("pooled_estimate", est)
    section.number("pooled_se", se)
    section.number("pooled_inverse_variance", {"estimate": rows[1]["step"], "se": rows[1]["se"]})
    section.number("n_raas_fitted", int(len(table)))
    ctx.results[KEY] = {"estimate": est, "se": se, "per_raa": table}
    if ctx.is_synthetic:
        truth = head["realised_truth"]
        section.number("truth", truth)
        cfg = ctx.synthetic.config
        section.text(f"Synthetic England: the generator's effect is {cfg['effect_po_to_placed_days']:g} days "
                     f"({cfg['effect_htp_po_to_placed_days']:g} for harder-to-place children) for orders after "
                     f"go-live plus {cfg['bed_in_days']} days. The realised truth is the mean effect of the children "
                     f"behind each RAA's post cells (the mix of children dilutes the nominal effect), pooled with "
                     f"the same weights: {truth:.1f} days, against an estimate of {est:.1f} (SE {se:.1f}).")


def _truth_by_raa(ctx: Context, series: pd.DataFrame) -> Dict[str, float]:
    """Each RAA's realised mean effect over the children behind its post-bed-in treated cells."""
    t = ctx.synthetic.truth.dropna(subset=["po_date", "placed_date"])
    cut = ctx.journeys.attrs.get("cut_date")
    if cut is not None:
        t = t.loc[t["placed_date"] <= pd.Timestamp(cut)]
    q = t["po_date"].dt.to_period("Q")
    label = q.dt.year.astype(str) + "Q" + q.dt.quarter.astype(str)
    out: Dict[str, float] = {}
    for key, d in series.loc[series["treated"]].groupby("raa_id"):
        post = set(d.loc[d["t"] >= d["go_live_t"] + d["bed_in_periods"], "period"])
        kids = t.loc[t["la"].isin(str(d["las"].iloc[0]).split()) & label.isin(post)]
        out[key] = float(kids["effect_days"].mean()) if len(kids) else float("nan")
    return out


def _skipped_frame(skipped: Optional[pd.DataFrame]) -> pd.DataFrame:
    if skipped is None or len(skipped) == 0:
        return pd.DataFrame(columns=["raa_id", "reason"])
    return skipped[["raa_id", "reason"]].astype(str).reset_index(drop=True)


def _unlisted(ctx: Context, series: pd.DataFrame, skipped: pd.DataFrame) -> pd.DataFrame:
    """RAAs with LAs in the returns that have neither a series nor a reason from
    ``controlled_series`` (no milestone, or one outside the data), with the reason."""
    p = ctx.panel("year")
    if p.empty:
        return pd.DataFrame(columns=["raa_id", "reason"])
    starts = p.dropna(subset=["raa_id"]).groupby("raa_id")["go_live"].min()
    known = set(series["raa_id"].astype(str)) | set(skipped["raa_id"].astype(str))
    first, last = p["period_start"].min(), p["period_end"].max()
    name = milestone_name(ctx.milestone)
    rows = []
    for raa, start in starts.items():
        if str(raa) in known:
            continue
        if pd.isna(start):
            reason = f"no {name} date in the registry"
        elif start > last:
            reason = f"{name} on {start.date()}, after the data end: no post-period"
        elif start < first:
            reason = f"{name} on {start.date()}, before the data start: no pre-period"
        else:
            reason = f"{name} on {start.date()}: no window of the panel around it"
        rows.append({"raa_id": str(raa), "reason": reason})
    return pd.DataFrame(rows, columns=["raa_id", "reason"])


def _reasons(skipped: pd.DataFrame) -> str:
    """The RAAs grouped by reason: ``"a, b (reason one); c (reason two)"``."""
    if skipped.empty:
        return "no RAA has founding LAs in the returns"
    groups = skipped.groupby("reason", sort=False)["raa_id"].apply(lambda ids: ", ".join(ids))
    return "; ".join(f"{ids} ({reason})" for reason, ids in groups.items())


def _not_fitted(section: Section, skipped: pd.DataFrame) -> None:
    section.number("raas_not_fitted", {r.raa_id: r.reason for r in skipped.itertuples()})
    if skipped.empty:
        return
    section.table("not_fitted", skipped, "RAAs without a controlled ITS, and why")
    section.note(f"{len(skipped)} RAA(s) could not be fitted: " + _reasons(skipped))


def _figure(section: Section, series: pd.DataFrame, fits: Dict[str, Any], ncols: int) -> None:
    import matplotlib.pyplot as plt

    keys = list(fits)
    ncols = max(1, min(ncols, len(keys)))
    nrows = -(-len(keys) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.5 * nrows), squeeze=False)
    for i, (ax, key) in enumerate(zip(axes.flat, keys)):
        fits[key].plot(ax=ax, title=str(key))
        comp = series.loc[(series["raa_id"] == key) & ~series["treated"]]
        ax.plot(comp["t"], comp["mean"], ".", ms=3, color="C2", alpha=0.7, label="comparison LAs")
        ax.set_xlabel(f"quarter (go-live {comp['go_live_period'].iloc[0]} at t={comp['go_live_t'].iloc[0]})",
                      fontsize=7)
        ax.set_ylabel("days", fontsize=7)
        ax.title.set_fontsize(8)
        ax.tick_params(labelsize=6)
        if i == 0:
            ax.legend(frameon=False, fontsize=6)
        elif ax.get_legend() is not None:
            ax.get_legend().remove()
    for ax in axes.flat[len(keys):]:
        ax.set_visible(False)
    fig.tight_layout()
    section.figure("small_multiples", fig, "Each RAA's quarterly order-cohort mean (grey), the comparison LAs "
                   "(green), the fitted segments and the counterfactual without the RAA's step (red, 95% band); "
                   "bed-in shaded")
