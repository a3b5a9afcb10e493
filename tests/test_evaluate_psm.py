"""The evaluation's PSM, heterogeneity and costs sections on a small synthetic England."""
from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from raa_impact.evaluate import Config, NotComputable, Section, defaults, evaluate
from raa_impact.evaluate.context import Context
from raa_impact.evaluate.sections import costs, heterogeneity, psm
from raa_impact.evaluate.sections.multiple_baseline import cs_panel

SCALE = 0.2


@pytest.fixture(scope="module")
def ev():
    cfg = Config.from_mapping({"synthetic": {"scale": SCALE}}, defaults())
    return evaluate(config=cfg, sections=["psm", "heterogeneity", "costs"], progress=False)


def _table(section: Section, name: str) -> pd.DataFrame:
    found = [t.frame for t in section.tables if t.name == name]
    assert found, f"{section.key} has no table {name}: {[t.name for t in section.tables]}"
    return found[0]


def _effect(ev, group: str, outcome: str = "PO → placed") -> pd.Series:
    t = _table(ev.section("psm"), "effects")
    rows = t.loc[(t["group"] == group) & (t["outcome"] == outcome)]
    assert len(rows) == 1, t[["outcome", "group"]]
    return rows.iloc[0]


def test_each_section_computes_its_tables_and_figures(ev):
    expected = {"psm": ({"sample_sizes", "balance", "effects", "sensitivity", "rosenbaum", "negative_control"},
                        {"love", "km"}),
                "heterogeneity": ({"subgroups"}, {"forest"}), "costs": ({"costs"}, set())}
    for key, (tables, figures) in expected.items():
        s = ev.section(key)
        assert s.ok, (key, s.error)
        assert tables <= {t.name for t in s.tables}, key
        assert figures == {f.name for f in s.figures}, key
        assert all(len(t.frame) for t in s.tables), key


def test_psm_recovers_the_truth_on_synthetic_england(ev):
    for group in ("all children", "harder-to-place children"):
        r = _effect(ev, group)
        assert r["se"] > 0 and r["n_treated"] > 100
        assert np.isfinite(r["true_rmst_difference"]) and r["true_rmst_difference"] < 0
        assert abs(r["rmst_difference"] - r["true_rmst_difference"]) < 3 * r["se"], r


def test_psm_treated_children_are_the_generators_exposed_ones(ev):
    # The design's treated harder-to-place children carry the generator's htp effect, no other.
    config = ev.context.synthetic.config
    r = _effect(ev, "harder-to-place children")
    assert r["injected_effect"] == pytest.approx(config["effect_htp_po_to_placed_days"])


def test_po_to_match_joined_from_journeys_equals_its_own_design(ev):
    ctx = ev.context
    merged = psm.design(ctx)
    own = ctx.design("po_to_match")
    assert len(own) == len(merged)
    assert (own["child"].to_numpy() == merged["child"].to_numpy()).all()
    assert np.array_equal(own["time"].to_numpy(), merged["po_to_match_time"].to_numpy())
    assert np.array_equal((own["event"] + own["competing"]).to_numpy(), merged["po_to_match_ended"].to_numpy())


def test_psm_leaves_its_headline_for_the_costs(ev):
    res = ev.context.results["psm"]
    r = _effect(ev, "all children")
    assert res["estimate"] == r["rmst_difference"] and res["se"] == r["se"]
    assert res["ci"] == [r["ci_lower"], r["ci_upper"]] and res["n_treated"] == r["n_treated"]
    d = ev.context.design("po_to_placed")
    assert res["children_placed_after"] == int(((d["treated"] == 1) & (d["event"] == 1)).sum())


def test_costs_are_the_scaled_psm_numbers(ev):
    res = ev.context.results["psm"]
    t = _table(ev.section("costs"), "costs").set_index("key")
    lo, hi = res["ci"]
    n = res["children_placed_after"]
    day = 700.0 / 7
    assert t.loc["days_avoided_per_child", ["estimate", "ci_lower", "ci_upper"]].tolist() == pytest.approx(
        [-res["estimate"], -hi, -lo])
    assert t.loc["days_avoided_total", "estimate"] == pytest.approx(-res["estimate"] * n)
    assert t.loc["cost_avoided_total", ["ci_lower", "ci_upper"]].tolist() == pytest.approx([-hi * n * day, -lo * n * day])
    assert t.loc["interagency_fees_equivalent", "estimate"] == pytest.approx(-res["estimate"] * n * day / 31620.0)
    assert t.loc["break_even_days_per_child", "estimate"] == pytest.approx(31620.0 / day)


def test_a_different_weekly_cost_scales_the_cost(ev):
    ctx = _context(ev, {"costs": {"weekly_foster_cost": 1050}})
    ctx.results["psm"] = ev.context.results["psm"]
    s = Section("costs", "Costs")
    costs.build(ctx, s)
    new, old = _table(s, "costs").set_index("key"), _table(ev.section("costs"), "costs").set_index("key")
    assert new.loc["cost_avoided_total", "estimate"] == pytest.approx(1.5 * old.loc["cost_avoided_total", "estimate"])
    assert new.loc["days_avoided_total", "estimate"] == pytest.approx(old.loc["days_avoided_total", "estimate"])
    assert new.loc["break_even_days_per_child", "estimate"] == pytest.approx(31620.0 / 150.0)


