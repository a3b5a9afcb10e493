"""ri.randomization_test against a brute-force evaluation in numpy."""
from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd
import pytest
import raa_impact as ri


def _panel(starts, effect=2.0, seed=0, periods=18):
    rng = np.random.default_rng(seed)
    rows = [(f"u{u}", t, rng.normal() + (effect if t >= s else 0.0), s)
            for u, s in enumerate(starts) for t in range(periods)]
    return pd.DataFrame(rows, columns=["la", "q", "y", "go"])


def _stat(d, assignment, bed_in=0):
    total = 0.0
    for (la, g), s in zip(d.groupby("la"), assignment):
        a = g.loc[g["q"] < s, "y"].mean()
        b = g.loc[g["q"] >= s + bed_in, "y"].mean()
        total += b - a
    return total / len(assignment)


def _p(values, observed, alternative):
    values = np.asarray(values)
    tol = 1e-9 * np.maximum(abs(observed), abs(values))
    if alternative == "greater":
        hits = values >= observed - tol
    elif alternative == "less":
        hits = values <= observed + tol
    else:
        hits = np.abs(values) >= abs(observed) - tol
    return hits.mean()


@pytest.mark.parametrize("alternative", ["greater", "less", "two-sided"])
def test_marascuilo_busk_equals_brute_force(alternative):
    starts = [5, 8, 11]
    d = _panel(starts)
    r = ri.randomization_test(d, outcome="y", unit="la", time="q", start="go", window=(2, 1), alternative=alternative,
                              bed_in=1)
    grids = [range(s - 2, s + 2) for s in starts]
    values = [_stat(d, a, bed_in=1) for a in itertools.product(*grids)]
    assert r.enumerated and r.n_assignments == len(values) == 64
    assert r.observed == pytest.approx(_stat(d, starts, bed_in=1), rel=1e-12)
    assert r.p_value == pytest.approx(_p(values, r.observed, alternative), abs=1e-12)
    assert sorted(r.distribution) == pytest.approx(sorted(values), rel=1e-6)


def test_wampold_worsham_and_koehler_levin_equal_brute_force():
    starts = [4, 7, 10, 13]
    d = _panel(starts, seed=3)
    ww = ri.randomization_test(d, outcome="y", unit="la", time="q", start="go", scheme="wampold_worsham")
    perms = [_stat(d, p) for p in itertools.permutations(starts)]
    assert ww.n_assignments == 24 and ww.p_value == pytest.approx(_p(perms, ww.observed, "two-sided"), abs=1e-12)
    kl = ri.randomization_test(d, outcome="y", unit="la", time="q", start="go", scheme="koehler_levin", window=(1, 0))
    values = [_stat(d, [pos + shift for pos, shift in zip(p, shifts)])
              for p in itertools.permutations(starts) for shifts in itertools.product([-1, 0], repeat=4)]
    assert kl.n_assignments == len(values) == 24 * 16
    assert kl.p_value == pytest.approx(_p(values, kl.observed, "two-sided"), abs=1e-12)


def test_monte_carlo_beyond_the_enumeration_limit_is_seeded_and_close_to_exact():
    starts = [5, 7, 9, 11, 13]
    d = _panel(starts, effect=0.8, seed=5, periods=20)
    exact = ri.randomization_test(d, outcome="y", unit="la", time="q", start="go", window=(2, 2))
    mc = ri.randomization_test(d, outcome="y", unit="la", time="q", start="go", window=(2, 2), max_enumerate=100,
                               draws=4000, seed=11)
    again = ri.randomization_test(d, outcome="y", unit="la", time="q", start="go", window=(2, 2), max_enumerate=100,
                                  draws=4000, seed=11)
    assert exact.enumerated and not mc.enumerated and mc.n_evaluated == 4000
    assert mc.p_value == again.p_value
    assert abs(mc.p_value - exact.p_value) < 4 * mc.mc_standard_error + 1e-3
    assert "not randomised" in mc.summary() and "as-if-random" in mc.note
    ax = mc.plot()
    assert ax.get_xlabel() == "phase_difference"
    assert mc.to_frame().loc[0, "n_evaluated"] == 4000


def test_bad_input_is_named():
    d = _panel([5, 8, 11])
    with pytest.raises(ValueError, match="window"):
        ri.randomization_test(d, outcome="y", unit="la", time="q", start="go")
    with pytest.raises(ValueError, match="scheme"):
        ri.randomization_test(d, outcome="y", unit="la", time="q", start="go", scheme="random", window=(1, 1))
    bad = d.copy()
    bad.loc[0, "go"] = 6
    with pytest.raises(ValueError, match="la='u0'"):
        ri.randomization_test(bad, outcome="y", unit="la", time="q", start="go", window=(1, 1))
    with pytest.raises(ValueError, match="whole period"):
        ri.randomization_test(d.assign(q=d["q"] + 0.5), outcome="y", unit="la", time="q", start="go", window=(1, 1))
    with pytest.raises(ValueError):  # a window reaching past the series: no phase B at some start
        ri.randomization_test(d, outcome="y", unit="la", time="q", start="go", window=(1, 8))


def test_cs_statistic_equals_att_gt_on_every_assignment():
    starts = [4, 7, 10, 13]
    d = _panel(starts, effect=1.0, seed=8, periods=16)
    r = ri.randomization_test(d, outcome="y", unit="la", time="q", start="go", scheme="wampold_worsham",
                              statistic="cs", control_group="notyettreated")
    assert r.n_assignments == 24 and r.statistic == "cs_simple"
    observed = ri.att_gt(d, outcome="y", unit="la", time="q", group="go").aggregate("simple").overall.estimate
    assert r.observed == pytest.approx(observed, rel=1e-12)
    values = []
    for p in itertools.permutations(starts):
        g = d["la"].map(dict(zip(sorted(d["la"].unique()), p)))
        values.append(ri.att_gt(d.assign(go=g), outcome="y", unit="la", time="q", group="go")
                      .aggregate("simple").overall.estimate)
    assert sorted(r.distribution) == pytest.approx(sorted(values), rel=1e-5, abs=1e-6)
    assert r.p_value == pytest.approx(_p(values, r.observed, "two-sided"), abs=1e-12)
    with pytest.raises(ValueError, match="cs options"):
        ri.randomization_test(d, outcome="y", unit="la", time="q", start="go", scheme="wampold_worsham",
                              statistic="cs", colour="red")


