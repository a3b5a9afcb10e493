"""The multiple-baseline panel plot."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd
import pytest
import raa_impact as ri


def _panel():
    g = {"a": 10.0, "b": 4.0, "c": np.nan, "d": 7.0}
    rows = [{"la": k, "t": t, "y": t * 0.5 + (3 if np.isfinite(v) and t >= v else 0), "n": 1 + t % 3, "g": v}
            for k, v in g.items() for t in range(16)]
    return pd.DataFrame(rows)


def test_rows_are_ordered_by_go_live_with_never_treated_last():
    axes = ri.plot_multiple_baseline(_panel(), outcome="y", unit="la", time="t", go_live="g", bed_in=2, weights="n")
    assert [ax.get_ylabel() for ax in axes] == ["b", "d", "a", "c"]
    # a phase line and a shaded bed-in on treated rows, none on the never-treated row
    first = axes[0]
    assert [line.get_xdata()[0] for line in first.lines if line.get_color() == "C3"] == [4.0]
    assert len(first.patches) == 1
    assert not [line for line in axes[3].lines if line.get_color() == "C3"] and not axes[3].patches


def test_dates_and_a_subset_of_units():
    d = _panel()
    d["t"] = pd.Timestamp("2015-01-01") + pd.to_timedelta(d["t"] * 91, unit="D")
    d["g"] = pd.Timestamp("2015-01-01") + pd.to_timedelta(d["g"] * 91, unit="D")
    axes = ri.plot_multiple_baseline(d, outcome="y", unit="la", time="t", go_live="g", bed_in=183, units=["a", "b"])
    assert [ax.get_ylabel() for ax in axes] == ["b", "a"]


def test_bad_input_names_the_problem():
    d = _panel()
    with pytest.raises(ValueError, match="outcome"):
        ri.plot_multiple_baseline(d, outcome="z", unit="la", time="t", go_live="g")
    d.loc[3, "g"] = 99.0
    with pytest.raises(ValueError, match="la='a'"):
        ri.plot_multiple_baseline(d, outcome="y", unit="la", time="t", go_live="g")
    with pytest.raises(ValueError, match="units"):
        ri.plot_multiple_baseline(_panel(), outcome="y", unit="la", time="t", go_live="g", units=["zz"])