def test_costs_not_computable_without_psm():
    cfg = Config.from_mapping({"synthetic": {"scale": 0.05}}, defaults())
    ev = evaluate(config=cfg, sections=["costs"], progress=False)
    assert not ev.section("costs").ok
    assert "psm" in ev.failed()["costs"].lower()


def _context(ev, given):
    cfg = Config.from_mapping({"synthetic": {"scale": SCALE}, **given}, defaults())
    ctx = Context(cfg, ev.context.returns, ev.context.registry, ev.context.synthetic)
    ctx._cache = ev.context._cache  # the same journeys and designs
    return ctx


def test_psm_tau_beyond_follow_up_is_lowered_to_the_last_wait_and_noted(ev):
    ctx = _context(ev, {"psm": {"tau_days": 9000.0, "tau_entry_days": 9000.0}})
    s = Section("psm", "PSM")
    psm.build(ctx, s)
    t = _table(s, "effects")
    assert (t["tau"] < 9000).all()
    for _, r in t.iterrows():
        assert any(n.startswith(f"{r['outcome']}, {r['group']}: tau lowered from 9000 to {r['tau']:g}") for n in s.notes)
    placed = t.loc[t["outcome"] == "PO → placed"]
    assert np.isfinite(placed["true_rmst_difference"]).all()  # the truth follows the lowered horizon
    assert _effect(ev, "all children")["tau"] == 730.0


def test_psm_failing_in_every_group_says_why_and_leaves_nothing_for_costs(ev):
    ctx = _context(ev, {"psm": {"time_band": "week"}})
    s = Section("psm", "PSM")
    with pytest.raises(NotComputable, match="no effect could be estimated"):
        psm.build(ctx, s)
    assert any("psm.time_band" in n for n in s.notes)
    assert "psm" not in ctx.results
    with pytest.raises(NotComputable, match="psm"):
        costs.build(ctx, Section("costs", "Costs"))


def test_negative_control_is_the_matched_difference_in_time_before_the_po(ev):
    t = _table(ev.section("psm"), "negative_control").set_index("group")
    d = psm.design(ev.context)
    assert (d["entry_to_po_days"] >= 0).all()
    # entry -> placed minus PO -> placed is the time before the PO for every child
    assert np.allclose(d["entry_to_placed_time"] - d["po_to_placed_time"], d["entry_to_po_days"])
    r = t.loc["all children"]
    assert r["ci_lower"] < r["difference"] < r["ci_upper"] and r["se"] > 0


def test_subgroups_with_few_clusters_get_a_note(ev):
    s = ev.section("heterogeneity")
    t = _table(s, "subgroups")
    few = t.loc[t["raas"] < 3]
    assert len(few) > 0  # the bundled registry has one LA-company RAA
    for _, r in few.iterrows():
        assert any(f"'{r['subgroup']}' rests on {r['raas']} RAA" in n for n in s.notes), r["subgroup"]
    plenty = t.loc[t["raas"] >= 3, "subgroup"]
    assert not any(f"'{g}' rests on" in n for g in plenty for n in s.notes)


def test_heterogeneity_rows_count_their_clusters(ev):
    ctx = ev.context
    t = _table(ev.section("heterogeneity"), "subgroups")
    la = cs_panel(ctx)
    info = heterogeneity.la_info(ctx, la)
    treated = info.loc[info["go_year"] > 0]
    hosted = t.loc[(t["dimension"] == "RAA model") & (t["subgroup"] == "hosted")].iloc[0]
    assert hosted["raas"] == treated.loc[treated["model"] == "hosted", "raa_id"].nunique()
    assert t.loc[t["dimension"] == "go-live cohort", "las"].sum() == len(treated.loc[treated["go_year"] < la.attrs["last_year"]])
    htp = t.loc[t["subgroup"] == "harder-to-place children"].iloc[0]
    assert htp["estimate"] == ctx.results["psm"]["groups"]["harder_to_place"]["estimate"]
    assert ((t["ci_lower"] <= t["estimate"]) & (t["estimate"] <= t["ci_upper"])).all()


def test_heterogeneity_without_psm_notes_the_missing_rows(ev):
    ctx = ev.context
    kept = ctx.results.pop("psm")
    try:
        s = Section("heterogeneity", "Heterogeneity")
        heterogeneity.build(ctx, s)
    finally:
        ctx.results["psm"] = kept
    assert "child group" not in set(_table(s, "subgroups")["dimension"])
    assert any("PSM" in n for n in s.notes)


def test_bad_time_band_is_named():
    with pytest.raises(NotComputable, match="psm.time_band"):
        psm.band(pd.Series([2019.5]), "week")


@pytest.mark.parametrize("module", [psm, heterogeneity, costs])
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0
