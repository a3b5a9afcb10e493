"""Report section: propensity score matching of children, before and after their LA's RAA went live.

The design is the one ``benches/psm_recovery.py`` found to recover synthetic England's true effect
(``benches/results/psm_recovery.md``): a child whose placement order (PO) came after its LA's
go-live plus the bed-in is matched 1:1, without replacement, on the logit of a logistic score
(child covariates and the decimal PO year), caliper 0.2 SD, to a child of an LA not yet live whose
PO fell in the **same month**, exactly on harder-to-place too. Comparing children of the same LA
before and after go-live instead carries the secular trend in waits (coverage 0–78% in that study).

Three censored durations are compared in the same matched set: PO → placed, PO → match and
entry to care → placed. A wait ends at the event or at another exit (a reversed plan, a special
guardianship order): the days a child waited; only the data cut censors. Each effect is the
difference in restricted mean days up to ``tau`` (treated − control) from weighted Kaplan–Meier
curves, with a pair-clustered SE. Sensitivity: Rosenbaum Γ bounds of the pairs' signed-rank test
and the E-value. On synthetic England the truth for the same matched treated children (from the
generator's potential outcomes) is shown beside each estimate.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd

from ..section import NotComputable

if TYPE_CHECKING:  # pragma: no cover
    from ..context import Context
    from ..section import Section

KEY = "psm"
TITLE = "Propensity score matching (child level)"
DEFAULTS: Dict[str, Any] = {
    "tau_days": 730.0,            # RMST horizon (days) of the durations from the placement order
    "tau_entry_days": 1095.0,     # RMST horizon (days) of entry to care -> placed
    "caliper": 0.2,               # in pooled SDs of the logit of the score
    "time_band": "month",         # exact matching on the PO month | quarter | half (year)
    "gammas": [1.0, 1.1, 1.2, 1.3, 1.5, 2.0, 3.0],   # Rosenbaum Γ values shown
}

#: Outcomes: key, label, the journeys' column prefix, the option holding its tau.
OUTCOMES: Tuple[Tuple[str, str, str], ...] = (
    ("po_to_placed", "PO → placed", "tau_days"),
    ("po_to_match", "PO → match", "tau_days"),
    ("entry_to_placed", "entry → placed", "tau_entry_days"),
)
#: Groups: key, label, harder_to_place value (None: all children).
GROUPS: Tuple[Tuple[str, str, Optional[int]], ...] = (
    ("all", "all children", None),
    ("harder_to_place", "harder-to-place children", 1),
    ("not_harder_to_place", "other children", 0),
)
_BANDS = {"month": 12, "quarter": 4, "half": 2}


def build(ctx: "Context", section: "Section") -> None:
    """Match, estimate, check sensitivity; leave the headline in ``ctx.results["psm"]``.

    >>> import raa_impact as ri
    >>> from raa_impact.evaluate import Config, defaults
    >>> cfg = Config.from_mapping({"synthetic": {"scale": 0.1}}, defaults())
    >>> ev = ri.evaluate(config=cfg, sections=["psm"], progress=False)
    >>> head = ev.context.results["psm"]
    >>> head["ci"][0] < head["estimate"] < head["ci"][1]
    True
    """
    opts = ctx.config[KEY]
    d = design(ctx)
    _describe(ctx, section, d, opts)
    truth = _truth_frame(ctx, d) if ctx.is_synthetic else None
    fits: Dict[str, Any] = {}
    rows: List[dict] = []
    sens: List[dict] = []
    placebo: List[dict] = []
    for group, label, htp in GROUPS:
        with section.part(f"PSM for {label}"):
            fits[group] = _fit_group(d, group, htp, opts)
            _note_horizons(section, fits[group], label, opts)
            rows += _effects(fits[group], group, label, opts, truth)
            placebo.append(_negative_control(fits[group], label))
            sens += _sensitivity(fits[group], group, label, opts, section)
    if not rows:
        raise NotComputable("no effect could be estimated in any group; the notes say why for each")
    _report(ctx, section, d, fits, pd.DataFrame(rows), pd.DataFrame(sens), opts)
    _placebo(section, pd.DataFrame(placebo))


def band(po_year: pd.Series, time_band: str) -> np.ndarray:
    """The PO time band of each child (whole months, quarters or half-years since year 0).

    >>> band(pd.Series([2019.0, 2019.49, 2019.5]), "half").tolist()
    [4038, 4038, 4039]
    """
    if time_band not in _BANDS:
        raise NotComputable(f"option psm.time_band is {time_band!r}; expected one of {sorted(_BANDS)}")
    return np.floor(po_year.to_numpy() * _BANDS[time_band]).astype(np.int64)


def design(ctx: "Context") -> pd.DataFrame:
    """The PO → placed design with the other two outcomes read from the journeys for the same rows.

    ``ri.child_design`` keeps the same children for PO → match as for PO → placed (both are
    indexed on the placement order), so the other outcomes are joined on (la, child, period).
    Columns ``<outcome>_time`` and ``<outcome>_ended`` (event or competing exit) are added.

    >>> from raa_impact.evaluate import Config, defaults, load_context
    >>> ctx = load_context(config=Config.from_mapping({"synthetic": {"scale": 0.05}}, defaults()))
    >>> d = design(ctx)
    >>> bool((d["entry_to_placed_time"] >= d["po_to_placed_time"]).all())
    True
    """
    d = ctx.design("po_to_placed").copy()
    if len(d) == 0:
        raise NotComputable("no child with a placement order before or after a go-live (the design is empty)")
    cols = ["la", "child", "period", "entry_date"] + [f"{o}_{s}" for o in ("po_to_match", "entry_to_placed")
                                                       for s in ("days", "censored")]
    j = ctx.journeys[cols].copy()
    j["la"], j["child"] = j["la"].astype(str), j["child"].astype(str)
    d = d.merge(j, on=["la", "child", "period"], how="left", validate="one_to_one")
    d["po_to_placed_time"] = d["time"]
    d["po_to_placed_ended"] = d["event"] + d["competing"]
    for o in ("po_to_match", "entry_to_placed"):
        d[f"{o}_time"] = d[f"{o}_days"].astype(float)
        # A wait not censored by the data cut ended (at the event or at a competing exit).
        d[f"{o}_ended"] = (~d[f"{o}_censored"].astype(bool)).astype(np.int64)
    # Days from entry to care to the PO: before any RAA could act (a negative-control outcome).
    d["entry_to_po_days"] = (pd.to_datetime(d["po_date"]) - pd.to_datetime(d["entry_date"])).dt.days.astype(float)
    d.attrs = dict(ctx.design("po_to_placed").attrs)
    return d


def _describe(ctx: "Context", section: "Section", d: pd.DataFrame, opts: Dict[str, Any]) -> None:
    dropped = d.attrs.get("dropped", {})
    section.text(
        f"Design: a child is treated when its placement order (PO) came on or after its LA's "
        f"{ctx.milestone.replace('_', ' ')} plus {ctx.bed_in_days} days of bed-in, and a control when it came "
        f"before the {ctx.milestone.replace('_', ' ')} ({int(d['treated'].sum()):,} treated, "
        f"{int((d['treated'] == 0).sum()):,} controls; left out: "
        + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in sorted(dropped.items())) + "). "
        f"Each treated child is matched 1:1 without replacement on the logit of a logistic score (age at "
        f"entry, sex, ethnic group, CIN category, placements before the decision, FFA/concurrent planning, "
        f"harder-to-place, and the PO date as a decimal year), caliper {opts['caliper']:g} SD, exactly on the "
        f"PO {opts['time_band']} and on harder-to-place: controls are children of LAs not yet live with a PO "
        f"in the same {opts['time_band']}. Why: within one LA the treated all come after go-live and the "
        f"controls before it, so a within-LA comparison carries any trend in waiting times; the recovery "
        f"study (benches/results/psm_recovery.md) found exact matching on the PO month and harder-to-place "
        f"unbiased on synthetic England (|bias|/SD 0.04, 95% coverage 94.8% at full scale, 116 seeds) where "
        f"the within-LA design covered 0–78%. "
        f"The estimand is the effect on treated children who have a contemporaneous control "
        f"(those with a PO after the last go-live have none).")
    section.text(
        "Outcomes are censored durations: the wait ends at the event (placed, matched) or at another "
        "exit (a reversed plan, a special guardianship order); waits still running at the data cut are "
        "censored. Effects are differences in restricted mean days up to tau (treated − control) from "
        "weighted Kaplan–Meier curves with a pair-clustered SE, not differences in means of completed "
        "waits (completion depends on the cut and on the treatment). Entry → placed uses the same "
        "matched children: they are matched on the PO date and child covariates, not on the time from "
        "entry to the PO, which no RAA changes; the negative-control table shows how far the matched "
        "children differ in it, a difference the entry → placed comparison carries.")


def _fit_group(d: pd.DataFrame, group: str, htp: Optional[int], opts: Dict[str, Any]) -> Dict[str, Any]:
    import raa_impact as ri
    from ...designs import COVARIATES

    sub = d if htp is None else d.loc[d["harder_to_place"] == htp].reset_index(drop=True)
    if sub["treated"].sum() == 0 or (sub["treated"] == 0).sum() == 0:
        raise NotComputable("no treated or no control children")
    sub = sub.copy()
    sub["po_band"] = band(sub["po_year"], str(opts["time_band"]))
    covs = [c for c in COVARIATES if htp is None or c != "harder_to_place"]
    exact = ["po_band", "harder_to_place"] if htp is None else ["po_band"]
    m = ri.match(sub, "treated", covs, exact=exact, caliper=float(opts["caliper"]))
    if m.n_matched == 0:
        raise NotComputable("no treated child has a control in its PO time band within the caliper")
    surv: Dict[str, Any] = {}
    taus: Dict[str, float] = {}
    for outcome, _, tau_key in OUTCOMES:
        taus[outcome] = horizon(sub, m, outcome, float(opts[tau_key]))
        try:
            surv[outcome] = m.survival(f"{outcome}_time", f"{outcome}_ended", tau=taus[outcome])
        except ValueError as exc:  # e.g. an arm with no follow-up at all
            surv[outcome] = exc
    return {"data": sub, "match": m, "survival": surv, "tau": taus}


def horizon(d: pd.DataFrame, m: Any, outcome: str, tau: float) -> float:
    """``tau``, lowered to the last wait observed in either matched arm when that comes first.

    The RMST difference needs both Kaplan–Meier curves up to tau; when every matched wait of an
    arm has ended sooner (short waits, small groups) the horizon is that arm's last time.

    >>> import types
    >>> d = pd.DataFrame({"treated": [1, 1, 0, 0], "x_time": [100.0, 500.0, 300.0, 900.0]})
    >>> horizon(d, types.SimpleNamespace(weights=pd.Series([1.0, 1, 1, 0])), "x", 730.0)
    300.0
    """
    t = d[f"{outcome}_time"].to_numpy(dtype=float)
    matched = m.weights.to_numpy() > 0
    treated = d["treated"].to_numpy() == 1
    arms = [t[matched & treated], t[matched & ~treated]]
    if any(len(a) == 0 for a in arms):
        return tau
    return float(min(tau, *(a.max() for a in arms)))


def _note_horizons(section: "Section", fit: Dict[str, Any], label: str, opts: Dict[str, Any]) -> None:
    for outcome, olabel, tau_key in OUTCOMES:
        if fit["tau"][outcome] < float(opts[tau_key]):
            section.note(f"{olabel}, {label}: tau lowered from {float(opts[tau_key]):g} to {fit['tau'][outcome]:g} "
                         f"days, the last wait observed in a matched arm (the RMST needs both curves up to tau).")


def _negative_control(fit: Dict[str, Any], label: str) -> Dict[str, Any]:
    """The matched difference in days from entry to care to the PO, which no RAA can change."""
    e = fit["match"].effect("entry_to_po_days")
    return {"group": label, "difference": e.estimate, "se": e.se, "ci_lower": e.ci[0], "ci_upper": e.ci[1],
            "z": e.z, "n_treated": e.n_treated}


def _placebo(section: "Section", t: pd.DataFrame) -> None:
    if t.empty:
        return
    section.table("negative_control", t, "Negative control: difference in days from entry to care to the "
                  "placement order (treated − control) in the matched set; it happens before an RAA is involved, "
                  "so it should be near zero")
    for _, r in t.loc[t["z"].abs() > 2].iterrows():
        section.note(f"{r['group']}: matched treated and control children differ by {r['difference']:.1f} days "
                     f"(z {r['z']:.1f}) from entry to the PO, which no RAA changes; the entry → placed "
                     f"comparison carries that difference (the match is on the PO date and child covariates, "
                     f"not on the time before the PO).")


def _effects(fit: Dict[str, Any], group: str, label: str, opts: Dict[str, Any],
             truth: Optional[pd.DataFrame]) -> List[dict]:
    rows = []
    for outcome, olabel, tau_key in OUTCOMES:
        s = fit["survival"][outcome]
        if isinstance(s, Exception):
            continue
        r = s.to_frame().iloc[0].to_dict()
        row = {"outcome": olabel, "group": label, "tau": r["tau"],
               "n_treated": int(fit["match"].n_matched), "events": r["event"], "censored": r["censored"],
               "rmst_treated": r["rmst_treated"], "rmst_control": r["rmst_control"],
               "rmst_difference": r["rmst_difference"], "se": r["se"], "ci_lower": r["ci_lower"],
               "ci_upper": r["ci_upper"], "median_treated": r["median_treated"],
               "median_control": r["median_control"], "hazard_ratio": r["hazard_ratio"],
               "_outcome": outcome, "_group": group}
        if truth is not None:
            row.update(_truth_for(fit, outcome, float(r["tau"]), truth))
        rows.append(row)
    return rows


def _sensitivity(fit: Dict[str, Any], group: str, label: str, opts: Dict[str, Any], section: "Section") -> List[dict]:
    """Γ and E-value per outcome, on the wait truncated at tau (censored waits count as they stand)."""
    m, d = fit["match"], fit["data"]
    matched = (m.weights.to_numpy() > 0)
    rows = []
    for outcome, olabel, tau_key in OUTCOMES:
        if isinstance(fit["survival"][outcome], Exception):
            section.note(f"{olabel}, {label}: {fit['survival'][outcome]}")
            continue
        with section.part(f"sensitivity of {olabel}, {label}"):
            rows.append(_sensitivity_row(m, d, outcome, fit["tau"][outcome], opts, matched))
            rows[-1].update(outcome=olabel, group=label, _outcome=outcome, _group=group)
    return rows


def _sensitivity_row(m: Any, d: pd.DataFrame, outcome: str, tau: float, opts: Dict[str, Any],
                     matched: np.ndarray) -> Dict[str, Any]:
    t = d[f"{outcome}_time"].to_numpy(dtype=float)
    y = np.minimum(t, tau)
    e = m.effect(y)
    s = m.sensitivity(y, e, gammas=[float(g) for g in opts["gammas"]])
    early = matched & (d[f"{outcome}_ended"].to_numpy() == 0) & (t < tau)
    return {"outcome": "", "group": "", "restricted_mean_difference": e.estimate, "se": e.se,
            "censored_before_tau": int(early.sum()), "gamma_critical": s.gamma_critical,
            "evalue_point": s.evalue["point"], "evalue_ci_limit": s.evalue["ci_limit"], "_rosenbaum": s.rosenbaum}


def _truth_frame(ctx: "Context", d: pd.DataFrame) -> pd.DataFrame:
    """Each design child's waits without (``w0``) and with (``w1``) the RAA, from the generator.

    A child placed waits y0 / y1 (latent PO → placed days); a child whose plan ended otherwise
    waits until that exit in both worlds (the generator's effect changes nothing for them).
    """
    t = ctx.synthetic.truth[["la", "child", "y0_po_to_placed", "y1_po_to_placed", "outcome", "po_date",
                             "ceased_date", "effect_days"]].copy()
    t["la"], t["child"] = t["la"].astype(str), t["child"].astype(str)
    t = t.drop_duplicates(["la", "child"])
    out = d[["la", "child", "po_date"]].merge(t.drop(columns="po_date"), on=["la", "child"], how="left")
    other = out["outcome"].isin(["reversed", "specialguardianship"]).to_numpy()
    ended = (out["ceased_date"] - out["po_date"]).dt.days.to_numpy(dtype=float, na_value=np.nan)
    y0 = out["y0_po_to_placed"].to_numpy(dtype=float, na_value=np.nan)
    y1 = out["y1_po_to_placed"].to_numpy(dtype=float, na_value=np.nan)
    before_po = d["entry_to_po_days"].to_numpy(dtype=float)
    return pd.DataFrame({"la": d["la"], "child": d["child"], "w0": np.where(other, ended, y0),
                         "w1": np.where(other, ended, y1), "before_po": before_po,
                         "effect_days": out["effect_days"].to_numpy(dtype=float)})


def _truth_for(fit: Dict[str, Any], outcome: str, tau: float, truth: pd.DataFrame) -> Dict[str, float]:
    """True restricted-mean difference at tau for the matched treated children, and the injected
    (untruncated) mean effect on them; PO → match has no potential outcomes in the generator."""
    d, m = fit["data"], fit["match"]
    focal = (d["treated"].to_numpy() == 1) & (m.weights.to_numpy() > 0)
    t = d.loc[focal, ["la", "child"]].merge(truth, on=["la", "child"], how="left")
    injected = float(t["effect_days"].mean())
    if outcome == "po_to_match":
        return {"true_rmst_difference": np.nan, "injected_effect": np.nan}
    shift = t["before_po"].to_numpy() if outcome == "entry_to_placed" else 0.0
    w0, w1 = t["w0"].to_numpy() + shift, t["w1"].to_numpy() + shift
    true = float(np.nanmean(np.minimum(w1, tau)) - np.nanmean(np.minimum(w0, tau)))
    return {"true_rmst_difference": true, "injected_effect": injected}


def _report(ctx: "Context", section: "Section", d: pd.DataFrame, fits: Dict[str, Any], effects: pd.DataFrame,
            sens: pd.DataFrame, opts: Dict[str, Any]) -> None:
    _sample_sizes(section, fits)
    _balance(section, fits)
    shown = effects.drop(columns=[c for c in effects.columns if c.startswith("_")])
    section.table("effects", shown, "Effects in the matched set: difference in restricted mean days to tau "
                  "(treated − control), pair-clustered SE and 95% CI, medians (days) and the Cox hazard ratio "
                  "of the wait ending" + ("; truth for the same matched treated children from the generator"
                                           if ctx.is_synthetic else ""))
    if len(sens):
        section.table("sensitivity", sens.drop(columns=[c for c in sens.columns if c.startswith("_")]),
                      "Sensitivity to an unmeasured confounder: critical Γ of the pairs' signed-rank test (the "
                      "Γ at which the upper-bound p-value passes 0.05) and the E-value, on the wait truncated "
                      "at tau (waits censored before tau enter as they stand: their count is shown)")
        _rosenbaum(section, sens)
    _figures(section, fits)
    if ctx.is_synthetic:
        _truth_text(ctx, section, effects)
    _store(ctx, section, d, fits, effects, sens)


def _truth_text(ctx: "Context", section: "Section", effects: pd.DataFrame) -> None:
    c = ctx.synthetic.config
    parts = []
    for _, r in effects.loc[effects["_outcome"] == "po_to_placed"].iterrows():
        parts.append(f"{r['group']}: estimate {r['rmst_difference']:.1f} days (95% CI {r['ci_lower']:.1f} to "
                     f"{r['ci_upper']:.1f}), truth {r['true_rmst_difference']:.1f}")
    section.text(
        f"Synthetic England injects {c['effect_po_to_placed_days']:g} days on PO → placed "
        f"({c['effect_htp_po_to_placed_days']:g} for harder-to-place children) for placement orders after "
        f"go-live plus {c['bed_in_days']} days. The truth beside each estimate is the difference in restricted "
        f"mean waits to tau for the same matched treated children with and without the RAA (the generator's "
        f"potential outcomes; a child whose plan ended otherwise waits the same in both); injected_effect is "
        f"the mean untruncated effect on them. PO → match has no potential outcomes in the generator. "
        + "; ".join(parts) + ".")


def _sample_sizes(section: "Section", fits: Dict[str, Any]) -> None:
    rows = []
    for group, label, _ in GROUPS:
        if group in fits:
            ss = fits[group]["match"].sample_sizes()
            for arm in ("Treated", "Control"):
                rows.append({"group": label, "arm": arm.lower(), "all": int(ss.loc["All", arm]),
                             "matched": int(ss.loc["Matched", arm]), "unmatched": int(ss.loc["Unmatched", arm])})
    section.table("sample_sizes", pd.DataFrame(rows), "Children before and after matching")


def _balance(section: "Section", fits: Dict[str, Any]) -> None:
    frames = []
    keep = {"before_mean_treated": "mean_treated_all", "before_mean_control": "mean_control_all",
            "before_std_mean_diff": "smd_all", "after_mean_treated": "mean_treated_matched",
            "after_mean_control": "mean_control_matched", "after_std_mean_diff": "smd_matched",
            "before_var_ratio": "var_ratio_all", "after_var_ratio": "var_ratio_matched"}
    for group, label, _ in GROUPS[:2]:
        if group in fits:
            b = fits[group]["match"].balance()[list(keep)].rename(columns=keep).reset_index()
            b.insert(0, "group", label)
            frames.append(b)
    if frames:
        t = pd.concat(frames, ignore_index=True)
        section.table("balance", t, "Covariate balance before (all) and after matching (matched): means, "
                      "standardised mean differences (treated SD) and variance ratios")
        worst = float(t["smd_matched"].abs().max())
        section.number("max_abs_smd_matched", worst)
        if worst > 0.1:
            which = t.loc[t["smd_matched"].abs().idxmax()]
            section.note(
                f"balance: {which['covariate']} ({which['group']}) has a standardised mean difference of "
                f"{which['smd_matched']:.2f} after matching (above 0.1). The score is dominated by the PO date, "
                f"which separates treated from controls, so within a time band the nearest neighbour on it does "
                f"not balance every child covariate (harder-to-place is matched exactly). Synthetic England's "
                f"waits depend on the child only through the harder-to-place characteristics, so there the truth "
                f"is still recovered; on real returns read the balance table before the effects.")


def _rosenbaum(section: "Section", sens: pd.DataFrame) -> None:
    frames = []
    for _, r in sens.loc[sens["_outcome"] == "po_to_placed"].iterrows():
        if r["_rosenbaum"] is not None:
            f = r["_rosenbaum"].copy()
            f.insert(0, "group", r["group"])
            frames.append(f)
    if frames:
        section.table("rosenbaum", pd.concat(frames, ignore_index=True),
                      "Rosenbaum bounds on PO → placed (signed-rank test in the direction of the estimate): "
                      "p-values at each Γ, the odds of treatment two matched children may differ by")


def _figures(section: "Section", fits: Dict[str, Any]) -> None:
    import matplotlib.pyplot as plt

    shown = [(g, lab) for g, lab, _ in GROUPS[:2] if g in fits]
    if not shown:
        return
    fig, axes = plt.subplots(1, len(shown), figsize=(5.5 * len(shown), 6), squeeze=False)
    for ax, (g, lab) in zip(axes[0], shown):
        fits[g]["match"].plot_love(ax=ax)
        ax.set_title(f"Balance: {lab}")
    fig.tight_layout()
    section.figure("love", fig, "Love plot: absolute standardised mean differences before (open) and after "
                   "(filled) matching; dashed line at 0.1")
    fig, axes = plt.subplots(len(OUTCOMES), len(shown), figsize=(5.5 * len(shown), 3.2 * len(OUTCOMES)),
                             squeeze=False)
    for i, (outcome, olabel, _) in enumerate(OUTCOMES):
        for ax, (g, lab) in zip(axes[i], shown):
            s = fits[g]["survival"][outcome]
            if isinstance(s, Exception):
                ax.text(0.5, 0.5, "not computed", ha="center", transform=ax.transAxes)
            else:
                s.plot(ax=ax)
                ax.set_xlabel(f"{olabel} (days)")
            ax.set_title(f"{olabel}: {lab}", fontsize=10)
    fig.tight_layout()
    section.figure("km", fig, "Kaplan–Meier curves of the wait (share still waiting) in the matched set, "
                   "treated and control, with 95% bands; the dotted line marks tau")


def _store(ctx: "Context", section: "Section", d: pd.DataFrame, fits: Dict[str, Any], effects: pd.DataFrame,
           sens: pd.DataFrame) -> None:
    groups: Dict[str, Dict[str, Any]] = {}
    head = effects.loc[effects["_outcome"] == "po_to_placed"]
    for _, r in head.iterrows():
        fit = fits[r["_group"]]
        focal = (fit["data"]["treated"].to_numpy() == 1) & (fit["match"].weights.to_numpy() > 0)
        las = fit["data"].loc[focal, "la"].unique()
        groups[r["_group"]] = {
            "label": r["group"], "estimate": float(r["rmst_difference"]), "se": float(r["se"]),
            "ci": [float(r["ci_lower"]), float(r["ci_upper"])], "n_treated": int(r["n_treated"]),
            "tau": float(r["tau"]), "n_las": int(len(las)), "n_raas": _n_raas(ctx, las),
            "truth": float(r["true_rmst_difference"]) if "true_rmst_difference" in r else None,
        }
    if groups:
        section.paragraphs.insert(0, "Headline (PO → placed, difference in restricted mean days, treated − control): " + "; ".join(
            f"{v['label']}: {v['estimate']:.1f} days (95% CI {v['ci'][0]:.1f} to {v['ci'][1]:.1f}) over the first "
            f"{v['tau']:g} days after the PO, {v['n_treated']:,} matched treated children in {v['n_las']} LAs"
            for v in groups.values()) + ".")
    for g, v in groups.items():
        section.number(f"po_to_placed_{g}", {k: v[k] for k in ("estimate", "se", "ci", "n_treated", "tau", "truth")})
    if "all" not in groups:
        section.note("the all-children effect on PO → placed was not computed: the costs section cannot use it.")
        return
    placed_after = int(((d["treated"] == 1) & (d["event"] == 1)).sum())
    ctx.results[KEY] = {**groups["all"], "outcome": "po_to_placed", "groups": groups,
                        "children_placed_after": placed_after,
                        "children_treated": int((d["treated"] == 1).sum())}
    section.number("children_placed_after_go_live", placed_after)


def _n_raas(ctx: "Context", las: Any) -> int:
    """RAAs (clusters) the given LAs belong to in the registry."""
    m = ctx.registry.memberships
    return int(m.loc[m["la_code"].astype(str).isin([str(x) for x in las]), "raa_id"].nunique())
