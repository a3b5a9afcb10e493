"""Report section: how much the headline depends on choices a referee could make differently.

The headline is the Callaway–Sant'Anna simple ATT of the multiple-baseline section (same panel,
outcome, comparisons and clustering); each variation changes one thing and re-estimates it:

* **milestone**: exposure from another milestone (a soft launch) where the registry dates one;
  RAAs without that milestone keep their go-live, and the report says how many;
* **bed-in**: 0, 6 and 12 months (left out as whole collection years, as the headline does);
* **leave one RAA out**: the headline without each RAA's LAs in turn;
* **placebo go-live dates**: every go-live moved back by ``placebo_shift_days`` on data from
  before the true go-lives only (the panel ends at a year ``L`` before any retained LA went live;
  LAs live by ``L`` are left out), where the true effect is zero.
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

import numpy as np
import pandas as pd

from ..context import Context
from ..section import NotComputable, Section
from . import multiple_baseline as mb

Options = Mapping[str, Any]  # a section's config table

KEY = "sensitivity"
TITLE = "Sensitivity analyses"
_CONTROLS = {"notyettreated": "not-yet-treated", "nevertreated": "never-treated"}
DEFAULTS: Dict[str, Any] = {
    "milestones": ["soft_launch"],  # other milestones to start exposure from (RAAs without one keep go-live)
    "bed_in_days": [0, 183, 365],   # bed-ins to try
    "leave_one_out": True,          # re-estimate without each RAA in turn
    "placebo_shift_days": 730,      # placebo go-lives this many days before the true ones (0 = none)
}


def build(ctx: Context, section: Section) -> None:
    """Re-estimate the CS headline under each variation; one table and a forest plot.

    >>> import raa_impact as ri
    >>> from raa_impact.evaluate import Config, defaults
    >>> cfg = Config.from_mapping({"synthetic": {"scale": 0.1}}, defaults())
    >>> s = ri.evaluate(config=cfg, sections=["sensitivity"], progress=False).section("sensitivity")
    >>> s.ok, s.tables[0].frame["variation"].iloc[0]
    (True, 'headline')
    """
    opts = ctx.config[KEY]
    spec = ctx.config[mb.KEY]
    base = mb.cs_panel(ctx)
    section.text(_intro(ctx, base))
    rows = [_row("headline", f"{mb.milestone_name(ctx.milestone)}, bed-in {base.attrs['bed_in_days']} days",
                 base, base.attrs["bed_in_periods"], spec)]
    for m in opts["milestones"]:
        with section.part(f"the {mb.milestone_name(m)} variation"):
            rows += _milestone(ctx, section, m, spec)
    for b in opts["bed_in_days"]:
        with section.part(f"the bed-in of {b} days"):
            panel = _with_bed_in(base, int(b))
            same = " = headline" if int(b) == ctx.bed_in_days else ""
            rows.append(_row("bed-in", f"{int(b)} days ({panel.attrs['bed_in_periods']} year(s) left out{same})",
                             panel, panel.attrs["bed_in_periods"], spec))
    if int(opts["placebo_shift_days"]) > 0:
        with section.part("the placebo go-live dates"):
            rows.append(_placebo(ctx, section, base, int(opts["placebo_shift_days"]), spec))
    if opts["leave_one_out"]:
        rows += _leave_one_out(section, base, spec)
    table = pd.DataFrame(rows)
    for c in ("n_las", "n_treated_las", "n_clusters"):
        table[c] = table[c].astype("Int64")
    if not ctx.is_synthetic:
        table = table.drop(columns=["realised_truth"])
    section.table("variations", table, "The CS simple ATT (days; SEs clustered on the RAA, 95% CI) under each "
                  "variation, with the LAs and RAAs behind it")
    _numbers(section, table)
    _figure(section, table)


def _intro(ctx: Context, base: pd.DataFrame) -> str:
    a = base.attrs
    return (f"Each row re-estimates the headline of the multiple-baseline section (CS simple ATT of "
            f"`{ctx.config[mb.KEY]['outcome']}`, LA × collection year {a['first_year']}–{a['last_year']}, "
            f"{_CONTROLS[ctx.config[mb.KEY]['control_group']]} comparisons, SEs clustered on the RAA) with one choice changed.")


def _row(variation: str, label: str, panel: pd.DataFrame, k: int, spec: Options) -> Dict[str, Any]:
    fit = mb.cs_fit(panel, k, spec)
    truth = mb.truth_estimate(panel, k, spec)
    return {"variation": variation, "setting": label, **mb.simple_row(fit, panel),
            "realised_truth": np.nan if truth is None else truth}


def _with_bed_in(panel: pd.DataFrame, bed_in_days: int) -> pd.DataFrame:
    """The same panel with another bed-in (the outcome and cohorts do not depend on it)."""
    out = panel.copy()
    out.attrs = {**panel.attrs, "bed_in_days": bed_in_days, "bed_in_periods": mb.bed_in_years(bed_in_days)}
    return out


def _starts(ctx: Context, milestone: Optional[str]) -> pd.Series:
    """Each LA's exposure start under `milestone` (``ri.la_panel``'s ``go_live``), by LA code."""
    p = ctx.panel("year", "la", milestone)
    return p.groupby(p["la"].astype(str))["go_live"].first()


def _milestone(ctx: Context, section: Section, milestone: str, spec: Options) -> List[Dict[str, Any]]:
    if milestone == ctx.milestone:
        section.note(f"milestone {milestone} is the headline's: no separate row")
        return []
    alt, main = _starts(ctx, milestone), _starts(ctx, None)
    have = alt.notna() & main.notna()
    panel_las = main.index[main.notna()]
    m = ctx.registry.milestones
    dated = set(m.loc[m["kind"] == milestone, "raa_id"].astype(str))
    la_raa = ctx.panel("year").drop_duplicates("la")
    raa_of = la_raa.set_index(la_raa["la"].astype(str))["raa_id"].reindex(panel_las).dropna().astype(str)
    n_raas, n_dated = raa_of.nunique(), len(set(raa_of) & dated)
    section.note(f"{n_dated} of {n_raas} RAAs with live LAs have a {mb.milestone_name(milestone)} date in the registry; "
                 f"the other {n_raas - n_dated} keep their {mb.milestone_name(ctx.milestone)} in this variation")
    section.number(f"raas_with_{milestone}", int(n_dated))
    if n_dated == 0:
        return []
    starts = alt.where(alt.notna(), main)
    panel = mb.cs_panel(ctx, milestone=milestone, starts=starts)
    panel.attrs.update(bed_in_days=ctx.bed_in_days, bed_in_periods=mb.bed_in_years(ctx.bed_in_days))
    moved = int((collection_year_of(alt[have]) != collection_year_of(main[have])).sum())
    return [_row("milestone", f"{mb.milestone_name(milestone)} ({n_dated} of {n_raas} RAAs dated; "
                 f"{moved} LAs change go-live year)", panel, panel.attrs["bed_in_periods"], spec)]


def collection_year_of(dates: pd.Series) -> pd.Series:
    """Collection years of dates (or date-like values)."""
    return mb.collection_year(pd.to_datetime(dates))


def placebo_window(true_year: pd.Series, placebo_year: pd.Series, k: int, first: int, last: int) -> Tuple[int, int, int]:
    """The last year ``L`` of the placebo panel: LAs live after ``L`` (or never) are kept, those
    whose placebo cohort has a post cell by ``L`` are placebo-treated, the others compare. ``L``
    maximises the smaller of the two groups. Returns ``(L, treated, comparisons)``.

    >>> true = pd.Series([2019, 2019, 2021, 2022, 0])
    >>> placebo_window(true, true.where(true == 0, true - 2), 1, 2013, 2022)
    (2018, 2, 3)
    """
    best = (0, 0, 0)
    for L in range(first + 2, last + 1):
        kept = (true_year == 0) | (true_year > L)
        treated = kept & (placebo_year > 0) & (placebo_year + k <= L)
        control = kept & ((placebo_year == 0) | (placebo_year > L))
        score = (min(int(treated.sum()), int(control.sum())), L)
        if score > (min(best[1], best[2]), best[0]):
            best = (L, int(treated.sum()), int(control.sum()))
    return best


def _placebo(ctx: Context, section: Section, base: pd.DataFrame, shift_days: int, spec: Options) -> Dict[str, Any]:
    k, first = base.attrs["bed_in_periods"], base.attrs["first_year"]
    starts = _starts(ctx, None)
    las = base.drop_duplicates("la")["la"]
    true_year = collection_year_of(starts.reindex(las)).fillna(0).astype(int)
    fake = collection_year_of(starts.reindex(las) - pd.Timedelta(days=shift_days)).fillna(0).astype(int)
    L, n_t, n_c = placebo_window(true_year.reset_index(drop=True), fake.reset_index(drop=True), k, first,
                                 base.attrs["last_year"])
    if n_t == 0 or n_c == 0:
        raise NotComputable(f"no year leaves both placebo-treated LAs and comparisons before the true go-lives "
                            f"(shift {shift_days} days)")
    keep = set(las[((true_year == 0) | (true_year > L)).to_numpy()])
    fake_by_la = dict(zip(las, fake))
    panel = base.loc[base["la"].isin(keep) & (base["year"] <= L)].copy()
    g = panel["la"].map(fake_by_la)
    panel["go_year"] = np.where(g > L, 0, g)
    panel.attrs = {**base.attrs, "last_year": L}
    section.text(f"Placebo: every go-live moved back {shift_days} days, on {first}–{L} only, where every LA kept "
                 f"was not yet live ({n_t} placebo-treated LAs, {n_c} comparisons; LAs live by {L} left out). "
                 "The true effect there is zero.")
    section.number("placebo_last_year", int(L))
    return _row("placebo", f"go-lives {shift_days} days earlier, data {first}–{L}", panel, k, spec)


def _leave_one_out(section: Section, base: pd.DataFrame, spec: Options) -> List[Dict[str, Any]]:
    rows = []
    k = base.attrs["bed_in_periods"]
    for raa in sorted(c for c in base["cluster"].unique() if not str(c).startswith("no RAA")):
        with section.part(f"leaving out {raa}"):
            panel = base.loc[base["cluster"] != raa]
            rows.append(_row("leave one RAA out", f"without {raa}", panel, k, spec))
    return rows


def _numbers(section: Section, table: pd.DataFrame) -> None:
    section.number("variations", [{k: (None if pd.isna(v) else v) for k, v in r.items()}
                                  for r in table.drop(columns=["n_las", "n_treated_las", "n_clusters"])
                                  .to_dict("records")])
    placebo = table.loc[table["variation"] == "placebo"]
    if len(placebo):
        section.number("placebo_estimate", float(placebo["estimate"].iloc[0]))
        section.number("placebo_se", float(placebo["se"].iloc[0]))
    loo = table.loc[table["variation"] == "leave one RAA out", "estimate"]
    if len(loo):
        section.number("leave_one_out_range", [float(loo.min()), float(loo.max())])


def _figure(section: Section, table: pd.DataFrame) -> None:
    import matplotlib.pyplot as plt

    main = table.loc[table["variation"] != "leave one RAA out"].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(main) + 1.2))
    _forest(ax, main, [f"{v}: {s}" for v, s in zip(main["variation"], main["setting"])])
    ax.set_title("The CS simple ATT: headline and variations", fontsize=9)
    section.figure("forest", fig, "CS simple ATT with its 95% CI under each variation; crosses: the realised truth "
                   "on synthetic England (zero for the placebo)")
    loo = table.loc[table["variation"] == "leave one RAA out"].sort_values("estimate").reset_index(drop=True)
    if loo.empty:
        return
    fig, ax = plt.subplots(figsize=(7.5, 0.2 * len(loo) + 1.2))
    _forest(ax, loo, [s.replace("without ", "") for s in loo["setting"]], small=True)
    head = table.loc[table["variation"] == "headline", "estimate"]
    if len(head):
        ax.axvline(float(head.iloc[0]), color="C3", lw=0.8, ls="--", label="headline")
    ax.set_title("The CS simple ATT leaving out one RAA", fontsize=9)
    ax.legend(frameon=False, fontsize=7)
    section.figure("leave_one_out", fig, "CS simple ATT with its 95% CI without each RAA in turn (labelled by the RAA "
                   "left out), the headline dashed")


def _forest(ax: Any, t: pd.DataFrame, labels: List[str], small: bool = False) -> None:
    y = np.arange(len(t))[::-1]
    ax.errorbar(t["estimate"], y, xerr=[t["estimate"] - t["ci_low"], t["ci_high"] - t["estimate"]], fmt="o",
                ms=3 if small else 4, color="C0", elinewidth=0.8, capsize=0 if small else 2)
    if "realised_truth" in t and t["realised_truth"].notna().any():
        ax.plot(t["realised_truth"], y, "x", color="C3", ms=5, label="realised truth")
    ax.axvline(0, color="0.6", lw=0.6)
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=6 if small else 7)
    ax.set_xlabel("days (negative: faster)", fontsize=8)
