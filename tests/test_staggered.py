"""ri.att_gt through the Python front: the mpdta oracles of ORACLES.md (R did 2.5.0) and the option
references made with R did 2.5.1 (crates/raa-impact/tests/data/did/mpdta_options.R), at the
oracle tolerances (ATT 1e-9 abs, SE 1e-7 rel, W 1e-9 rel, p 1e-5 abs)."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd
import pytest
import raa_impact as ri

DID = Path(__file__).parent.parent / "crates" / "raa-impact" / "tests" / "data" / "did"


@pytest.fixture(scope="module")
def mpdta():
    d = ri.datasets.mpdta()
    d["state"] = d["countyreal"] // 1000
    d["w"] = d["lpop"]
    return d


def _fit(d, **kw):
    return ri.att_gt(d, outcome="lemp", unit="countyreal", time="year", group="first_treat", **kw)


def _check_cells(table, ref):
    got = table.set_index(["group", "time"])
    assert len(ref) == len(got)
    for _, r in ref.iterrows():
        cell = got.loc[(int(r["group"]), int(r["t"]))]
        assert cell["att"] == pytest.approx(r["att"], abs=1e-9)
        if np.isfinite(r["se"]):
            assert cell["se"] == pytest.approx(r["se"], rel=1e-7)


def test_mpdta_oracles(mpdta):
    a = _fit(mpdta, control_group="nevertreated")
    cells = pd.read_csv(DID / "mpdta_cs_attgt_nevertreated_dr.csv")
    _check_cells(a.table(), cells)
    agg = pd.read_csv(DID / "mpdta_cs_aggte_nevertreated_dr.csv")
    for kind, rows in agg.groupby("type"):
        res = a.aggregate(kind)
        assert res.overall.estimate == pytest.approx(rows["overall_att"].iloc[0], abs=1e-9)
        assert res.overall.se == pytest.approx(rows["overall_se"].iloc[0], rel=1e-7)
        if kind != "simple":
            f = res.to_frame().set_index(res.to_frame().columns[0])
            for _, r in rows.iterrows():
                assert f.loc[int(r["egt"]), "estimate"] == pytest.approx(r["att_egt"], abs=1e-9)
                assert f.loc[int(r["egt"]), "se"] == pytest.approx(r["se_egt"], rel=1e-7)
    pre = pd.read_csv(DID / "mpdta_cs_pretest_nevertreated_dr.csv").iloc[0]
    p = a.pretest()
    assert p["W"] == pytest.approx(pre["W"], rel=1e-9)
    assert p["p_value"] == pytest.approx(pre["Wpval"], abs=1e-5)


SCENARIOS = {
    "nyt_dr": dict(control_group="notyettreated"),
    "nev_dr_x": dict(control_group="nevertreated", covariates=["lpop"]),
    "nev_reg_x": dict(control_group="nevertreated", covariates=["lpop"], est_method="reg"),
    "nev_ipw_x": dict(control_group="nevertreated", covariates=["lpop"], est_method="ipw"),
    "nyt_dr_universal": dict(control_group="notyettreated", base_period="universal"),
    "nev_dr_antic1": dict(control_group="nevertreated", anticipation=1),
    "nev_dr_cluster": dict(control_group="nevertreated", cluster="state"),
    "nev_dr_weights": dict(control_group="nevertreated", weights="w"),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_option_references(mpdta, scenario):
    ref = pd.read_csv(DID / "mpdta_options.csv")
    ref = ref.loc[ref["scenario"] == scenario]
    a = _fit(mpdta, **SCENARIOS[scenario])
    if scenario == "nev_dr_cluster":
        t = a.table()
        assert (t["control_clusters"] == 16).all() and t.loc[t["group"] == 2004, "treated_clusters"].eq(1).all()
        assert any("single cluster" in w for w in a.warnings)
    _check_cells(a.table(), ref.loc[ref["type"] == "attgt"].rename(columns={"key": "group"}))
    for kind in ("simple", "group", "dynamic", "calendar"):
        overall = ref.loc[ref["type"] == f"{kind}_overall"]
        if len(overall):
            res = a.aggregate(kind)
            assert res.overall.estimate == pytest.approx(overall["att"].iloc[0], abs=1e-9)
            assert res.overall.se == pytest.approx(overall["se"].iloc[0], rel=1e-7)


def test_dynamic_windows(mpdta):
    ref = pd.read_csv(DID / "mpdta_options.csv")
    a = _fit(mpdta, control_group="nevertreated")
    for scenario, kw in (("nev_dr_dyn_balance1", dict(balance_e=1)), ("nev_dr_dyn_window", dict(min_e=-2, max_e=2))):
        r = ref.loc[(ref["scenario"] == scenario) & (ref["type"] == "dynamic")]
        f = a.aggregate("dynamic", **kw).to_frame().set_index("event_time")
        assert sorted(f.index) == sorted(r["key"].astype(int))
        for _, row in r.iterrows():
            assert f.loc[int(row["key"]), "estimate"] == pytest.approx(row["att"], abs=1e-9)


def test_bootstrap_band_is_seeded_and_close_to_analytic(mpdta):
    analytic = _fit(mpdta, control_group="nevertreated").aggregate("simple").overall.se
    a = _fit(mpdta, control_group="nevertreated", bootstrap=2000, seed=7)
    b = _fit(mpdta, control_group="nevertreated", bootstrap=2000, seed=7)
    assert a.uniform and a.table()["se"].equals(b.table()["se"])
    simple = a.aggregate("simple").overall.se
    assert abs(simple / analytic - 1) < 0.08
    dyn = a.aggregate("dynamic")
    assert dyn.uniform and dyn.crit_value > 1.96
    ax = a.plot()
    assert ax.get_xlabel().startswith("event time")
    assert "uniform" in a.summary()


def test_summary_cohorts_and_bad_input(mpdta):
    a = _fit(mpdta)
    assert "Pre-test of parallel trends" in a.summary()
    c = a.cohorts()
    assert set(c["group"]) == {0, 2004, 2006, 2007}
    f = a.aggregate("dynamic").to_frame()
    assert {"cohorts", "n_treated"} <= set(f.columns)
    with pytest.raises(ValueError, match="control_group"):
        _fit(mpdta, control_group="everyone")
    with pytest.raises(ValueError, match="type"):
        a.aggregate("weekly")
    dup = pd.concat([mpdta, mpdta.iloc[:1]])
    with pytest.raises(ValueError):
        _fit(dup)
    bad = mpdta.astype({"first_treat": float})
    bad.loc[0, "first_treat"] = 2005.5
    with pytest.raises(ValueError, match="whole period"):
        _fit(bad)


def test_min_comparison_clusters_leaves_out_thinly_compared_cells(mpdta):
    a = _fit(mpdta, cluster="state")
    b = _fit(mpdta, cluster="state", min_comparison_clusters=20)
    ta, tb = a.table(), b.table()
    thin = ta["control_clusters"] < 20
    assert thin.any() and (~thin).any()
    assert tb.loc[thin, "att"].isna().all()
    assert tb.loc[thin, "status"].str.contains("min_comparison_clusters").all()
    pd.testing.assert_frame_equal(ta.loc[~thin], tb.loc[~thin])
    assert "fewer than 20 clusters left out" in b.summary()
    assert b.aggregate("simple").overall.estimate != pytest.approx(a.aggregate("simple").overall.estimate)
    with pytest.raises(ri.ArgumentError, match="cluster"):
        _fit(mpdta, min_comparison_clusters=3)
    with pytest.raises(ri.ArgumentError, match="whole number of clusters"):
        _fit(mpdta, cluster="state", min_comparison_clusters=-1)


def test_small_sample_scales_clustered_ses_and_uses_t(mpdta):
    a = _fit(mpdta, control_group="nevertreated", cluster="state")
    b = _fit(mpdta, control_group="nevertreated", cluster="state", small_sample=True)
    ta, tb = a.table(), b.table()
    g = 29  # states
    np.testing.assert_array_equal(ta["att"], tb["att"])
    np.testing.assert_allclose(tb["se"], ta["se"] * np.sqrt(g / (g - 1)), rtol=1e-13)
    crit = 2.04840714180  # R: qt(0.975, 28)
    np.testing.assert_allclose(tb["ci_high"] - tb["att"], crit * tb["se"], rtol=1e-9)
    sa, sb = a.aggregate("simple").overall, b.aggregate("simple").overall
    assert sb.se == pytest.approx(sa.se * np.sqrt(g / (g - 1)), rel=1e-13)
    assert sb.ci_high - sb.estimate == pytest.approx(crit * sb.se, rel=1e-9)
    assert "t(28)" in b.summary() and "G = 29" in b.summary() and "t(28)" not in a.summary()
    with pytest.raises(ri.ArgumentError, match="small_sample"):
        _fit(mpdta, small_sample="yes")