def test_cs_statistic_leaves_out_cells_with_few_comparison_clusters_on_every_assignment():
    starts = [5, 6, 8, 9, 11]
    d = _panel(starts, effect=1.5, seed=3, periods=16)
    d["raa"] = d["la"].map({"u0": "a", "u1": "a", "u2": "b", "u3": "c", "u4": "c"})
    fit = dict(outcome="y", unit="la", time="q", cluster="raa")
    r = ri.randomization_test(d, start="go", scheme="marascuilo_busk", window=(1, 1), statistic="cs",
                              min_comparison_clusters=2, **fit)
    assert r.enumerated and r.n_assignments == 3 ** 5

    def cs(go, m):
        return ri.att_gt(d.assign(go=go), group="go", min_comparison_clusters=m, **fit).aggregate("simple").overall.estimate

    assert r.observed == pytest.approx(cs(d["go"], 2), rel=1e-12)
    assert r.observed != pytest.approx(cs(d["go"], 0), rel=1e-6)  # the option changes the statistic
    units = sorted(d["la"].unique())
    values = []
    for shift in itertools.product((-1, 0, 1), repeat=5):
        go = d["la"].map({u: s + k for u, s, k in zip(units, starts, shift)})
        values.append(cs(go, 2))
    assert sorted(r.distribution) == pytest.approx(sorted(values), rel=1e-5, abs=1e-6)
    assert r.p_value == pytest.approx(_p(values, r.observed, "two-sided"), abs=1e-12)
    with pytest.raises(ValueError, match="min_comparison_clusters"):
        ri.randomization_test(d, start="go", scheme="marascuilo_busk", window=(1, 1), statistic="cs",
                              min_comparison_clusters=-1, **fit)


def _phase_from_frame(d):
    """The phase difference written on the data frame a callable statistic receives."""
    starts = d.groupby("la")["go"].first()
    return _stat(d, starts.to_numpy())


def test_a_callable_statistic_equals_the_built_in_one_and_brute_force():
    starts = [5, 8, 11]
    d = _panel(starts, seed=4)
    kw = dict(outcome="y", unit="la", time="q", start="go", window=(2, 1), alternative="two-sided")
    built_in = ri.randomization_test(d, **kw)
    called = ri.randomization_test(d, statistic=_phase_from_frame, **kw)
    assert called.statistic == "_phase_from_frame" and called.n_assignments == 64
    assert called.observed == pytest.approx(built_in.observed, rel=1e-12)
    assert called.p_value == pytest.approx(built_in.p_value, abs=1e-12)
    values = [_stat(d, a) for a in itertools.product(*[range(s - 2, s + 2) for s in starts])]
    assert called.p_value == pytest.approx(_p(values, called.observed, "two-sided"), abs=1e-12)
    # Monte Carlo: the same draws as the built-in statistic's, seeded.
    mc = dict(kw, max_enumerate=0, draws=199, seed=3)
    a = ri.randomization_test(d, statistic=_phase_from_frame, **mc)
    b = ri.randomization_test(d, **mc)
    assert not a.enumerated and a.p_value == pytest.approx(b.p_value, abs=1e-12)
    np.testing.assert_allclose(a.distribution, b.distribution, rtol=1e-6)


def test_a_callable_statistic_runs_any_estimator():
    starts = [4, 7, 10, 13]
    d = _panel(starts, effect=1.0, seed=8, periods=16)

    def twfe(frame):
        treated = (frame["q"] >= frame["go"]).astype(int)
        return ri.twfe(frame.assign(treated=treated), outcome="y", unit="la", time="q", treated="treated").coefficient

    r = ri.randomization_test(d, outcome="y", unit="la", time="q", start="go", scheme="wampold_worsham",
                              statistic=twfe)
    assert r.n_assignments == 24 and r.observed == pytest.approx(twfe(d), rel=1e-12)
    values = [twfe(d.assign(go=d["la"].map(dict(zip(sorted(d["la"].unique()), p)))))
              for p in itertools.permutations(starts)]
    assert sorted(r.distribution) == pytest.approx(sorted(values), rel=1e-5, abs=1e-6)
    assert r.p_value == pytest.approx(_p(values, r.observed, "two-sided"), abs=1e-12)


def test_a_callable_statistic_that_fails_is_reported():
    d = _panel([5, 8, 11], seed=4)
    kw = dict(outcome="y", unit="la", time="q", start="go", window=(2, 1))

    def boom(frame):
        if frame["go"].min() == 3:
            raise KeyError("no such estimate")
        return 1.0

    with pytest.raises(KeyError, match="no such estimate"):
        ri.randomization_test(d, statistic=boom, **kw)
    with pytest.raises(ValueError, match="assignment .* expected a finite number"):
        ri.randomization_test(d, statistic=lambda f: np.nan if f["go"].max() == 12 else 0.0, **kw)
    with pytest.raises(ri.ArgumentError, match="bed_in"):
        ri.randomization_test(d, statistic=_phase_from_frame, bed_in=1, **kw)
    with pytest.raises(ri.ArgumentError, match="callable"):
        ri.randomization_test(d, statistic="median", **kw)
