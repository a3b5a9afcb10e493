"""Report section: the staggered roll-out as a multiple-baseline design.

The unit is the LA-year: the mean placement order → placed days of each collection year's
*order cohort* (``cohort_mean_po_to_placed`` of ``ri.la_panel(freq="year")``), over the years
``first_year``–``last_year`` (by default two years clear of the data cut, so that cohorts are
nearly complete). An LA's cohort is the collection year holding its exposure start (its RAA's
milestone, or the day it joined); LAs live after the window, or never, are not yet treated
throughout. LAs with an empty year leave the balanced panel and are counted.

Four views of the same panel: the multiple-baseline picture (one strip per RAA), Callaway and
Sant'Anna's ATT(g, t) with not-yet-treated comparisons and standard errors clustered on the RAA
(the simple ATT is the headline, reused by the sensitivity and costs sections), the event study
with a multiplier-bootstrap uniform band, randomisation tests over go-live timing, and the
multilevel segmented regression.

The bed-in (``data.bed_in_days``) is left out as whole collection years: none without a bed-in,
else the go-live year and one more for each full 365 days of it (183 days → 1 year, 365 → 2).
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

import numpy as np
import pandas as pd

from ..context import Context
from ..section import NotComputable, Section

Options = Mapping[str, Any]  # a section's config table

KEY = "multiple_baseline"
TITLE = "Multiple baseline and staggered adoption"
DEFAULTS: Dict[str, Any] = {
    "outcome": "cohort_mean_po_to_placed",  # a column of ri.la_panel (yearly): cohort_mean_po_to_match, ...
    "first_year": 2013,                     # first collection year of the panel
    "last_year": 0,                         # last collection year; 0 = follow_up_years before the cut's
    "follow_up_years": 2,                   # years kept clear of the data cut when last_year is 0
    "control_group": "notyettreated",       # notyettreated | nevertreated
    "est_method": "dr",                     # dr | reg | ipw
    "min_comparison_clusters": 5,           # also report the simple ATT of cells compared with >= this many RAAs (0: not)
    "small_sample": True,                   # analytic SEs x sqrt(G/(G-1)) and t(G-1) intervals, G = RAAs (false: as R did)
    "bootstrap": 999,                       # multiplier-bootstrap draws of the event study's uniform band
    "randomization_draws": 999,             # Monte Carlo assignments of each randomisation test
    "randomization_window": 1,              # each LA's go-live year may move this many years either way
    "multilevel_random": ["intercept", "step"],  # random effects per LA (intercept, step, slope, time)
    "strips": 40,                           # most strips in the multiple-baseline picture
}

_Z = 1.959963984540054


def build(ctx: Context, section: Section) -> None:
    """Compute every multiple-baseline view; the CS simple ATT goes to ``ctx.results``.

    >>> import raa_impact as ri
    >>> from raa_impact.evaluate import Config, defaults
    >>> cfg = Config.from_mapping({"synthetic": {"scale": 0.1}}, defaults())
    >>> s = ri.evaluate(config=cfg, sections=["multiple_baseline"], progress=False).section("multiple_baseline")
    >>> s.ok, "cs_simple_att" in s.numbers
    (True, True)
    """
    opts = ctx.config[KEY]
    panel = cs_panel(ctx)
    k = panel.attrs["bed_in_periods"]
    section.text(_intro(ctx, panel))
    for note in panel.attrs["notes"]:
        section.note(note)
    with section.part("the multiple-baseline picture"):
        _picture(ctx, section, panel, int(opts["strips"]))
    fit = cs_fit(panel, k, opts)
    _headline(ctx, section, panel, fit, opts)
    with section.part("the event study with a uniform band"):
        _event_study(ctx, section, panel, opts)
    with section.part("the randomisation tests"):
        _randomization(ctx, section, panel, opts)
    with section.part("the multilevel segmented regression"):
        _multilevel(ctx, section, panel, opts)


# --- the panel, shared with the sensitivity section -------------------------------------------

def collection_year(dates: pd.Series) -> pd.Series:
    """SSDA903 collection year (1 April – 31 March, labelled by the year it ends).

    >>> collection_year(pd.Series(pd.to_datetime(["2019-03-31", "2019-04-01"]))).tolist()
    [2019, 2020]
    """
    return dates.dt.year + (dates.dt.month >= 4).astype(int)


def milestone_name(milestone: str) -> str:
    """A milestone as the report names it.

    >>> milestone_name("go_live"), milestone_name("soft_launch")
    ('go-live', 'soft launch')
    """
    return "go-live" if milestone == "go_live" else milestone.replace("_", " ")


def bed_in_years(bed_in_days: int) -> int:
    """Whole collection years left out after go-live: none without a bed-in, else the go-live year
    and one more for each full 365 days.

    >>> [bed_in_years(b) for b in (0, 183, 365, 730)]
    [0, 1, 2, 3]
    """
    return 0 if bed_in_days <= 0 else 1 + int(bed_in_days) // 365


def window(ctx: Context) -> Tuple[int, int]:
    """The panel's first and last collection years."""
    opts = ctx.config[KEY]
    last = int(opts["last_year"])
    if last == 0:
        cut = ctx.journeys.attrs.get("cut_date")
        if cut is None:
            raise NotComputable("the journeys carry no data cut; set multiple_baseline.last_year")
        last = int(collection_year(pd.Series([pd.Timestamp(cut)])).iloc[0]) - int(opts["follow_up_years"])
    first = int(opts["first_year"])
    if last - first < 2:
        raise NotComputable(f"the panel window {first}–{last} is too short (need three collection years or more)")
    return first, last


