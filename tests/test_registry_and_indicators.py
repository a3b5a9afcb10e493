"""Registry, exposure, scorecard and panels through the Python front."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import raa_impact as ri


def test_bundled_registry_keys_and_sources():
    reg = ri.load_registry()
    las = reg.las.set_index("dfe_code")
    assert las.loc["886", "name"] == "Kent"
    assert las.index.is_unique and len(las) >= 152
    ms = reg.milestones
    assert set(ms.precision) <= {"day", "month", "year"}
    assert (ms.source_url.str.startswith("http")).all()
    gl = ms[ms.kind == "go_live"]
    assert gl.date.min() >= pd.Timestamp("2017-01-01") and gl.date.max() <= pd.Timestamp("2022-12-31")
    m = reg.memberships
    assert set(m.la_code) <= set(las.index) and set(m.raa_id) <= set(reg.raas.raa_id)


def test_registry_round_trip_and_overlap_error(tmp_path):
    reg = ri.load_registry()
    reg.to_dir(tmp_path)
    back = ri.load_registry(tmp_path)
    pd.testing.assert_frame_equal(back.memberships, reg.memberships)
    pd.testing.assert_frame_equal(back.milestones, reg.milestones)
    # Put Kent into a second RAA over the same dates: an LA in two RAAs at once.
    mem = pd.read_csv(tmp_path / "memberships.csv", dtype=str, keep_default_na=False)
    kent = mem[mem.la_code == "886"].iloc[[0]].copy()
    kent["raa_id"] = mem.raa_id[mem.raa_id != kent.raa_id.iloc[0]].iloc[0]
    pd.concat([mem, kent]).to_csv(tmp_path / "memberships.csv", index=False)
    with pytest.raises(ri.RegistryError) as e:
        ri.load_registry(tmp_path)
    assert "886" in str(e.value)


def test_exposure_statuses_follow_the_truth(syn, syn_journeys):
    e = ri.exposure(syn_journeys, syn.registry)
    assert len(e) == len(syn_journeys)
    assert (e.la.to_numpy() == syn_journeys.la.to_numpy()).all()
    post = e[e.status == "post"]
    assert (post.index_date >= post.exposure_start + pd.Timedelta(days=183)).all()
    assert post.exposed.all()
    pre = e[e.status == "pre"]
    assert (pre.index_date < pre.exposure_start).all() and (~pre.exposed.astype(bool)).all()
    assert e[e.status == "bed_in"].exposed.isna().all()
    e0 = ri.exposure(syn_journeys, syn.registry, bed_in_days=0)
    assert (e0.status == "bed_in").sum() == 0 and (e0.status == "post").sum() > len(post)


def test_scorecard_england_equals_the_mean_of_child_values(syn, syn_journeys):
    j = syn_journeys
    s = ri.scorecard(j, "A1", period_end="2018-03-31", years=3, by=None, registry=syn.registry)
    assert s.group.tolist() == ["England"]
    adopted = j[(j.order_date >= "2015-04-01") & (j.order_date <= "2018-03-31")]
    expect = (adopted.placed_date - adopted.entry_date).dt.days.mean()
    assert s.value.iloc[0] == pytest.approx(expect, rel=1e-12)
    assert s.n_children.iloc[0] == len(adopted)
    by_la = ri.scorecard(j, "A1", by="la", aggregation="mean_of_las", registry=syn.registry)
    assert by_la.n_children.sum() == len(adopted)
    per_la = ri.scorecard(j, "A1", by="la", registry=syn.registry)
    la_mean = ri.scorecard(j, "A1", by=None, aggregation="mean_of_las", registry=syn.registry)
    assert la_mean.value.iloc[0] == pytest.approx(per_la.value.mean(), rel=1e-12)


def test_scorecard_a2_a3_a10(syn, syn_journeys):
    j = syn_journeys
    a1 = ri.scorecard(j, "A1", by=None, registry=syn.registry).value.iloc[0]
    a10 = ri.scorecard(j, "A10", by=None, registry=syn.registry).value.iloc[0]
    assert a10 <= a1  # the clock stops earlier (or at the same time) for foster-carer adoptions
    a3 = ri.scorecard(j, "A3", by=None, registry=syn.registry)
    assert 0 < a3.value.iloc[0] < 1 and a3["count"].iloc[0] <= a3.n_children.iloc[0]
    a2 = ri.scorecard(j, "A2", by=None, registry=syn.registry)
    adopted = j[(j.order_date >= "2015-04-01") & (j.order_date <= "2018-03-31") & j.po_date.notna()
                & j.match_date.notna()]
    expect = (adopted.match_date - adopted.po_date).dt.days.clip(lower=0).mean()
    assert a2.value.iloc[0] == pytest.approx(expect, rel=1e-12)


def test_panel_counts_add_up(syn, syn_journeys):
    j = syn_journeys
    p = ri.la_panel(j, syn.registry, freq="year")
    assert not p.duplicated(["la", "period"]).any()
    # Every LA has every period (zero-count periods included).
    assert p.groupby("la").size().nunique() == 1
    pos = j.po_date.dropna()
    in_panel = pos[(pos >= p.period_start.min()) & (pos <= p.period_end.max())]
    assert p.placement_orders.sum() == len(in_panel)
    empty = p[p.n_po_to_placed == 0]
    assert empty.mean_po_to_placed.isna().all()
    q = ri.la_panel(j, syn.registry, freq="quarter", unit="raa")
    assert "raa" in q.columns and q.placements.sum() == p.placements.sum()
    assert set(q.post.dropna().unique()) <= {True, False}


def test_synthetic_truth_and_config(syn):
    t = syn.truth
    assert set(np.unique(t.effect_days)) <= {0.0, -14.0, -35.0, 10.0}
    post = t[t.exposed]
    assert (post.effect_days == np.where(post.harder_to_place, -35.0, -14.0)).all()
    assert (t.y1_po_to_placed - t.y0_po_to_placed == t.effect_days).dropna().all()
    assert syn.config["seed"] == 5 and syn.config["scale"] == 0.08
    las = syn.truth_las
    assert las.go_live.notna().all() and las.la.is_unique


def test_synthetic_is_deterministic_and_seed_dependent():
    a = ri.synthetic.england(seed=2, scale=0.02)
    b = ri.synthetic.england(seed=2, scale=0.02)
    c = ri.synthetic.england(seed=3, scale=0.02)
    pd.testing.assert_frame_equal(a.returns.episodes, b.returns.episodes)
    assert not a.returns.episodes.equals(c.returns.episodes)


def test_zero_effect_option():
    s = ri.synthetic.england(seed=1, scale=0.02, effect_po_to_placed_days=0, effect_htp_po_to_placed_days=0,
                             bed_in_dip_days=0)
    assert (s.truth.effect_days == 0).all()


def test_before_after_matches_the_scorecard_on_each_window(syn, syn_journeys):
    j = syn_journeys
    t = ri.scorecard_before_after(j, "A1", registry=syn.registry, years=3, bed_in_days=183)
    e = ri.exposure(j, syn.registry)
    row = t[t.n_before > 20].iloc[0]
    # Recompute the before-window with the plain scorecard on the RAA's journeys.
    members = e[e.raa_id == row.raa_id]
    starts = members.exposure_start.unique()
    assert len(starts) == 1  # one start for every member LA of this RAA
    sub = j[e.raa_id == row.raa_id]
    end = pd.Timestamp(starts[0]) - pd.Timedelta(days=1)
    s = ri.scorecard(sub, "A1", period_end=end, years=3, by=None, registry=syn.registry)
    assert s.value.iloc[0] == pytest.approx(row.before, rel=1e-12)
    assert s.n_children.iloc[0] == row.n_before


def test_amending_the_registry_in_python():
    reg = ri.load_registry()
    with pytest.raises(ri.RegistryError):
        reg.with_membership("886", "adopt-south", "2021-01-01")  # Kent is already in an RAA then
    later = reg.with_milestone("adoption-partnership-south-east", "full_integration", "2022-04-01")
    ms = later.milestones.query("raa_id == 'adoption-partnership-south-east'")
    assert set(ms.kind) >= {"go_live", "full_integration"}
    with pytest.raises(ri.RegistryError):
        reg.with_milestone("adoption-partnership-south-east", "full_integration", "2019-01-01")
    assert len(reg.milestones) < len(later.milestones)  # the original is unchanged


def test_controlled_series_pairs_each_raa_with_not_yet_live_las():
    syn = ri.synthetic.england(seed=2, scale=0.05)
    d = ri.controlled_series(syn.journeys(), syn.registry, pre=8, post=2, min_controls=2,
                             last_period="2022Q1")
    assert len(d) and {"raa_id", "t", "treated", "mean", "n", "go_live_t", "bed_in_periods"} <= set(d.columns)
    go_lives = ri.la_panel(syn.journeys(), syn.registry).groupby("la")["go_live"].first()
    for key, g in d.groupby("raa_id"):
        treated, comparison = g.loc[g["treated"]], g.loc[~g["treated"]]
        assert treated["t"].tolist() == comparison["t"].tolist() == list(range(1, len(treated) + 1))
        assert (g["n"] > 0).all()
        # the founding LAs all went live in the go-live period or within its bed-in
        founding = go_lives.loc[treated["las"].iloc[0].split()]
        assert founding.notna().all()
        assert g["n_controls"].iloc[0] >= 2
        assert len(treated) == 8 + int(g["bed_in_periods"].iloc[0]) + 2
    skipped = d.attrs["skipped"]
    assert set(skipped.columns) == {"raa_id", "reason"}
    assert set(skipped["raa_id"]).isdisjoint(set(d["raa_id"]))
    with pytest.raises(ValueError, match="last_period"):
        ri.controlled_series(syn.journeys(), syn.registry, last_period="1999Q1")
    with pytest.raises(ValueError, match="mean"):
        ri.controlled_series(syn.journeys(), syn.registry, mean="median")
