"""Speed of the whole evaluation, as `raa-impact evaluate` runs it on synthetic England.

Run:  source scripts/env.sh && python benches/bench_evaluate.py [--repeat 3] [--scale 1.0]
Prints, for each repeat, the wall time of the whole run (generate synthetic England, every
section, write the report with its tables and figures) and each section's time; then the best
and the median. The issue's goal: every section at national scale in ≤ 60 s on 2 cores.
Also times `reproduce` (the pinned references and the recovery study).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import matplotlib

matplotlib.use("Agg")

import raa_impact as ri  # noqa: E402
from raa_impact.evaluate import Config, defaults  # noqa: E402
from raa_impact.reproduce import reproduce  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--scale", type=float, default=1.0)
    args = p.parse_args()
    cfg = Config.from_mapping({"synthetic": {"scale": args.scale}}, defaults())
    totals = []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            ev = ri.evaluate(config=cfg, out=out, progress=False)
            totals.append(time.perf_counter() - t0)
        parts = ", ".join(f"{s.key} {s.seconds:.1f}" for s in ev.sections)
        print(f"run {i + 1}: {totals[-1]:.1f} s (sections: {parts}); not computed: {ev.failed() or 'none'}")
    print(f"evaluate, scale {args.scale}: best {min(totals):.1f} s, median {statistics.median(totals):.1f} s")
    t0 = time.perf_counter()
    r = reproduce(progress=False)
    print(f"reproduce (references + recovery): {time.perf_counter() - t0:.1f} s, ok={r.ok}")


if __name__ == "__main__":
    main()