def cs_panel(ctx: Context, milestone: Optional[str] = None, bed_in_days: Optional[int] = None,
             starts: Optional[pd.Series] = None) -> pd.DataFrame:
    """The balanced LA × collection-year panel of the CS design.

    Columns ``la, cluster, year, go_year (0 = not treated in the window), y`` (the outcome), ``n``
    (its children) and, on synthetic England, ``truth`` (the realised mean effect of the cell's
    children). ``starts`` (LA → date) overrides the exposure starts. ``attrs`` hold the window,
    ``bed_in_periods``, ``dropped`` LAs and notes for the report.
    """
    opts = ctx.config[KEY]
    first, last = window(ctx)
    raw = ctx.panel("year", "la", milestone, bed_in_days)
    outcome = opts["outcome"]
    if outcome not in raw.columns:
        raise NotComputable(f"multiple_baseline.outcome `{outcome}` is not a column of the yearly LA panel")
    p = raw.assign(year=raw["period"].astype(int))
    p = p.loc[p["year"].between(first, last)]
    start = p["go_live"] if starts is None else p["la"].map(starts)
    go = collection_year(pd.to_datetime(start)).fillna(0).astype(int)
    p = pd.DataFrame({"la": p["la"].astype(str), "cluster": p["raa_id"].fillna("no RAA: " + p["la"].astype(str)),
                      "year": p["year"], "go_year": np.where(go > last, 0, go), "y": p[outcome],
                      "n": p[_count_column(outcome)] if _count_column(outcome) in p.columns else np.nan})
    complete = p.groupby("la")["y"].transform(lambda s: bool(s.notna().all()))
    dropped = sorted(p.loc[~complete, "la"].unique())
    p = p.loc[complete].reset_index(drop=True)
    notes = []
    if dropped:
        notes.append(f"{len(dropped)} LA(s) left out of the balanced panel for a year with no order cohort "
                     f"placed: {', '.join(dropped[:20])}{' ...' if len(dropped) > 20 else ''}")
    if p.empty:
        raise NotComputable(f"no LA has `{outcome}` in every collection year {first}–{last}")
    k = bed_in_years(ctx.bed_in_days if bed_in_days is None else int(bed_in_days))
    notes += timing_notes(raw, start, first, last, k, milestone or ctx.milestone)
    if ctx.is_synthetic:
        p = _with_truth(ctx, p)
    p.attrs.update({"first_year": first, "last_year": last, "dropped": dropped, "notes": notes,
                    "bed_in_days": ctx.bed_in_days if bed_in_days is None else int(bed_in_days),
                    "bed_in_periods": bed_in_years(ctx.bed_in_days if bed_in_days is None else int(bed_in_days)),
                    "milestone": milestone or ctx.milestone})
    return p


