"""Pair-by-pair parity with MatchIt 4.7.2 on generated scores, beyond the 614 rows of lalonde.

The scores are dyadic (an integer from a 64-bit LCG over 2^41), so the doubles NumPy makes here are
exactly the ones R read from their shortest decimal form; MatchIt's pairs for them are stored in
`data/matchit_472_generated_pairs.csv`, made by `data/matchit_472_generated_pairs.R` (R 4.2.2,
MatchIt 4.7.2): nearest neighbour on the logit of the score, caliper 0.2 SD of the logit over all
units, largest first. Scenario a: 3,000 treated and 30,000 controls, 1:1, the caliper binding at
the top of the treated scores. Scenario b: 4,000 treated and 8,000 controls shifted apart, 2:1, so
that without replacement treated units compete for controls and the greedy order decides.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import raa_impact as ri

from conftest import DATA

SCENARIOS = {  # n treated, n controls, seed, treated offset, control offset (units of 2^-41), ratio
    "a": (3000, 30000, 12345, 2.0**39, 2.0**38, 1),
    "b": (4000, 8000, 777, 2.0**39 + 2.0**38, 2.0**38, 2),
}


def dyadic_scores(n1: int, n0: int, seed: int, treated_offset: float, control_offset: float):
    """Treated rows first; scores (k + offset) / 2^41 with k the top 40 bits of an LCG state."""
    n = n1 + n0
    state, ks = np.uint64(seed), np.empty(n, dtype=np.uint64)
    a, c = np.uint64(6364136223846793005), np.uint64(1442695040888963407)
    with np.errstate(over="ignore"):  # the LCG works modulo 2^64 on purpose
        for i in range(n):
            state = state * a + c
            ks[i] = state >> np.uint64(24)
    offset = np.where(np.arange(n) < n1, treated_offset, control_offset)
    return np.arange(n) < n1, (ks.astype(np.float64) + offset) / 2.0**41


@pytest.fixture(scope="module")
def reference():
    return pd.read_csv(DATA / "matchit_472_generated_pairs.csv")


def sorted_pairs(a: np.ndarray) -> np.ndarray:
    return a[np.lexsort((a[:, 1], a[:, 0]))]


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("replace", [False, True])
def test_same_pairs_as_matchit(reference, scenario, replace):
    n1, n0, seed, t_off, c_off, ratio = SCENARIOS[scenario]
    treated, ps = dyadic_scores(n1, n0, seed, t_off, c_off)
    m = ri.match_arrays(treated, ps, ratio=ratio, replace=replace, caliper=0.2, caliper_scale="sd",
                        order="largest")
    got = sorted_pairs(m.matches()[["focal", "match"]].to_numpy() + 1)  # R's 1-based row names
    ref = reference[(reference["scenario"] == scenario) & (reference["replace"] == replace)]
    expected = sorted_pairs(ref[["treated", "control"]].to_numpy())
    assert m.n_matched == len(np.unique(expected[:, 0]))
    np.testing.assert_array_equal(got, expected)


def test_the_generator_is_the_one_r_read():
    # The first three scores of scenario a as R's read.csv parsed them from the file it was given.
    _, ps = dyadic_scores(*SCENARIOS["a"][:5])
    assert ps[:3].tolist() == [0.3047893029925035, 0.38269264795872004, 0.6928119963340578]
    assert np.all(ps * 2.0**41 == np.round(ps * 2.0**41))


if __name__ == "__main__":  # writes w_a.csv and w_b.csv, the input of data/matchit_472_generated_pairs.R
    for name, (n1, n0, seed, t_off, c_off, _) in SCENARIOS.items():
        t, ps = dyadic_scores(n1, n0, seed, t_off, c_off)
        pd.DataFrame({"treat": t.astype(int), "ps": [repr(float(v)) for v in ps]}).to_csv(f"w_{name}.csv", index=False)
