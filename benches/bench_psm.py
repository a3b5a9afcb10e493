"""Time propensity score matching through the Python front, on the issue's workload.

    .venv/bin/python benches/bench_psm.py [--treated 1000000] [--controls 10000000] [--repeat 3]
                                          [--logit-rows 11000000] [--write-csv DIR] [--fresh]

Workload: N treated and M controls with a supplied score (logit scores drawn from two normals),
1:1 nearest neighbour without replacement, caliper 0.2 SD (pooled) of the logit, largest first,
called with NumPy arrays, returning the match arrays and the balance of the score; then the same
with replacement; then a logistic score model on `--logit-rows` rows × 10 covariates (0 skips it).
Prints the best of `--repeat` runs (wall and CPU time) and the peak resident memory of the calls
over the resident memory just before them (Linux: the peak is reset through /proc/self/clear_refs
and each run's result is dropped before the next, so only one match is alive at a time), against
the size of the input arrays. With `--fresh` each matching mode runs in its own process: in one
process the second mode starts with the pages the allocator kept from the first, which makes its
peak over "before" look smaller than a fresh caller's.
`--write-csv DIR` also writes the data for `benches/matchit_peer.R` (the MatchIt side by side).
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

import raa_impact as ri


def best(label, fn, repeat):
    times, cpus, out = [], [], None
    for _ in range(repeat):
        out = None  # the previous result is freed first: one match alive at a time
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    print(f"{label:<58} best {min(times):7.3f} s   (runs: {', '.join(f'{t:.3f}' for t in times)}; "
          f"CPU {', '.join(f'{c:.2f}' for c in cpus)} s)", flush=True)
    return out


def _status(field: str) -> float:
    """A /proc/self/status field in MiB (Linux); the peak from getrusage elsewhere."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> float:
    """Reset the peak resident memory to the current one (Linux); returns the current RSS in MiB."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    return _status("VmRSS")


def peak_mib() -> float:
    return _status("VmHWM")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--treated", type=int, default=1_000_000)
    ap.add_argument("--controls", type=int, default=10_000_000)
    ap.add_argument("--logit-rows", type=int, default=11_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--write-csv", default=None)
    ap.add_argument("--fresh", action="store_true",
                    help="run each matching mode in a fresh process (an honest peak for each)")
    ap.add_argument("--mode", choices=["no_replace", "replace"], default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.mode is None:
        print(f"raa-impact {ri.__version__}, {os.cpu_count()} CPUs")
    rng = np.random.default_rng(0)
    n1, n0 = args.treated, args.controls
    logit = np.concatenate([rng.normal(0.5, 1.0, n1), rng.normal(-0.5, 1.0, n0)])
    score = 1.0 / (1.0 + np.exp(-logit))
    treated = np.concatenate([np.ones(n1, bool), np.zeros(n0, bool)])
    del logit
    input_mib = (score.nbytes + treated.nbytes) / 2**20
    if args.write_csv:
        pd.DataFrame({"treat": treated.astype(int), "ps": score}).to_csv(os.path.join(args.write_csv, "psm_workload.csv"), index=False)
    base = reset_peak()
    print(f"{n1:,} treated x {n0:,} controls; input arrays {input_mib:.0f} MiB; RSS before matching {base:.0f} MiB")
    modes = [("1:1 without replacement, caliper 0.2 SD logit, largest first", False),
             ("1:1 with replacement, caliper 0.2 SD logit", True)]
    if args.mode is not None:
        modes = [modes[args.mode == "replace"]]
    elif args.fresh:
        # Each mode in its own process: a mode run after another would start with the pages the
        # allocator kept from the first, and its peak over "before" would look smaller than it is.
        for mode in ("no_replace", "replace"):
            cmd = [sys.executable, __file__, "--treated", str(n1), "--controls", str(n0),
                   "--repeat", str(args.repeat), "--logit-rows", "0", "--mode", mode]
            subprocess.run(cmd, check=True)
        modes = []
    for label, replace in modes:
        base = reset_peak()
        m = best(label, lambda: ri.match_arrays(treated, score, caliper=0.2, replace=replace), args.repeat)
        _ = m.balance().loc["distance"]
        extra = peak_mib() - base
        print(f"  matched {m.n_matched:,}; peak RSS {peak_mib():.0f} MiB: +{extra:.0f} MiB over the "
              f"{base:.0f} MiB before ({extra / input_mib:.1f}x the input arrays)", flush=True)
        del m
    del score, treated
    n = args.logit_rows
    if n == 0:
        return
    x = rng.normal(size=(n, 10))
    eta = x @ np.linspace(-0.5, 0.5, 10) - 1.0
    t = rng.random(n) < 1.0 / (1.0 + np.exp(-eta))
    df = pd.DataFrame(x, columns=[f"x{j}" for j in range(10)]).assign(t=t.astype(np.int8))
    cols = [f"x{j}" for j in range(10)]
    best(f"logistic score model, {n:,} rows x 10 covariates (+ matching)",
         lambda: ri.match(df, "t", cols, caliper=0.2), 1)


if __name__ == "__main__":
    main()