def timing_notes(raw: pd.DataFrame, start: pd.Series, first: int, last: int, k: int, milestone: str) -> List[str]:
    """Name the RAAs without a pre-period, a post-period or a milestone in the window."""
    per = pd.DataFrame({"raa": raw["raa_id"], "start": pd.to_datetime(start)}).dropna(subset=["raa"])
    earliest = per.groupby("raa")["start"].min()
    latest = per.groupby("raa")["start"].max()
    year_first, year_last = collection_year(earliest), collection_year(latest)
    name = milestone_name(milestone)
    groups = {
        f"no {name} date in the registry (their LAs count as never live)": earliest.index[earliest.isna()],
        f"no post-period: live after {last - k}, the last year with a post-bed-in year in the panel {first}–{last} "
        "(their LAs count as not yet live)": year_first.index[year_first.notna() & (year_first + k > last)],
        f"no pre-period: live by {first}, the panel's first year (their LAs are left out)":
            year_last.index[year_last.notna() & (year_last <= first)],
    }
    return [f"RAAs with {why}: {', '.join(map(str, raas))}" for why, raas in groups.items() if len(raas)]


def _count_column(outcome: str) -> str:
    return outcome.replace("mean_", "n_", 1)


def _with_truth(ctx: Context, p: pd.DataFrame) -> pd.DataFrame:
    """The realised mean effect of each LA-year's order cohort (children placed by the cut)."""
    t = ctx.synthetic.truth.dropna(subset=["po_date", "placed_date"])
    cut = ctx.journeys.attrs.get("cut_date")
    if cut is not None:
        t = t.loc[t["placed_date"] <= pd.Timestamp(cut)]
    cells = (t.assign(la=t["la"].astype(str), year=collection_year(t["po_date"]))
             .groupby(["la", "year"])["effect_days"].mean().rename("truth"))
    out = p.merge(cells.reset_index(), on=["la", "year"], how="left")
    out.attrs = dict(p.attrs)
    return out


def cs_fit(panel: pd.DataFrame, bed_in_periods: int, opts: Options, outcome: str = "y", **extra: Any) -> Any:
    """``ri.att_gt`` with the section's specification (not-yet-treated, clustered on the RAA)."""
    import raa_impact as ri

    return ri.att_gt(panel, outcome=outcome, unit="la", time="year", group="go_year",
                     control_group=opts["control_group"], est_method=opts["est_method"],
                     bed_in=int(bed_in_periods), cluster="cluster",
                     small_sample=bool(opts["small_sample"]), **extra)


def simple_row(fit: Any, panel: pd.DataFrame) -> Dict[str, Any]:
    """The simple ATT with its SE, CI and the units and clusters behind the fit."""
    o = fit.aggregate("simple").overall
    treated = panel.loc[panel["go_year"] > 0]
    return {"estimate": o.estimate, "se": o.se, "ci_low": o.ci_low, "ci_high": o.ci_high,
            "n_las": int(panel["la"].nunique()), "n_treated_las": int(treated["la"].nunique()),
            "n_clusters": int(panel["cluster"].nunique())}


def truth_estimate(panel: pd.DataFrame, bed_in_periods: int, opts: Options, **extra: Any) -> Optional[float]:
    """The same estimator applied to the realised effects: the truth with the estimator's weights
    (None without truth, or when an LA-year has none)."""
    if "truth" not in panel.columns:
        return None
    have = panel.groupby("la")["truth"].transform(lambda s: bool(s.notna().all()))
    sub = panel.loc[have]
    if sub.empty:
        return None
    return float(cs_fit(sub, bed_in_periods, opts, outcome="truth", **extra).aggregate("simple").overall.estimate)


# --- the section's parts ----------------------------------------------------------------------

def _intro(ctx: Context, panel: pd.DataFrame) -> str:
    a = panel.attrs
    cohorts = panel.drop_duplicates("la")["go_year"].value_counts().sort_index()
    listing = ", ".join(f"{g}: {n}" for g, n in cohorts.items() if g > 0)
    return (f"LA × collection-year panel {a['first_year']}–{a['last_year']} of `{ctx.config[KEY]['outcome']}` "
            f"({panel['la'].nunique()} LAs in {panel['cluster'].nunique()} RAAs; exposure from the "
            f"{milestone_name(a['milestone'])}). LAs by go-live year ({listing}); "
            f"{int((cohorts.get(0, 0)))} not live in the window. The bed-in of {a['bed_in_days']} days leaves out "
            f"{a['bed_in_periods']} collection year(s) from the go-live year on.")


