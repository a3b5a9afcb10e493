"""ri.match: MatchIt and Matching parity through the Python front door, the result object, bad input."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import raa_impact as ri

from conftest import DATA

COVS = ["age", "educ", "race", "married", "nodegree", "re74", "re75"]
DW = ("t ~ age + I(age^2) + educ + I(educ^2) + black + hisp + married + nodegree + re74 + I(re74^2)"
      " + re75 + I(re75^2) + u74 + u75")


@pytest.fixture(scope="module")
def lalonde():
    return pd.read_csv(DATA / "lalonde_matchit.csv")


@pytest.fixture(scope="module")
def nsw():
    return pd.read_csv(DATA / "nsw_dw.tsv", sep="\t")


def test_matchit_default_nearest_on_the_score(lalonde):
    # MatchIt 4.7.2 matchit(treat ~ age + educ + race + married + nodegree + re74 + re75): matched
    # controls' means (1e-4; re74/re75 1e-2), ATT 894.367 and its pair-clustered SE 705.230 (1e-3).
    m = ri.match(lalonde, "treat", COVS, distance="ps")
    means = m.balance()["after_mean_control"]
    expected = {"distance": 0.3629, "age": 25.3027, "educ": 10.6054, "raceblack": 0.4703,
                "racehispan": 0.2162, "racewhite": 0.3135, "married": 0.2108, "nodegree": 0.6378}
    for k, v in expected.items():
        assert abs(means[k] - v) <= 1e-4, k
    assert abs(means["re74"] - 2342.1076) <= 1e-2
    assert abs(means["re75"] - 1614.7451) <= 1e-2
    e = m.effect("re78")
    assert abs(e.estimate - 894.367) <= 1e-3
    assert abs(e.se - 705.230) <= 1e-3


def test_formula_gives_the_same_match_as_the_column_list(lalonde):
    a = ri.match(lalonde, "treat", COVS, distance="ps")
    b = ri.match(lalonde, covariates="treat ~ age + educ + race + married + nodegree + re74 + re75", distance="ps")
    assert np.array_equal(a.weights.to_numpy(), b.weights.to_numpy())
    assert list(a.model().index) == ["(Intercept)", "age", "educ", "racehispan", "racewhite", "married",
                                     "nodegree", "re74", "re75"]


def test_caliper_on_the_linear_logit(lalonde):
    # MatchIt 4.7.2 caliper = 0.2 SD of the linear logit over all units: 117 treated matched, ATT 1770.603.
    m = ri.match(lalonde, "treat", COVS, distance="logit", caliper=0.2, caliper_scale="sd")
    assert m.n_matched == 117
    e = m.effect("re78")
    assert abs(e.estimate - 1770.603) <= 1e-3
    assert abs(e.se - 924.23) <= 1e-2
    reasons = m.unmatched()["reason"].value_counts()
    assert reasons.sum() == 185 - 117


def test_dehejia_wahba_abadie_imbens(nsw):
    # R Matching 4.10-8 Match(Y, Tr, X = fitted DW logit score), ATT, M = 1, ties kept:
    # ATT 2.153306, Abadie–Imbens SE 0.825398 (1e-6 abs).
    m = ri.match(nsw, covariates=DW, distance="ps", replace=True, ties="all")
    e = m.effect("re78", se="ai")
    assert abs(e.estimate - 2.153306) <= 1e-6
    assert abs(e.se - 0.825398) <= 1e-6
    # The kernel's own match (ties kept, fractional weights) gives the same estimate.
    assert abs(m.effect("re78", se="robust").estimate - 2.153306) <= 1e-6


def test_a_supplied_score_defers_its_distance_and_still_meets_the_oracle(nsw):
    # The same DW score handed over as an array: the match keeps the array, not a distance
    # column; the distance is computed when read, and the Abadie–Imbens SE (which matches again
    # on it) still meets R Matching's figures.
    fitted = ri.match(nsw, covariates=DW, distance="ps", replace=True, ties="all")
    ps = fitted.ps.to_numpy().copy()
    y = nsw["re78"].to_numpy()
    m = ri.match_arrays(nsw["t"].to_numpy() == 1, ps, distance="ps", replace=True, ties="all")
    assert np.array_equal(m.distance.to_numpy(), ps)
    e = m.effect(y, se="ai")
    assert abs(e.estimate - 2.153306) <= 1e-6
    assert abs(e.se - 0.825398) <= 1e-6
    logit = ri.match_arrays(nsw["t"].to_numpy() == 1, ps, replace=True)
    # R's qlogis, log(p / (1 - p)), with the C library's log (NumPy's own log may differ by an ulp).
    assert logit.distance.tolist() == [math.log(p / (1 - p)) for p in ps]
    assert logit.distance is logit.distance  # computed once, then kept


def test_summary_tables_and_plots(lalonde):
    import matplotlib
    matplotlib.use("Agg")
    m = ri.match(lalonde, "treat", COVS)
    text = str(m.summary())
    for part in ("Summary of Balance for All Data:", "Summary of Balance for Matched Data:", "Sample Sizes:",
                 "Std. Mean Diff.", "eCDF Max"):
        assert part in text
    ss = m.sample_sizes()
    assert ss.loc["All", "Treated"] == 185 and ss.loc["All", "Control"] == 429
    assert ss.loc["Matched", "Treated"] == 185
    assert m.plot_love().get_title() == "Covariate balance"
    assert m.plot_overlap().get_xlabel().startswith("distance")
    md = m.matched_data()
    assert len(md) == 370 and {"weights", "subclass", "distance"} <= set(md.columns)


def test_same_matches_for_permuted_rows_given_an_id(lalonde):
    d = lalonde.assign(uid=np.arange(len(lalonde)))
    a = ri.match(d, "treat", COVS, id="uid")
    p = d.sample(frac=1.0, random_state=3)
    b = ri.match(p, "treat", COVS, id="uid")
    wa = pd.Series(a.weights.to_numpy(), index=d["uid"])
    wb = pd.Series(b.weights.to_numpy(), index=p["uid"]).sort_index()
    assert np.array_equal(wa.sort_index().to_numpy(), wb.to_numpy())
    assert a.effect("re78").estimate == pytest.approx(b.effect("re78").estimate, abs=1e-9)


def test_regression_adjusted_and_clustered_effects(lalonde):
    d = lalonde.assign(site=np.arange(len(lalonde)) % 7)
    m = ri.match(d, "treat", COVS)
    g = m.effect("re78", adjust=["age", "educ", "re74", "re75"])
    assert g.method == "g-computation" and np.isfinite(g.se)
    c = m.effect("re78", se="cluster", cluster="site")
    assert c.n_clusters == 7
    b1 = m.effect("re78", se="bootstrap", replicates=200, seed=1)
    b2 = m.effect("re78", se="bootstrap", replicates=200, seed=1)
    assert b1.se == b2.se and b1.se > 0


# --- bad input -------------------------------------------------------------------------------

def test_missing_covariates_are_named_or_dropped(lalonde):
    d = lalonde.copy()
    d.loc[[3, 10], "age"] = np.nan
    d.loc[5, "re74"] = np.nan
    with pytest.raises(ri.ArgumentError, match="'age' \\(2 rows\\).*'re74' \\(1 rows\\)"):
        ri.match(d, "treat", COVS)
    m = ri.match(d, "treat", COVS, missing="drop")
    assert m.n_dropped_missing == 3 and len(m.weights) == len(d) - 3
    assert "3 rows with missing covariates were dropped" in str(m.summary())


def test_constant_covariate_no_group_and_non_binary_treatment(lalonde):
    with pytest.raises(ri.ArgumentError, match="const.*constant"):
        ri.match(lalonde.assign(const=1.0), "treat", COVS + ["const"])
    with pytest.raises(ri.ArgumentError, match="no control units"):
        ri.match(lalonde.assign(treat=1), "treat", COVS)
    with pytest.raises(ri.ArgumentError, match="must be binary"):
        ri.match(lalonde.assign(treat=lalonde["treat"] * 2), "treat", COVS)


def test_duplicate_id_and_nan_outcome(lalonde):
    with pytest.raises(ri.ArgumentError, match="repeats the id"):
        ri.match(lalonde.assign(uid=1), "treat", COVS, id="uid")
    m = ri.match(lalonde, "treat", COVS)
    y = lalonde["re78"].to_numpy().copy()
    row = int(np.flatnonzero(m.weights.to_numpy() > 0)[0])
    y[row] = np.nan
    with pytest.raises(ri.ArgumentError, match=f"row {row}"):
        m.effect(y)


def test_everyone_outside_the_caliper_is_an_explained_empty_result():
    df = pd.DataFrame({"t": [1, 1, 0, 0]})
    m = ri.match(df, "t", score=[0.9, 0.8, 0.1, 0.2], caliper=0.01, caliper_scale="raw")
    assert m.n_matched == 0
    assert set(m.unmatched()["reason"]) == {"no control within the caliper"}
    assert any("empty" in w for w in m.warnings)
    with pytest.raises(ri.ArgumentError, match="empty"):
        m.effect(np.array([1.0, 2, 3, 4]))


def test_separation_is_reported(lalonde):
    d = lalonde.assign(flag=lalonde["treat"])  # perfectly predicts treatment
    m = ri.match(d, "treat", ["age", "flag"])
    assert any("flag" in w and "separation" in w.lower() for w in m.warnings)


def test_weighted_estimates_sit_beside_the_matched_one(lalonde):
    # WeightIt's ATT on lalonde with this score model is 1214.07 (the Rust tests pin the SEs to R).
    m = ri.match(lalonde, "treat", COVS)
    att = m.weighting("re78", "ATT")
    assert abs(att.estimate - 1214.07) < 0.01
    table = pd.concat([m.effect("re78").to_frame(), att.to_frame(), m.weighting("re78", "overlap").to_frame(),
                       m.weighting("re78", "ATE", aipw=True).to_frame()])
    assert list(table["estimand"]) == ["ATT", "ATT", "ATO", "ATE"]
    assert table["se"].gt(0).all()


def test_ai_ps_adjusts_the_ate_se_for_the_estimated_score_and_bias_adjust_moves_the_estimate(lalonde):
    m = ri.match(lalonde, "treat", ["age", "educ", "married", "nodegree", "re74", "re75"], distance="ps",
                 estimand="ATE", replace=True)
    ai = m.effect("re78", se="ai")
    adjusted = m.effect("re78", se="ai_ps")
    assert adjusted.estimate == ai.estimate
    assert 0 < adjusted.se < ai.se  # Abadie and Imbens (2016): never larger for the ATE
    assert "2016" in adjusted.se_method
    assert m.effect("re78", se="ai_ps", neighbours=4).se != adjusted.se
    biased = m.effect("re78", se="ai", bias_adjust=True)
    assert biased.estimate != ai.estimate and "bias-adjusted" in biased.method
    with pytest.raises(ValueError, match="bias_adjust"):
        m.effect("re78", se="robust", bias_adjust=True)
    att = ri.match(lalonde, "treat", ["age", "educ"], distance="ps", replace=True)
    with pytest.raises(ValueError, match="ATE"):
        att.effect("re78", se="ai_ps")
