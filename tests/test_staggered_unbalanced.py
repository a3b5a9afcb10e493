"""ri.att_gt(..., allow_unbalanced_panel=True) through the Python front against R did 2.5.1's
allow_unbalanced_panel = TRUE on an unbalanced mpdta (a seeded 10% of the rows dropped; made by
crates/raa-impact/tests/data/did/mpdta_unbalanced.R): every ATT(g, t), aggregation and the Wald
pre-test of 22 scenarios, at ATT 1e-8 abs and SE 1e-6 rel; plus the option's switches."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import pandas as pd
import pytest

import raa_impact as ri

DID = Path(__file__).parent.parent / "crates" / "raa-impact" / "tests" / "data" / "did"
ATT_TOL = 1e-8
SE_TOL = 1e-6


@pytest.fixture(scope="module")
def unbalanced() -> pd.DataFrame:
    d = pd.read_csv(DID / "mpdta_unbalanced.csv").rename(columns={"first.treat": "first_treat"})
    d["state"] = d["countyreal"] // 1000
    d["w"] = d["lpop"]
    return d


@pytest.fixture(scope="module")
def refs() -> pd.DataFrame:
    return pd.read_csv(DID / "mpdta_unbalanced_ref.csv")


def _options(scenario: str) -> Dict[str, Any]:
    """The att_gt arguments a reference scenario name encodes (see mpdta_unbalanced.R)."""
    parts = scenario.split("_")
    return {
        "control_group": "notyettreated" if "nyt" in parts else "nevertreated",
        "est_method": next((m for m in ("reg", "ipw") if m in parts), "dr"),
        "covariates": ["lpop"] if "x" in parts else None,
        "base_period": "universal" if "universal" in parts else "varying",
        "anticipation": 1 if "antic1" in parts else 0,
        "cluster": "state" if "cluster" in parts else None,
        "weights": "w" if "weights" in parts else None,
    }


def _fit(d: pd.DataFrame, scenario: str, allow: bool = True) -> ri.AttGtResult:
    if "gap" in scenario.split("_"):  # no never-treated row in 2005
        d = d[~((d["first_treat"] == 0) & (d["year"] == 2005))]
    return ri.att_gt(d, outcome="lemp", unit="countyreal", time="year", group="first_treat",
                     allow_unbalanced_panel=allow, **_options(scenario))


def _aggregate(fit: ri.AttGtResult, kind: str, scenario: str) -> Any:
    base = kind.replace("_overall", "")
    if scenario.endswith("dyn_balance1"):
        return fit.aggregate("dynamic", balance_e=1)
    if scenario.endswith("dyn_window"):
        return fit.aggregate("dynamic", min_e=-2, max_e=2)
    return fit.aggregate(base)


def _close(got: float, want: float, tol: float, rel: bool, what: str) -> None:
    diff = abs(got - want) / (abs(want) if rel else 1.0)
    assert diff <= tol, f"{what}: {got!r} vs R {want!r} ({'rel' if rel else 'abs'} {diff:.3e})"


def _close_se(got: Any, want: float, what: str) -> None:
    """SEs at SE_TOL relative; where R has none (a reference cell) there must be none."""
    if pd.isna(want):
        assert got is None or pd.isna(got), f"{what}: {got!r} where R has no SE"
    else:
        _close(got, want, SE_TOL, True, what)


def _check_cells(fit: ri.AttGtResult, rows: pd.DataFrame, scenario: str) -> None:
    table = fit.table().set_index(["group", "time"])
    assert len(table) == len(rows), scenario
    for _, r in rows.iterrows():
        cell = table.loc[(int(r["key"]), int(r["t"]))]
        what = f"{scenario} ATT({int(r['key'])}, {int(r['t'])})"
        if pd.isna(r["att"]):  # R: NA; here not identified
            assert pd.isna(cell["att"]) and cell["status"].startswith("NotIdentified"), what
            continue
        _close(cell["att"], r["att"], ATT_TOL, False, what)
        _close_se(cell["se"], r["se"], what + " se")


def _check_aggregates(fit: ri.AttGtResult, rows: pd.DataFrame, scenario: str) -> None:
    for kind, group in rows.groupby("type", sort=False):
        agg = _aggregate(fit, str(kind), scenario)
        if str(kind).endswith("_overall"):
            r = group.iloc[0]
            _close(agg.overall.estimate, r["att"], ATT_TOL, False, f"{scenario} {kind}")
            _close_se(agg.overall.se, r["se"], f"{scenario} {kind} se")
            continue
        frame = agg.to_frame().set_index(agg.to_frame().columns[0])
        assert len(frame) == len(group), f"{scenario} {kind}: {list(frame.index)}"
        for _, r in group.iterrows():
            got = frame.loc[int(r["key"])]
            _close(got["estimate"], r["att"], ATT_TOL, False, f"{scenario} {kind} {int(r['key'])}")
            _close_se(got["se"], r["se"], f"{scenario} {kind} {int(r['key'])} se")


def test_every_scenario_matches_r(unbalanced: pd.DataFrame, refs: pd.DataFrame) -> None:
    scenarios = list(dict.fromkeys(refs["scenario"]))
    assert len(scenarios) >= 22
    for scenario in scenarios:
        rows = refs[refs["scenario"] == scenario]
        fit = _fit(unbalanced, scenario.split("_dyn_")[0])
        assert any(w.startswith("unbalanced panel:") for w in fit.warnings), scenario
        cells = rows[rows["type"] == "attgt"]
        if len(cells):
            _check_cells(fit, cells, scenario)
        n_units = rows[rows["type"] == "n_units"]
        if len(n_units):
            assert fit._raw["n_units"] == int(n_units["att"].iloc[0])
        pre = rows[rows["type"] == "pretest"]
        if len(pre):
            p = fit.pretest()
            _close(p["W"], pre["att"].iloc[0], SE_TOL, True, f"{scenario} W")
            assert abs(p["p_value"] - pre["se"].iloc[0]) <= 5e-6 + 1e-12  # R rounds p to 5 decimals
        aggs = rows[~rows["type"].isin(["attgt", "n_units", "pretest"])]
        _check_aggregates(fit, aggs, scenario)


def test_off_drops_incomplete_units_and_balanced_data_ignores_the_option(unbalanced: pd.DataFrame) -> None:
    off = _fit(unbalanced, "nev_dr", allow=False)
    on = _fit(unbalanced, "nev_dr")
    dropped = on._raw["n_units"] - off._raw["n_units"]
    assert dropped > 0
    assert any(w.startswith(f"dropped {dropped} units not observed in every period") for w in off.warnings)
    assert (on.incomplete_units, off.incomplete_units) == (dropped, 0)
    assert "unbalanced panel allowed" in on.summary()
    full = ri.datasets.mpdta()
    a = _fit(full, "nyt_dr_x", allow=True).table()
    b = _fit(full, "nyt_dr_x", allow=False).table()
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_the_option_must_be_a_bool(unbalanced: pd.DataFrame) -> None:
    with pytest.raises(ri.ArgumentError, match="allow_unbalanced_panel"):
        ri.att_gt(unbalanced, outcome="lemp", unit="countyreal", time="year", group="first_treat",
                  allow_unbalanced_panel="yes")  # type: ignore[arg-type]
