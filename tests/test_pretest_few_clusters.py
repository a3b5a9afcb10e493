"""The pre-test's few-cluster (Hotelling T²) reference through Python."""
from __future__ import annotations

import pytest

import raa_impact as ri


def test_few_cluster_pretest_tends_to_the_chi_square_one_with_many_clusters():
    d = ri.datasets.mpdta()
    plain = ri.att_gt(d, outcome="lemp", unit="countyreal", time="year", group="first_treat",
                      control_group="nevertreated").pretest()
    assert "few_clusters" not in plain
    # Clustering on the unit itself: 500 clusters, the same W as R did's unclustered test.
    p = ri.att_gt(d, outcome="lemp", unit="countyreal", time="year", group="first_treat",
                  control_group="nevertreated", cluster="countyreal").pretest()
    few = p["few_clusters"]
    g, q = few["clusters"], p["df"]
    assert g == 500 and few["df"] == (q, g - q)
    assert few["F"] == pytest.approx(p["W"] * (g - q) / (q * (g - 1)), rel=1e-12)
    assert abs(few["p_value"] - p["p_value"]) < 0.02 and few["p_value"] > p["p_value"]


def test_few_clusters_are_reported_in_the_summary():
    d = ri.datasets.mpdta()
    d["region"] = d["countyreal"].rank(method="dense").astype(int) % 40
    a = ri.att_gt(d, outcome="lemp", unit="countyreal", time="year", group="first_treat",
                  control_group="nevertreated", cluster="region")
    few = a.pretest()["few_clusters"]
    assert few["clusters"] == 40 and 0 < few["p_value"] <= 1
    assert "with 40 clusters (Hotelling T²)" in a.summary()
