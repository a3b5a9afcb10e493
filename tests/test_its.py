"""ri.its: the Sicily oracles (ORACLES.md) through the Python front door, the result object,
batch fitting and bad input."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import raa_impact as ri


@pytest.fixture(scope="module")
def sicily():
    s = ri.datasets.sicily()
    s["rate"] = s["aces"] / s["stdpop"] * 1e5
    return s


def _row(r, term):
    return r.coefficients().set_index("term").loc[term]


def test_poisson_and_quasi_poisson_rate_ratios(sicily):
    # ORACLES: R glm(aces ~ offset(log(stdpop)) + smokban + time); 1e-4 abs, dispersion 1e-4 rel.
    kw = dict(outcome="aces", time="time", interruption=37, exposure="stdpop", impact="step")
    p = _row(ri.its(sicily, family="poisson", **kw), "step")
    assert p["ratio"] == pytest.approx(0.8944, abs=1e-4)
    assert (p["ratio_low"], p["ratio_high"]) == pytest.approx((0.8647, 0.9251), abs=1e-4)
    q = ri.its(sicily, family="quasipoisson", **kw)
    assert q.dispersion == pytest.approx(3.5592, rel=1e-4)
    row = _row(q, "step")
    assert (row["ratio"], row["ratio_low"], row["ratio_high"]) == pytest.approx((0.8944, 0.8392, 0.9532), abs=1e-4)


def test_quasi_poisson_with_seasonality_is_the_papers_headline(sicily):
    r = ri.its(sicily, outcome="aces", time="time", interruption=37, family="quasipoisson",
               exposure="stdpop", impact="step", seasonality={"column": "month", "period": 12, "harmonics": 2})
    assert r.dispersion == pytest.approx(2.2622, rel=1e-4)
    row = _row(r, "step")
    assert (row["ratio"], row["ratio_low"], row["ratio_high"]) == pytest.approx((0.8851, 0.8394, 0.9332), abs=1e-4)


@pytest.mark.parametrize(
    "errors, expected",
    [
        (dict(errors="newey_west", lags=1), (-24.84436, 6.55604, None, 1e-5)),
        (dict(errors="ar1", method="ml"), (-24.33502, 9.00301, 0.19967, 1e-3)),
        (dict(errors="ar1", method="reml"), (-23.98833, 9.77507, 0.28383, 1e-3)),
    ],
)
def test_gaussian_rate_with_autocorrelation(sicily, errors, expected):
    # The oracle's slope term is 1 at the first post-ban month: slope_origin=1.
    est, se, phi, tol = expected
    r = ri.its(sicily, outcome="rate", time="time", interruption=37, slope_origin=1, **errors)
    row = _row(r, "step")
    assert row["estimate"] == pytest.approx(est, abs=tol)
    assert row["se"] == pytest.approx(se, abs=tol)
    if phi is not None:
        assert r.ar1 == pytest.approx(phi, abs=tol)


def test_default_slope_coding_shifts_the_level_change_by_one_slope(sicily):
    paper = ri.its(sicily, outcome="rate", time="time", interruption=37, slope_origin=1)
    default = ri.its(sicily, outcome="rate", time="time", interruption=37)
    assert _row(default, "step")["estimate"] == pytest.approx(
        _row(paper, "step")["estimate"] + _row(paper, "slope")["estimate"], abs=1e-9)


def test_result_object(sicily):
    r = ri.its(sicily, outcome="rate", time="time", interruption=37, bed_in=3, lower_is_better=True)
    assert r.n_used == 56 and r.excluded_times == [37.0, 38.0, 39.0]
    cf = r.counterfactual()
    assert {"time", "observed", "fitted", "counterfactual", "counterfactual_low", "counterfactual_high"} <= set(cf)
    pre = cf.loc[cf["time"] < 37]
    assert np.allclose(pre["fitted"], pre["counterfactual"])
    e = r.effects([1, 6])
    assert list(e["summary"]) == ["pointwise", "average", "cumulative"] * 2
    six = e.loc[(e["horizon"] == 6)].set_index("summary")
    assert six.loc["cumulative", "estimate"] == pytest.approx(6 * six.loc["average", "estimate"])
    assert (e["ci_low"] <= e["estimate"]).all() and (e["estimate"] <= e["ci_high"]).all()
    assert "improvement" in e
    text = str(r.summary())
    assert "step" in text and "Rows used: 56 of 59" in text
    assert r.params.index[0] == "(Intercept)" and r.cov_params().shape == (4, 4)


def test_placebo_dates_cover_the_pre_period(sicily):
    r = ri.its(sicily, outcome="rate", time="time", interruption=37)
    p = r.placebo()
    assert set(p["term"]) == {"step", "slope"}
    assert p["placebo_time"].max() < 37 and p["placebo_time"].nunique() > 25


def test_plot_draws_observed_fitted_and_counterfactual(sicily):
    import matplotlib

    matplotlib.use("Agg")
    ax = ri.its(sicily, outcome="rate", time="time", interruption=37, bed_in=2).plot()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"observed", "fitted", "counterfactual", "transition"} <= set(labels)


def test_batch_fits_every_group_and_reports_failures(sicily):
    a = sicily.assign(la="A")
    b = sicily.assign(la="B", rate=sicily["rate"] * 1.1)
    c = sicily.iloc[:20].assign(la="C")  # ends before the interruption
    panel = pd.concat([b, c, a]).sample(frac=1.0, random_state=1)
    batch = ri.its(panel, outcome="rate", time="time", interruption=37, by="la")
    assert len(batch) == 3 and set(batch.fits) == {"A", "B"}
    assert "outside the series" in batch.errors["C"]
    df = batch.to_frame()
    one = ri.its(sicily, outcome="rate", time="time", interruption=37)
    got = df.loc[(df["la"] == "A") & (df["term"] == "step"), "estimate"].item()
    assert got == pytest.approx(_row(one, "step")["estimate"], rel=1e-12)
    b_step = df.loc[(df["la"] == "B") & (df["term"] == "step"), "estimate"].item()
    assert b_step == pytest.approx(1.1 * got, rel=1e-9)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s.drop(index=10), "missing"),
        (lambda s: pd.concat([s, s.iloc[[5]]]), "duplicate"),
        (lambda s: s.assign(rate=s["rate"].where(s.index != 7)), "row 7"),
    ],
)
def test_bad_series_are_clear_errors(sicily, change, message):
    with pytest.raises(ri.ArgumentError, match=message):
        ri.its(change(sicily), outcome="rate", time="time", interruption=37)


def test_bad_arguments_are_clear_errors(sicily):
    with pytest.raises(ri.ArgumentError, match="outside the series"):
        ri.its(sicily, outcome="rate", time="time", interruption=80)
    with pytest.raises(ri.ArgumentError, match="not a count"):
        ri.its(sicily, outcome="rate", time="time", interruption=37, family="poisson")
    with pytest.raises(ri.ArgumentError, match="exposure"):
        ri.its(sicily.assign(stdpop=0.0), outcome="aces", time="time", interruption=37, family="poisson",
               exposure="stdpop")
    with pytest.raises(ri.ArgumentError, match="series too short"):
        ri.its(sicily.iloc[30:38], outcome="rate", time="time", interruption=37,
               seasonality={"column": "month", "period": 12, "harmonics": 2})
    with pytest.raises(ri.ArgumentError, match="family"):
        ri.its(sicily, outcome="rate", time="time", interruption=37, family="gamma")


def test_diagnostics(sicily):
    r = ri.its(sicily, outcome="rate", time="time", interruption=37, slope_origin=1)
    d = r.diagnostics(12)
    # lmtest::dwtest, bgtest(order = 12) and Box.test(lag = 12, "Ljung-Box") on R's lm residuals.
    assert d["durbin_watson"] == pytest.approx(1.59396363674382, rel=1e-10)
    tests = d["tests"].set_index("test")
    assert tests.loc["breusch_godfrey", "statistic"] == pytest.approx(33.4878435981966, rel=1e-10)
    assert tests.loc["ljung_box", "statistic"] == pytest.approx(60.3153318182214, rel=1e-10)
    assert list(d["correlogram"]["lag"]) == list(range(1, 13))


def test_batch_with_an_interruption_per_group(sicily):
    a = sicily.assign(la="A", go=37)
    b = sicily.assign(la="B", go=25)
    batch = ri.its(pd.concat([a, b]), outcome="rate", time="time", interruption="go", by="la")
    for key, t0 in (("A", 37), ("B", 25)):
        one = ri.its(sicily, outcome="rate", time="time", interruption=t0)
        assert batch[key].params["step"] == pytest.approx(one.params["step"], rel=1e-12)
    with pytest.raises(ri.ArgumentError, match="several values"):
        ri.its(sicily.assign(la="A", go=sicily["time"]), outcome="rate", time="time", interruption="go", by="la")


def test_ar2_errors_equal_nlme(sicily):
    # nlme::gls(rate ~ smokban + time + post, correlation = corARMA(p = 2), method = "REML") at tight
    # tolerances: smokban -24.27684 (SE 11.35641), phi 0.23410, 0.40326 (nlme stops ~1e-5 short).
    r = ri.its(sicily, outcome="rate", time="time", interruption=37, slope_origin=1, errors="ar", ar_order=2)
    assert r.params["step"] == pytest.approx(-24.2768379087159, rel=1e-4)
    assert r.bse["step"] == pytest.approx(11.35640876566, rel=1e-4)
    assert r.ar == pytest.approx([0.234095132680188, 0.403258883795341], abs=1e-4)


def test_nullable_float_columns_are_accepted_and_missing_values_named():
    """Journey frames use pandas' nullable dtypes (Float64, Int64); ri.its reads them, and a pd.NA
    is reported by row like a NaN."""
    s = ri.datasets.sicily()
    plain = ri.its(s, outcome="aces", time="time", interruption=37, family="poisson", exposure="stdpop")
    nullable = s.astype({"aces": "Float64", "time": "Int64"})
    r = ri.its(nullable, outcome="aces", time="time", interruption=37, family="poisson", exposure="stdpop")
    assert r.params.equals(plain.params)
    nullable.loc[5, "aces"] = pd.NA
    with pytest.raises(ValueError, match="row"):
        ri.its(nullable, outcome="aces", time="time", interruption=37, family="poisson", exposure="stdpop")


def test_a_list_of_outcomes_fits_each_and_equals_the_single_fits():
    s = ri.datasets.sicily().assign(rate=lambda d: d["aces"] / d["stdpop"] * 1e5)
    both = pd.concat([s.assign(region="a"), s.assign(region="b", rate=s["rate"] * 1.1)], ignore_index=True)
    b = ri.its(both, outcome=["rate", "aces"], time="time", interruption=37, by="region")
    assert b.keys == [("rate", "a"), ("rate", "b"), ("aces", "a"), ("aces", "b")]
    frame = b.to_frame()
    assert frame.columns[:3].tolist() == ["outcome", "region", "term"]
    for outcome in ("rate", "aces"):
        for region in ("a", "b"):
            one = ri.its(both.loc[both["region"] == region], outcome=outcome, time="time", interruption=37)
            got = b[(outcome, region)]
            np.testing.assert_allclose(got.params.to_numpy(), one.params.to_numpy(), rtol=1e-12)
            assert got.meta["outcome"] == outcome
    only = ri.its(s, outcome=["rate", "aces"], time="time", interruption=37)
    assert only.keys == ["rate", "aces"] and "outcome" in only.summary()
    with pytest.raises(ValueError, match="outcome"):
        ri.its(s, outcome=[], time="time", interruption=37)
    with pytest.raises(ValueError, match="nope"):
        ri.its(s, outcome=["rate", "nope"], time="time", interruption=37)


def test_batch_plot_draws_small_multiples():
    import matplotlib
    matplotlib.use("Agg")
    s = ri.datasets.sicily()
    three = pd.concat([s.assign(region=k) for k in "abc"], ignore_index=True)
    b = ri.its(three, outcome="aces", time="time", interruption=37, by="region")
    axes = b.plot(ncols=2)
    assert axes.shape == (2, 2)
    assert [ax.get_title() for ax in axes.flat[:3]] == ["a", "b", "c"]
    assert not axes.flat[3].get_visible()
    assert axes.flat[0].get_legend() is not None and axes.flat[1].get_legend() is None
    with pytest.raises(ValueError, match="keys"):
        b.plot(keys=["z"])


def test_bed_in_defaults_to_six_months_when_the_period_is_named():
    s = ri.datasets.sicily()
    assert ri.its(s, outcome="aces", time="time", interruption=37).spec["interruptions"][0]["bed_in"] == 0
    monthly = ri.its(s, outcome="aces", time="time", interruption=37, freq="month")
    assert monthly.spec["interruptions"][0]["bed_in"] == 6
    assert monthly.excluded_times == [37.0, 38.0, 39.0, 40.0, 41.0, 42.0]
    quarterly = ri.its(s, outcome="aces", time="time", interruption=37, freq="quarter")
    assert quarterly.spec["interruptions"][0]["bed_in"] == 2
    assert ri.its(s, outcome="aces", time="time", interruption=37, freq="month", bed_in=0).n_used == len(s)
    with pytest.raises(ValueError, match="freq"):
        ri.its(s, outcome="aces", time="time", interruption=37, freq="week")
