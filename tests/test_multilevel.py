"""ri.multilevel_its against nlme::lme figures stored by the core's tests
(crates/raa-impact/tests/data/mixed/, made by make_reference.R there)."""
from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd
import pytest
import raa_impact as ri

REF = Path(__file__).parent.parent / "crates" / "raa-impact" / "tests" / "data" / "mixed"


def _case(name):
    d = pd.read_csv(REF / f"{name}.csv")
    # The go-live period: slope = (t − T0)·D, so T0 = t − slope on any post row (rows have gaps).
    t0 = (d["time"] - d["slope"])[d["D"] == 1].groupby(d["unit"]).min()
    d["go"] = d["unit"].map(t0)
    return d, json.loads((REF / f"{name}.json").read_text())


def _close(r, ref):
    np.testing.assert_allclose(r.params.to_numpy(), ref["beta"], rtol=1e-5)
    np.testing.assert_allclose(r.coefficients()["se"].to_numpy(), ref["se"], rtol=1e-4)
    assert r.log_likelihood == pytest.approx(ref["loglik"], abs=1e-6)
    assert r.sigma == pytest.approx(ref["sigma"], rel=1e-3)


@pytest.mark.parametrize("method", ["REML", "ML"])
def test_ar1_with_random_intercept_level_and_slope_equals_nlme(method):
    d, ref = _case("ar1")
    r = ri.multilevel_its(d, outcome="y", unit="unit", time="time", interruption="go",
                          random=["intercept", "step", "slope"], method=method.lower())
    _close(r, ref[method])
    assert r.phi == pytest.approx(ref[method]["phi"], abs=1e-3)
    assert list(r.params.index) == ["(Intercept)", "time", "step", "slope"]


def test_nested_units_in_groups_with_ar1_equals_nlme():
    d, ref = _case("nested_ar1")
    r = ri.multilevel_its(d, outcome="y", unit="unit", time="time", interruption="go", random=["intercept"],
                          group="group")
    _close(r, ref["REML"])
    vc = r.variance_components()
    assert list(vc["level"]) == ["unit", "group", "residual"]


def test_effects_units_predictions_and_summary():
    d, _ = _case("ar1")
    r = ri.multilevel_its(d, outcome="y", unit="unit", time="time", interruption="go",
                          random=["intercept", "step", "slope"], lower_is_better=True)
    e = r.effects([0, 4]).set_index("horizon")
    c = r.coefficients().set_index("term")
    assert e.loc[0, "estimate"] == pytest.approx(c.loc["step", "estimate"], rel=1e-12)
    assert e.loc[0, "df"] == pytest.approx(c.loc["step", "df"], rel=1e-9)
    assert e.loc[4, "estimate"] == pytest.approx(c.loc["step", "estimate"] + 4 * c.loc["slope", "estimate"], rel=1e-12)
    assert bool(e.loc[0, "improvement"]) == (e.loc[0, "ci_high"] < 0)
    u = r.unit_effects()
    assert len(u) == d["unit"].nunique() and {"step", "slope"} <= set(u.columns)
    # BLUPs average to about zero: the unit effects scatter around the pooled effect
    assert u["step"].mean() == pytest.approx(c.loc["step", "estimate"], abs=0.1)
    p = r.predictions()
    pre = p["time"] < d.groupby("unit")["go"].first().reindex(p["unit"]).to_numpy()
    np.testing.assert_allclose(p.loc[pre, "counterfactual"], p.loc[pre, "fitted"])
    assert "AR(1) phi" in r.summary()
    assert r.plot().get_xlabel().startswith("level change")


def test_bed_in_rows_are_left_out_and_bad_input_is_named():
    d, _ = _case("ar1")
    full = ri.multilevel_its(d, outcome="y", unit="unit", time="time", interruption="go", errors="independent")
    bed = ri.multilevel_its(d, outcome="y", unit="unit", time="time", interruption="go", errors="independent",
                            bed_in=2)
    in_bed = ((d["time"] >= d["go"]) & (d["time"] < d["go"] + 2)).sum()
    assert bed._raw["n_obs"] == full._raw["n_obs"] - in_bed > 0
    assert f"{in_bed} bed-in rows left out" in bed.summary()
    with pytest.raises(ValueError, match="random"):
        ri.multilevel_its(d, outcome="y", unit="unit", time="time", interruption="go", impact=["step"],
                          random=["slope"])
    with pytest.raises(ValueError, match="errors"):
        ri.multilevel_its(d, outcome="y", unit="unit", time="time", interruption="go", errors="arma")
    bad = d.copy()
    bad.loc[3, "y"] = np.nan
    with pytest.raises(ValueError, match="row"):
        ri.multilevel_its(bad, outcome="y", unit="unit", time="time", interruption="go")
