"""Time the data layer through the Python front (the path a notebook user takes).

    .venv/bin/python benches/bench_data_layer.py [--scale 1.0] [--repeat 3]

Prints the best of ``--repeat`` runs for: generating synthetic England 2011–2024, writing it as CSV,
reading it back, validating, deriving journeys, and the scorecard / panel on the journeys.
Run it after ``scripts/test-all`` (which builds the release extension into ``.venv``).
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time

import raa_impact as ri


def best(label, fn, repeat):
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    print(f"{label:<48} best {min(times):7.3f} s   (runs: {', '.join(f'{t:.3f}' for t in times)})")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"raa-impact {ri.__version__}, {os.cpu_count()} CPUs, scale {args.scale}")
    syn = best("generate synthetic England 2011-2024", lambda: ri.synthetic.england(seed=0, scale=args.scale), args.repeat)
    print(f"  {len(syn.returns.episodes):,} episode rows, {len(syn.returns.files):,} files")
    with tempfile.TemporaryDirectory() as d:
        best("write returns as CSV", lambda: syn.write(d), 1)
        returns = best("read returns (parse + stack)", lambda: ri.read_ssda903(d), args.repeat)
        best("validate", lambda: returns.validate(), args.repeat)
        j = best("derive journeys (validation included)", lambda: ri.journeys(returns), args.repeat)
        print(f"  {len(j):,} journeys")
        best("read + validate + journeys", lambda: ri.journeys(ri.read_ssda903(d)), args.repeat)
    best("scorecard A1 by RAA", lambda: ri.scorecard(j, "A1", by="raa", registry=syn.registry), args.repeat)
    best("LA x quarter panel", lambda: ri.la_panel(j, syn.registry, freq="quarter"), args.repeat)


if __name__ == "__main__":
    main()
