"""Time the staggered-adoption estimators through the Python front (issue 6 speed goals).

    .venv/bin/python benches/bench_staggered.py [--units 100000] [--periods 10] [--repeat 3]

- Callaway–Sant'Anna on `units` × `periods` rows (cohorts at periods 4..9 and never treated),
  analytic, then with 999 multiplier-bootstrap draws;
- the multilevel segmented model, 150 LAs × 40 quarters, random intercept + level + slope, AR(1), REML;
- a randomisation test with 10^4 Monte Carlo assignments of go-live quarters (Koehler–Levin, ±2
  quarters) and the CS simple ATT as the statistic, on 150 LAs × 40 quarters.
Prints the best of `--repeat` runs (one run for the randomisation test).
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

import raa_impact as ri


def best(label, fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    print(f"{label:<70} best {min(times):8.3f} s   (runs: {', '.join(f'{t:.3f}' for t in times)})", flush=True)


def cs_panel(units, periods, rng):
    g = rng.choice([0, 4, 5, 6, 7, 8, 9], size=units)
    unit = np.repeat(np.arange(units), periods)
    t = np.tile(np.arange(1, periods + 1), units)
    gg = np.repeat(g, periods)
    y = np.repeat(rng.normal(size=units), periods) + 0.1 * t + np.where((gg > 0) & (t >= gg), -0.5, 0.0) \
        + rng.normal(size=units * periods)
    return pd.DataFrame({"id": unit, "t": t, "g": gg, "y": y})


def la_panel(rng, las=150, quarters=40):
    rows = []
    go = rng.integers(12, 30, size=las)
    for u in range(las):
        a, s = rng.normal(0, 5), rng.normal(0, 2)
        e = 0.0
        for q in range(quarters):
            e = 0.5 * e + rng.normal(0, 3)
            post = q >= go[u]
            rows.append((u, u // 5, q, go[u], 100 + a + 0.2 * q + (-4 + s) * post + e))
    return pd.DataFrame(rows, columns=["la", "raa", "q", "go", "y"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--periods", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--permutations", type=int, default=10_000)
    args = ap.parse_args()
    print(f"raa-impact {ri.__version__}, {os.cpu_count()} CPUs")
    rng = np.random.default_rng(0)
    d = cs_panel(args.units, args.periods, rng)
    best(f"att_gt, {len(d):,} rows, analytic", lambda: ri.att_gt(d), args.repeat)
    best("att_gt, same, 999 bootstrap draws", lambda: ri.att_gt(d, bootstrap=999, seed=1), args.repeat)
    best(f"att_gt, {len(d):,} rows, analytic, + simple and dynamic aggregation",
         lambda: [ri.att_gt(d).aggregate(k) for k in ("simple", "dynamic")], args.repeat)
    best("att_gt, same, 999 bootstrap draws, + simple and dynamic aggregation",
         lambda: [ri.att_gt(d, bootstrap=999, seed=1).aggregate(k) for k in ("simple", "dynamic")], args.repeat)
    p = la_panel(rng)
    best("multilevel_its, 150 LAs x 40 quarters, int+level+slope random, AR(1), REML",
         lambda: ri.multilevel_its(p, outcome="y", unit="la", time="q", interruption="go",
                                   random=["intercept", "step", "slope"]), args.repeat)
    best(f"randomization_test, CS simple ATT, {args.permutations:,} draws, 150 LAs x 40 quarters",
         lambda: ri.randomization_test(p, outcome="y", unit="la", time="q", start="go", scheme="koehler_levin",
                                       window=(2, 2), statistic="cs", max_enumerate=0,
                                       draws=args.permutations, seed=1), 1)


if __name__ == "__main__":
    main()