def _picture(ctx: Context, section: Section, panel: pd.DataFrame, strips: int) -> None:
    import raa_impact as ri

    w = panel.assign(yn=panel["y"] * panel["n"].fillna(1), n1=panel["n"].fillna(1),
                     go=panel["go_year"].where(panel["go_year"] > 0))
    # An RAA's phase line is at its first LA's go-live (later joiners do not move it).
    raa = w.groupby(["cluster", "year"], as_index=False).agg(yn=("yn", "sum"), n=("n1", "sum"), go=("go", "min"))
    raa["days"] = raa["yn"] / raa["n"]
    units = raa.groupby("cluster")["go"].first().sort_values(na_position="last").index.tolist()
    shown = units[:strips]
    axes = ri.plot_multiple_baseline(raa, outcome="days", unit="cluster", time="year", go_live="go",
                                     bed_in=panel.attrs["bed_in_periods"], units=shown, weights="n", height=0.32)
    fig = axes[0].figure
    axes[0].set_title("Order-cohort PO → placed days by RAA (children-weighted over its LAs)", fontsize=9)
    more = "" if len(shown) == len(units) else f" (the first {len(shown)} of {len(units)} by go-live)"
    section.figure("panel", fig, f"The multiple-baseline panel: one strip per RAA{more}, not per LA "
                   f"({panel['la'].nunique()} LAs are too many to read); the red line is the go-live year, "
                   "the bed-in shaded, point size the children behind each year")


def _headline(ctx: Context, section: Section, panel: pd.DataFrame, fit: Any, opts: Options) -> None:
    k = panel.attrs["bed_in_periods"]
    row = simple_row(fit, panel)
    rows = [{"aggregation": "simple (headline)", **row}]
    for how in ("group", "dynamic", "calendar"):
        o = fit.aggregate(how).overall
        rows.append({"aggregation": how, "estimate": o.estimate, "se": o.se, "ci_low": o.ci_low, "ci_high": o.ci_high})
    truth = truth_estimate(panel, k, opts)
    truths = [truth] + [None] * 3
    wide = _wide_comparisons(section, panel, opts)
    if wide is not None:
        rows.append(wide[0])
        truths.append(wide[1])
    table = pd.DataFrame(rows)
    for c in ("n_las", "n_treated_las", "n_clusters"):
        table[c] = table[c].astype("Int64")
    if truth is not None:
        table["realised_truth"] = [np.nan if t is None else t for t in truths]
        section.number("cs_truth", truth)
    pre = _pretest(section, panel, fit, opts)
    if pre is not None:
        table["pretest_W"], table["pretest_df"], table["pretest_p"] = pre["W"], pre["df"], pre["p_value"]
        section.number("pretest_p", pre["p_value"])
        few = pre.get("few_clusters") or {}
        table["pretest_p_few_clusters"] = few.get("p_value")
        section.number("pretest_p_few_clusters", few.get("p_value"))
    corrected = (", small-sample corrected: SEs × √(G/(G−1)), t(G−1) intervals" if opts["small_sample"] else "")
    section.table("cs_att", table, "Callaway–Sant'Anna overall effects (days; analytic SEs clustered on the RAA"
                  f"{corrected}), with the Wald pre-test that every pre-go-live ATT(g, t) is zero")
    section.table("cs_cohorts", fit.cohorts(), "Go-live cohorts of the CS design (group 0: not yet live in the window)")
    for w in fit.warnings:
        section.note(f"Callaway–Sant'Anna: {w}")
    section.number("cs_simple_att", row["estimate"])
    section.number("cs_simple_se", row["se"])
    ctx.results[KEY] = {**row, "truth": truth, "bed_in_periods": k, "first_year": panel.attrs["first_year"],
                        "last_year": panel.attrs["last_year"], "outcome": opts["outcome"]}
    if truth is not None:
        section.text(f"Synthetic England: the CS simple ATT is {row['estimate']:.1f} days (SE {row['se']:.1f}); the "
                     f"same estimator applied to each LA-year's realised effect gives the truth {truth:.1f} days "
                     "(the nominal effect diluted by the mix of children, the bed-in dip and the cohorts' weights).")


