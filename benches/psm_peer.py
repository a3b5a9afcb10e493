"""raa-impact and MatchIt side by side on the issue's PSM workload: time and pair-by-pair agreement.

    .venv/bin/python benches/psm_peer.py [--treated 1000000] [--controls 10000000] [--repeat 3]
                                         [--dir /tmp/psm_peer] [--rscript Rscript]

Draws the workload of `benches/bench_psm.py` (same seed: N treated and M controls with logit
scores from two normals), writes it as CSV, times `ri.match_arrays` (1:1 nearest on the logit of
the supplied score, caliper 0.2 SD of the logit over all units as MatchIt's `std.caliper`, largest
first; then with replacement), runs `benches/matchit_peer.R` on the same file and compares the
matched pairs row by row. Needs R with MatchIt; not part of the test suite. Both sides are timed
on the match call alone (MatchIt's reading of the CSV is not counted); ours runs on every core
and MatchIt on one, as each does by default.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import time

import numpy as np
import pandas as pd

import raa_impact as ri

HERE = os.path.dirname(os.path.abspath(__file__))


def workload(n1: int, n0: int):
    rng = np.random.default_rng(0)
    logit = np.concatenate([rng.normal(0.5, 1.0, n1), rng.normal(-0.5, 1.0, n0)])
    score = 1.0 / (1.0 + np.exp(-logit))
    treated = np.concatenate([np.ones(n1, bool), np.zeros(n0, bool)])
    return treated, score


def ours(treated, score, replace: bool, repeat: int):
    times, m = [], None
    for _ in range(repeat):
        m = None
        t0 = time.perf_counter()
        m = ri.match_arrays(treated, score, caliper=0.2, caliper_scale="sd", replace=replace)
        _ = m.balance()
        times.append(time.perf_counter() - t0)
    pairs = m.matches()[["focal", "match"]].to_numpy() + 1  # 1-based rows, as R's row names
    return min(times), times, m.n_matched, pairs


def agreement(pairs: np.ndarray, peer_csv: str) -> str:
    peer = pd.read_csv(peer_csv).to_numpy()
    a = pd.DataFrame(pairs, columns=["treated", "control"]).sort_values("treated").to_numpy()
    b = pd.DataFrame(peer, columns=["treated", "control"]).sort_values("treated").to_numpy()
    same_treated = np.array_equal(a[:, 0], b[:, 0])
    same_pairs = same_treated and np.array_equal(a, b)
    differ = 0 if same_pairs else len(set(map(tuple, a)) ^ set(map(tuple, b)))
    return (f"{len(a):,} pairs here, {len(b):,} in MatchIt; identical pairs: {same_pairs}"
            + ("" if same_pairs else f" ({differ:,} pairs in one match only)"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--treated", type=int, default=1_000_000)
    ap.add_argument("--controls", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/psm_peer")
    ap.add_argument("--rscript", default="Rscript")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    treated, score = workload(args.treated, args.controls)
    data = os.path.join(args.dir, "psm_workload.csv")
    pd.DataFrame({"treat": treated.astype(int), "ps": score}).to_csv(data, index=False)
    print(f"raa-impact {ri.__version__}, {os.cpu_count()} CPUs; {args.treated:,} treated x {args.controls:,} controls")
    results = {}
    for replace in (False, True):
        t, runs, n, pairs = ours(treated, score, replace, args.repeat)
        results[replace] = (t, pairs)
        print(f"raa-impact, {'with' if replace else 'without'} replacement: {n:,} treated matched, best {t:.3f} s "
              f"(runs {', '.join(f'{r:.3f}' for r in runs)})", flush=True)
    prefix = os.path.join(args.dir, "matchit")
    out = subprocess.run([args.rscript, os.path.join(HERE, "matchit_peer.R"), data, prefix],
                         check=True, capture_output=True, text=True).stdout
    print(out, end="")
    for replace, word in ((False, "without"), (True, "with")):
        peer = float(re.search(rf"{word} replacement: \d+ treated matched in ([0-9.]+) s", out).group(1))
        t, pairs = results[replace]
        print(f"{word} replacement: MatchIt {peer:.2f} s / raa-impact {t:.3f} s = {peer / t:.1f}x; "
              + agreement(pairs, f"{prefix}_{word}.csv"))


if __name__ == "__main__":
    main()
