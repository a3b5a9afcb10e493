"""Speed of the ITS path from Python, and of the peers on this machine.

Run:  source scripts/env.sh && python benches/bench_its.py
Prints median wall times (best of several repeats) for:
  * ri.its on Sicily (one 59-point fit; OLS, Newey-West, AR(1) REML, quasi-Poisson + seasonality),
  * statsmodels on the same models (OLS + HAC, GLSAR iterative AR(1), GLM quasi-Poisson),
  * ri.its(by=...) on 150 LAs x 40 quarters (AR(1) REML), and placebo dates for every LA,
  * R nlme::gls AR(1) REML on Sicily when Rscript is installed (benches/its_peer.R; never needed by tests).
"""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd

import raa_impact as ri


def best(f, repeat=7, number=1):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            f()
        times.append((time.perf_counter() - t) / number)
    return float(np.median(times))


def panel(n_la=150, quarters=40, seed=1):
    rng = np.random.default_rng(seed)
    rows = []
    for la in range(n_la):
        go = rng.integers(14, 28)
        e = 0.0
        for q in range(1, quarters + 1):
            e = 0.3 * e + rng.normal(0, 30)
            rows.append((f"LA{la:03d}", q, 260 - 1.5 * q - 14 * (q >= go) + e, go))
    return pd.DataFrame(rows, columns=["la", "quarter", "days", "go_live"])


def main():
    s = ri.datasets.sicily()
    s["rate"] = s["aces"] / s["stdpop"] * 1e5
    kw = dict(outcome="rate", time="time", interruption=37, slope_origin=1)
    out = {}
    out["ri.its OLS (59)"] = best(lambda: ri.its(s, **kw), number=50)
    out["ri.its Newey-West (59)"] = best(lambda: ri.its(s, errors="newey_west", lags=1, **kw), number=50)
    out["ri.its AR(1) REML (59)"] = best(lambda: ri.its(s, errors="ar1", **kw), number=50)
    season = {"column": "month", "period": 12, "harmonics": 2}
    out["ri.its quasi-Poisson + season (59)"] = best(
        lambda: ri.its(s, outcome="aces", time="time", interruption=37, family="quasipoisson",
                       exposure="stdpop", impact="step", seasonality=season), number=50)
    try:
        import statsmodels.api as sm

        X = sm.add_constant(np.column_stack([s["time"], s["smokban"], np.maximum(s["time"] - 36, 0) * s["smokban"]]))
        y = s["rate"].to_numpy()
        out["statsmodels OLS+HAC (59)"] = best(
            lambda: sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": 1}), number=50)
        out["statsmodels GLSAR iterative (59)"] = best(lambda: sm.GLSAR(y, X, rho=1).iterative_fit(maxiter=50), number=20)
        m = s["month"].to_numpy()
        Xs = np.column_stack([X[:, [0, 1, 2]]] + [f(2 * np.pi * k * m / 12) for k in (1, 2) for f in (np.sin, np.cos)])
        out["statsmodels GLM quasi-Poisson + season (59)"] = best(
            lambda: sm.GLM(s["aces"], Xs, family=sm.families.Poisson(), offset=np.log(s["stdpop"])).fit(scale="X2"),
            number=20)
    except ImportError:
        pass
    p = panel()
    p["t"] = p["quarter"] - p["go_live"] + 30  # every LA's go-live at t = 30
    out["ri.its by=la, 150 LAs x 40 q, AR(1) REML"] = best(
        lambda: ri.its(p, outcome="days", time="t", interruption=30, errors="ar1", by="la"), repeat=3)
    one = p.loc[p["la"] == "LA000"]
    r = ri.its(one, outcome="days", time="t", interruption=30, errors="ar1")
    out["placebo dates, one LA (AR(1) REML)"] = best(r.placebo, repeat=5)
    rscript = shutil.which("Rscript")
    peer = Path(__file__).with_name("its_peer.R")
    if rscript and peer.exists():
        res = subprocess.run([rscript, str(peer)], capture_output=True, text=True, cwd=peer.parent.parent)
        for line in res.stdout.splitlines():
            name, _, secs = line.strip().partition("\t")
            out[name] = float(secs)
    width = max(map(len, out))
    for name, secs in out.items():
        unit = f"{secs * 1e6:9.1f} µs" if secs < 1e-3 else f"{secs * 1e3:9.2f} ms"
        print(f"{name:<{width}}  {unit}")


if __name__ == "__main__":
    main()