def _wide_comparisons(section: Section, panel: pd.DataFrame,
                      opts: Options) -> Optional[Tuple[Dict[str, Any], Optional[float]]]:
    """The simple ATT over the cells whose not-yet-live comparison LAs span at least
    ``min_comparison_clusters`` RAAs, with its truth: late cohorts are compared with the one or two
    RAAs still to go live, whose clustered SEs are far too small (on synthetic England the
    intervals of the headline cover 20 of 24 times, these 23 of 24)."""
    m = int(opts["min_comparison_clusters"])
    if m <= 0:
        return None
    k = panel.attrs["bed_in_periods"]
    try:
        o = cs_fit(panel, k, opts, min_comparison_clusters=m).aggregate("simple").overall
    except ValueError as exc:
        section.note(f"No simple ATT over cells compared with at least {m} RAAs: {exc}")
        return None
    section.number("cs_simple_att_wide_comparisons", o.estimate)
    section.number("cs_simple_se_wide_comparisons", o.se)
    row = {"aggregation": f"simple, cells compared with >= {m} RAAs", "estimate": o.estimate, "se": o.se,
           "ci_low": o.ci_low, "ci_high": o.ci_high}
    try:
        truth = truth_estimate(panel, k, opts, min_comparison_clusters=m)
    except ValueError:
        truth = None
    return row, truth


def _pretest(section: Section, panel: pd.DataFrame, fit: Any, opts: Options) -> Optional[Dict[str, Any]]:
    """The Wald pre-test; when its clustered covariance is singular, again without the cohorts
    that lie in a single RAA (whose pre-period cells one cluster's shocks make collinear)."""
    try:
        pre = fit.pretest()
    except ValueError as exc:
        pre = _pretest_without_single_raa_cohorts(section, panel, fit, opts, str(exc))
    if pre is None:
        return None
    clusters = panel["cluster"].nunique()
    if pre["df"] > clusters / 2:
        section.note(f"the pre-test is a Wald test of {pre['df']} pre-period cells with a covariance clustered on "
                     f"{clusters} RAAs: with that many cells for so few clusters the χ² p-value (R did's) over-rejects; "
                     "pretest_p_few_clusters refers W to Hotelling's T² over the RAAs, which removes most but not all "
                     "of that; read both beside the event study's pre-period estimates and their uniform band")
    return pre


def _pretest_without_single_raa_cohorts(section: Section, panel: pd.DataFrame, fit: Any, opts: Options, why: str
                                        ) -> Optional[Dict[str, Any]]:
    c = fit.cohorts()
    single = sorted(int(g) for g in c.loc[(c["group"] > 0) & (c["n_clusters"] < 2), "group"])
    if not single:
        section.note(f"the pre-test of parallel trends could not be computed: {why}")
        return None
    try:
        pre = cs_fit(panel.loc[~panel["go_year"].isin(single)], panel.attrs["bed_in_periods"], opts).pretest()
    except ValueError as exc:
        section.note(f"the pre-test of parallel trends could not be computed: {why}; without the single-RAA "
                     f"cohorts {single} either: {exc}")
        return None
    section.note(f"the pre-test with every cohort could not be computed ({why}); it is shown without the go-live "
                 f"cohorts {single}, which lie in a single RAA")
    return pre


def _event_study(ctx: Context, section: Section, panel: pd.DataFrame, opts: Options) -> None:
    draws = int(opts["bootstrap"])
    k = panel.attrs["bed_in_periods"]
    fit = cs_fit(panel, k, opts, bootstrap=draws, seed=ctx.seed) if draws else cs_fit(panel, k, opts)
    dyn = fit.aggregate("dynamic")
    frame = dyn.to_frame().drop(columns=["cohorts"])
    ax = dyn.plot()
    if "truth" in panel.columns:
        have = panel.groupby("la")["truth"].transform(lambda s: bool(s.notna().all()))
        truth = cs_fit(panel.loc[have], k, opts, outcome="truth").aggregate("dynamic").to_frame()
        frame = frame.merge(truth[["event_time", "estimate"]].rename(columns={"estimate": "realised_truth"}),
                            on="event_time", how="left")
        ax.plot(truth["event_time"], truth["estimate"], "x", color="C3", ms=6, label="realised truth")
        ax.legend(frameon=False, fontsize=8)
    band = (f"uniform 95% band from {draws} multiplier-bootstrap draws (critical value {dyn.crit_value:.2f})"
            if dyn.uniform else "pointwise 95% intervals")
    ax.set_title("Event study: ATT by years since go-live", fontsize=9)
    section.figure("event_study", ax, f"Callaway–Sant'Anna event study with a {band}; clustered on the RAA")
    section.table("event_study", frame, f"Dynamic effects by event time (days; {band})")


