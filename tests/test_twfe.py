"""ri.twfe and ri.did_imputation on mpdta against pyfixest / pybacondecomp figures (stored by the
core's tests in crates/raa-impact/tests/data/twfe/, made by make_reference.py there)."""
from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd
import pytest
import raa_impact as ri

REF = Path(__file__).parent.parent / "crates" / "raa-impact" / "tests" / "data" / "twfe"


@pytest.fixture(scope="module")
def mpdta():
    d = ri.datasets.mpdta()
    d["treated"] = ((d["first_treat"] > 0) & (d["year"] >= d["first_treat"])).astype(int)
    return d


def test_twfe_and_bacon_match_the_references(mpdta):
    ref = json.loads((REF / "mpdta_twfe_reference.json").read_text())
    r = ri.twfe(mpdta, outcome="lemp", unit="countyreal", time="year", treated="treated")
    assert r.coefficient == pytest.approx(ref["twfe_coefficient"], abs=1e-10)
    assert r.se == pytest.approx(ref["twfe_se_nested"], rel=1e-8)
    b = r.bacon()
    assert b["weight"].sum() == pytest.approx(1.0, abs=1e-12)
    assert (b["weight"] * b["estimate"]).sum() == pytest.approx(r.coefficient, abs=1e-12)
    two = pd.read_csv(REF / "mpdta_bacon_2x2.csv")
    got = b.assign(control=b["control"].fillna(0).astype(int)).set_index(["treated", "control"])
    for _, row in two.iterrows():
        control = 0 if str(row["control"]) == "Never" else int(row["control"])
        match = got.loc[(int(row["treated"]), control)]
        assert match["estimate"] == pytest.approx(row["estimate"], abs=1e-10)
        assert match["weight"] == pytest.approx(row["weight"], abs=1e-10)
    assert "already-treated controls" in r.summary()
    assert r.plot().get_xlabel() == "weight"


def test_imputation_matches_the_references(mpdta):
    ref = json.loads((REF / "mpdta_twfe_reference.json").read_text())
    r = ri.did_imputation(mpdta, outcome="lemp", unit="countyreal", time="year", treated="treated")
    assert r.overall["estimate"] == pytest.approx(ref["imputation_att"], abs=1e-10)
    assert r.overall["std_error"] == pytest.approx(ref["imputation_se"], rel=1e-8)
    e = r.by_event_time().set_index("event_time")
    for k, v in ref["imputation_by_event_time"].items():
        assert e.loc[int(k), "estimate"] == pytest.approx(v, abs=1e-10)
        assert e.loc[int(k), "std_error"] == pytest.approx(ref["imputation_se_by_event_time"][k], rel=1e-8)
    eff = r.effects()
    assert set(eff["unit"]) <= set(mpdta["countyreal"]) and len(eff) == int(mpdta["treated"].sum())
    assert r.plot().get_xlabel() == "event time"


def test_bad_panels_are_named(mpdta):
    with pytest.raises(ValueError, match="balanced"):
        ri.twfe(mpdta.iloc[1:], outcome="lemp", unit="countyreal", time="year", treated="treated")
    bad = mpdta.copy()
    first = bad.index[(bad["countyreal"] == bad["countyreal"].iloc[0])]
    bad.loc[first[-1], "treated"] = 0
    bad.loc[first[-2], "treated"] = 1
    with pytest.raises(ValueError):
        ri.twfe(bad, outcome="lemp", unit="countyreal", time="year", treated="treated")
    with pytest.raises(ValueError, match="treated"):
        ri.twfe(mpdta, outcome="lemp", unit="countyreal", time="year", treated="nope")
