"""ri.abadie_imbens: R Matching's Match() on covariates, figure for figure (ORACLES.md)."""
from __future__ import annotations

import numpy as np
import pytest

import raa_impact as ri


@pytest.fixture(scope="module")
def nsw():
    return ri.datasets.nsw_dw()


@pytest.mark.parametrize("covs, estimate, se", [
    (["age"], 1.785191, 0.6867167),
    (["age", "educ", "re74", "re75"], 1.714407, 0.7401292),
])
def test_matching_ate_sample_variance(nsw, covs, estimate, se):
    r = ri.abadie_imbens(nsw, "re78", "t", covs, estimand="ATE", sample=True)
    assert r.estimate == pytest.approx(estimate, rel=1e-6)
    assert r.se == pytest.approx(se, rel=1e-6)
    assert r.n_matched == len(nsw) and r.estimand == "ATE"
    lo, hi = r.ci
    assert lo < r.estimate < hi and hi - lo == pytest.approx(2 * 1.959963985 * r.se, rel=1e-8)


def test_fitted_score_as_covariate_gives_matchings_naive_se(nsw):
    dw = ("t ~ age + I(age^2) + educ + I(educ^2) + black + hisp + married + nodegree + re74 + I(re74^2)"
          " + re75 + I(re75^2) + u74 + u75")
    ps = ri.match(nsw, covariates=dw, distance="ps", replace=True, ties="all").ps.to_numpy()
    r = ri.abadie_imbens(nsw.assign(ps=ps), "re78", "t", "ps")
    assert r.estimate == pytest.approx(2.153306, abs=1e-6)
    assert r.se == pytest.approx(0.825398, abs=1e-6)
    assert r.se_naive == pytest.approx(0.678092, abs=1e-6)
    # Every treated unit is matched (ATT); tied controls share its unit weight.
    assert r.matches.groupby("focal")["weight"].sum().round(12).eq(1.0).all()


def test_population_variance_differs_and_row_order_does_not_matter(nsw):
    a = ri.abadie_imbens(nsw, "re78", "t", ["age", "educ"], estimand="ATE")
    b = ri.abadie_imbens(nsw, "re78", "t", ["age", "educ"], estimand="ATE", sample=True)
    assert a.estimate == b.estimate and a.se != b.se
    shuffled = nsw.sample(frac=1.0, random_state=4).reset_index(drop=True)
    c = ri.abadie_imbens(shuffled, "re78", "t", ["age", "educ"], estimand="ATE")
    assert c.estimate == pytest.approx(a.estimate, abs=1e-12) and c.se == pytest.approx(a.se, rel=1e-12)


def test_bad_input_is_named(nsw):
    d = nsw.copy()
    d.loc[7, "educ"] = np.nan
    with pytest.raises(ri.ArgumentError, match=r"column 'educ' row 7 is missing"):
        ri.abadie_imbens(d, "re78", "t", ["age", "educ"])
    with pytest.raises(ri.ArgumentError, match="scaling"):
        ri.abadie_imbens(nsw, "re78", "t", ["age"], scaling="euclid")
    with pytest.raises(ri.ArgumentError, match="must be binary"):
        ri.abadie_imbens(nsw.assign(t=nsw["t"] * 2), "re78", "t", ["age"])
    with pytest.raises(ri.ArgumentError, match="estimand"):
        ri.abadie_imbens(nsw, "re78", "t", ["age"], estimand="ATX")
    with pytest.raises(ri.ArgumentError, match="not in the data"):
        ri.abadie_imbens(nsw, "re78", "t", ["agee"])
