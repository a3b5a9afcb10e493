"""The reference runs: each ORACLES.md figure recomputed through the public Python API."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Tuple

import pandas as pd

from .references import Values


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
