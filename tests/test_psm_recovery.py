"""The child-level design and its recovery of an injected effect on a small synthetic England.

The full study (200+ seeds, bias and coverage) is benches/psm_recovery.py; here one or two small
replications check that the pipeline runs, that no row is lost silently, and that a large
injected effect is recovered within the interval. The target there is the restricted mean wait
to any exit (placed, or a reversal / SGO); the latent PO→placed target with competing exits
censored is attenuated by the generator's reversal timing (see the bench's docstring).
"""
import numpy as np
import pandas as pd
import pytest

import raa_impact as ri
from raa_impact.designs import COVARIATES

# The injected effect shortens the treated waits so much that few run past ~500 days: a shorter
# horizon keeps the restricted mean within the follow-up of both arms.
TAU = 365.0


@pytest.fixture(scope="module")
def big_effect():
    syn = ri.synthetic.england(seed=3, scale=0.1, effect_po_to_placed_days=-200.0,
                               effect_htp_po_to_placed_days=-200.0)
    j = ri.journeys(syn.returns)
    return syn, j, ri.child_design(j, syn.registry)


def test_design_columns_and_counts(big_effect):
    syn, j, d = big_effect
    expected = {"la", "child", "period", "po_date", "treated", "time", "event", "competing", "censored",
                *COVARIATES}
    assert set(d.columns) == expected
    dropped = d.attrs["dropped"]
    assert len(d) + sum(dropped.values()) == len(j)
    assert dropped.get("bed_in", 0) > 0 and dropped.get("no_index_event", 0) > 0
    assert not d.duplicated(["la", "child"]).any()
    assert set(np.unique(d["treated"])) == {0, 1}
    assert ((d["event"] + d["competing"] + d["censored"]) == 1).all()
    e = ri.exposure(j, syn.registry)
    assert int(d["treated"].sum()) == int((e["status"] == "post").sum())
    assert int((d["treated"] == 0).sum()) == int((e["status"] == "pre").sum())
    assert d[list(COVARIATES)].notna().all().all()
    # the PO year is the placement order date as a decimal year
    assert np.allclose(np.floor(d["po_year"]), pd.to_datetime(d["po_date"]).dt.year)


def test_bad_outcome_is_refused(big_effect):
    _, j, _ = big_effect
    with pytest.raises(ri.ArgumentError, match="outcome"):
        ri.child_design(j, outcome="entry_to_placed")


def test_large_effect_is_recovered_within_the_interval(big_effect):
    syn, _, d = big_effect
    cols = ["la", "child", "y0_po_to_placed", "y1_po_to_placed", "outcome", "ceased_date"]
    d = d.merge(syn.truth[cols], on=["la", "child"], how="left", validate="one_to_one")
    assert d["y0_po_to_placed"].notna().all()
    # the bench's chosen design: contemporaneous controls (same PO month, LAs not yet live), exact
    # on harder-to-place too (see benches/psm_recovery.py)
    d["po_month"] = np.floor(d["po_year"] * 12).astype(np.int64)
    m = ri.match(d, "treated", list(COVARIATES), exact=["po_month", "harder_to_place"], caliper=0.2)
    focal = (d["treated"].to_numpy() == 1) & (m.weights.to_numpy() > 0)
    assert focal.sum() >= 50
    # The wait ends at placement, or at a reversal / SGO, which the generator dates alike in both
    # worlds (the effect changes nothing for children never placed); only the data cut censors.
    never = d["outcome"].isin(["reversed", "specialguardianship"]).to_numpy()
    ended = (d["ceased_date"] - d["po_date"]).dt.days.to_numpy(dtype=float, na_value=np.nan)
    w0 = np.where(never, ended, d["y0_po_to_placed"].to_numpy(dtype=float, na_value=np.nan))[focal]
    w1 = np.where(never, ended, d["y1_po_to_placed"].to_numpy(dtype=float, na_value=np.nan))[focal]
    assert not np.isnan(w0).any() and not np.isnan(w1).any()
    truth = np.mean(np.minimum(w1, TAU)) - np.mean(np.minimum(w0, TAU))
    assert truth < -80
    r = m.survival("time", (d["event"] + d["competing"]).to_numpy(), tau=TAU).rmst
    lo, hi = r["ci"]
    assert lo <= truth <= hi, (r, truth)
    assert hi < 0


def test_designs_docstring_examples_run():
    # tests/test_cli_and_docs.py lists its modules by hand; the designs module is checked here
    import doctest
    import importlib

    mod = importlib.import_module("raa_impact.designs")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