def _randomization(ctx: Context, section: Section, panel: pd.DataFrame, opts: Options) -> None:
    import raa_impact as ri

    draws, w = int(opts["randomization_draws"]), int(opts["randomization_window"])
    k, first, last = panel.attrs["bed_in_periods"], panel.attrs["first_year"], panel.attrs["last_year"]
    g = panel.groupby("la")["go_year"].first()
    rows = []
    cs_windows = {u: ((s - w, s + w) if s > 0 else (0, 0)) for u, s in g.items()}
    rt = ri.randomization_test(panel, outcome="y", unit="la", time="year", start="go_year",
                               scheme="marascuilo_busk", windows=cs_windows, statistic="cs", bed_in=k,
                               cluster="cluster", draws=draws, max_enumerate=0, seed=ctx.seed,
                               control_group=opts["control_group"], est_method=opts["est_method"])
    rows.append({**rt.to_frame().iloc[0].to_dict(), "units": int(len(g))})
    # The phase-difference statistic needs both phases in every unit: LAs live in the window only.
    live = g[(g > first) & (g + k <= last)]
    if len(live):
        sub = panel.loc[panel["la"].isin(live.index)]
        windows = {u: (max(s - w, first + 1), min(s + w, last - k)) for u, s in live.items()}
        ph = ri.randomization_test(sub, outcome="y", unit="la", time="year", start="go_year",
                                   scheme="marascuilo_busk", windows=windows, statistic="phase_difference",
                                   bed_in=k, draws=draws, max_enumerate=0, seed=ctx.seed)
        rows.append({**ph.to_frame().iloc[0].to_dict(), "units": int(len(live))})
    table = pd.DataFrame(rows)
    section.table("randomization", table, f"Randomisation tests over go-live timing (Marascuilo–Busk: each LA's go-live "
                  f"year drawn within ±{w} of the observed one; two-sided). {rt.note}")
    section.number("randomization_p", {r["statistic"]: r["p_value"] for r in rows})
    ax = rt.plot()
    ax.set_title("Randomisation distribution of the CS simple ATT", fontsize=9)
    section.figure("randomization", ax, f"The CS simple ATT over {rt.n_evaluated} random go-live assignments, "
                   "and the observed one")


def _multilevel(ctx: Context, section: Section, panel: pd.DataFrame, opts: Options) -> None:
    import raa_impact as ri

    d = panel.assign(go_ml=panel["go_year"].where(panel["go_year"] > 0).astype(float))
    ml = ri.multilevel_its(d, outcome="y", unit="la", time="year", interruption="go_ml", impact=["step"],
                           random=list(opts["multilevel_random"]), group="cluster",
                           bed_in=panel.attrs["bed_in_periods"], calendar="dummies", lower_is_better=True)
    coef = ml.coefficients()
    coef = coef.loc[~coef["term"].str.startswith("period[")]
    section.table("multilevel", coef, "Multilevel segmented regression (REML, Satterthwaite df): level change after "
                  "the bed-in with calendar-year effects (not shown), random effects per LA "
                  f"({', '.join(opts['multilevel_random'])}), a random intercept per RAA, AR(1) errors within LA")
    section.table("multilevel_variance", ml.variance_components(), "Variance components of the multilevel model (SDs)")
    step = coef.set_index("term").loc["step"]
    section.number("multilevel_step", float(step["estimate"]))
    section.number("multilevel_se", float(step["se"]))
    for w in ml.warnings:
        section.note(f"multilevel model: {w}")
