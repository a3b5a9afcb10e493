"""The ``raa-impact`` command line: ``evaluate``, ``synth``, ``validate``, ``journeys`` and ``scorecard``.

Each subcommand has ``--help``. Long steps show a progress bar on standard error.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import contextmanager
from typing import Iterator, List, Optional

import pandas as pd

from ._errors import RaaImpactError
from .reproduce import add_parser as add_reproduce

INDICATORS = ("A1", "A2", "A3", "A10")


@contextmanager
def _step(bar, label: str) -> Iterator[None]:
    bar.set_description(label)
    t0 = time.perf_counter()
    yield
    if not bar.disable:
        bar.write(f"  {label}: {time.perf_counter() - t0:.2f} s")
    bar.update(1)


def _progress(total: int, quiet: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, file=sys.stderr, disable=quiet, leave=False, unit="step")


def _load(args, bar):
    """Returns and registry from a folder, or generated synthetic England."""
    import raa_impact as ri

    if getattr(args, "synthetic", False) or not getattr(args, "path", None):
        with _step(bar, "generate synthetic England"):
            syn = ri.synthetic.england(seed=args.seed, scale=args.scale)
        return syn.returns, syn.registry
    with _step(bar, f"read {args.path}"):
        returns = ri.read_ssda903(args.path, strict=getattr(args, "strict", False),
                                  la=getattr(args, "la", None), year=getattr(args, "year", None))
    registry = ri.load_registry(args.registry) if getattr(args, "registry", None) else ri.load_registry()
    return returns, registry


def cmd_synth(args) -> int:
    import raa_impact as ri

    bar = _progress(2, args.quiet)
    with _step(bar, "generate synthetic England"):
        syn = ri.synthetic.england(
            seed=args.seed, scale=args.scale, effect_po_to_placed_days=args.effect,
            effect_htp_po_to_placed_days=args.effect_htp, bed_in_days=args.bed_in_days,
        )
    with _step(bar, f"write returns to {args.out}"):
        syn.write(args.out)
        syn.truth.to_csv(f"{args.out}/truth_children.csv", index=False)
        syn.truth_las.to_csv(f"{args.out}/truth_las.csv", index=False)
    bar.close()
    print(syn)
    print(f"returns written under {args.out}/<la>/<year>/; truth in truth_children.csv and truth_las.csv")
    return 0


def cmd_validate(args) -> int:
    bar = _progress(2, args.quiet)
    returns, registry = _load(args, bar)
    with _step(bar, "validate"):
        problems = returns.validate(registry)
    bar.close()
    print(returns.summary())
    if problems.empty:
        print("no problems found")
        return 0
    table = problems.groupby(["severity", "table", "rule"]).size().rename("rows").reset_index()
    print(table.to_string(index=False))
    if args.out:
        problems.to_csv(args.out, index=False)
        print(f"{len(problems)} problems written to {args.out}")
    return 1 if args.fail_on_error and (problems.severity == "error").any() else 0


def cmd_journeys(args) -> int:
    import raa_impact as ri

    bar = _progress(2, args.quiet)
    returns, _ = _load(args, bar)
    with _step(bar, "derive journeys"):
        j, left_out = ri.journeys(returns, args.cut_date, with_left_out=True)
    bar.close()
    print(f"{len(j)} journeys (cut {j.attrs.get('cut_date')}); endings:")
    print(j.groupby("ending").size().rename("journeys").to_string())
    if not left_out.empty:
        print(f"records left out: {int(left_out.rows.sum())} rows of {left_out.child.nunique()} children")
        print(left_out.groupby(["table", "reason"]).rows.sum().to_string())
    if args.out:
        j.to_csv(args.out, index=False)
        print(f"journeys written to {args.out}")
    return 0


def _before_after(j: pd.DataFrame, registry, indicators: List[str], years: int, bed_in_days: int) -> pd.DataFrame:
    """Each RAA's indicators over the ``years`` before go-live and the ``years`` after go-live plus
    bed-in (children adopted in each window), one core call per indicator, side by side."""
    import raa_impact as ri

    out = None
    for ind in indicators:
        t = ri.scorecard_before_after(j, ind, registry=registry, years=years, bed_in_days=bed_in_days)
        t = t.rename(columns={"before": f"{ind}_before", "after": f"{ind}_after"})
        keep = ["raa", "go_live", f"{ind}_before", f"{ind}_after"]
        if out is None:
            out = t[keep[:2] + ["n_before", "n_after"] + keep[2:]]
        else:
            out = out.merge(t[keep], on=["raa", "go_live"], how="outer")
    assert out is not None
    out = out.sort_values(["go_live", "raa"]).reset_index(drop=True)
    out["go_live"] = out.go_live.dt.date
    return out


def cmd_scorecard(args) -> int:
    import raa_impact as ri

    indicators = [i.strip().upper() for i in args.indicator.split(",")]
    for ind in indicators:
        if ind not in INDICATORS:
            raise SystemExit(f"unknown indicator {ind!r}; choose from {', '.join(INDICATORS)}")
    bar = _progress(3, args.quiet)
    returns, registry = _load(args, bar)
    with _step(bar, "derive journeys"):
        j = ri.journeys(returns)
    with _step(bar, "scorecard"):
        if args.before_after:
            out = _before_after(j, registry, indicators, args.years, args.bed_in_days)
        else:
            by = None if args.by == "england" else args.by
            frames = [
                ri.scorecard(j, ind, period_end=args.period_end, years=args.years, by=by,
                             aggregation=args.aggregation, registry=registry)
                for ind in indicators
            ]
            out = pd.concat(frames, ignore_index=True)
    bar.close()
    with pd.option_context("display.width", 200, "display.max_rows", 500, "display.float_format", "{:.1f}".format):
        if args.before_after:
            print(f"Scorecard indicators by RAA, {args.years} years before go-live vs {args.years} years "
                  f"after go-live + {args.bed_in_days} days bed-in (children adopted in each window; "
                  "A1, A2, A10 in days, A3 a share)")
        print(out.to_string(index=False))
    if args.out:
        out.to_csv(args.out, index=False)
    return 0


def cmd_evaluate(args) -> int:
    import matplotlib

    matplotlib.use("Agg")  # the report embeds PNGs; no window is ever opened
    from .evaluate import evaluate

    ev = evaluate(returns=args.returns, registry=args.registry, config=args.config, out=args.out,
                  sections=args.sections.split(",") if args.sections else None, progress=not args.quiet)
    print(ev.summary())
    print(f"report: {os.path.join(args.out, 'report.html')} (tables, figures, numbers.json and config.toml beside it)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="raa-impact", description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    sub = p.add_subparsers(dest="command", required=True)

    def source(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("path", nargs="?", help="folder of SSDA903 CSV returns (default: synthetic England)")
        sp.add_argument("--synthetic", action="store_true", help="use generated synthetic England")
        sp.add_argument("--seed", type=int, default=0, help="seed for synthetic England (default 0)")
        sp.add_argument("--scale", type=float, default=1.0, help="size of synthetic England (1 = national)")
        sp.add_argument("--registry", help="folder of a registry (default: the bundled one)")
        sp.add_argument("--strict", action="store_true", help="stop at the first invalid record")
        sp.add_argument("--la", help="DfE LA code for files whose path and columns do not give it")
        sp.add_argument("--year", type=int, help="collection year for files whose path and columns do not give it")

    e = sub.add_parser("evaluate", help="run the whole evaluation and write its HTML report",
                       description="Run every design (timeliness, PSM, ITS, multiple baseline, heterogeneity, "
                                   "sensitivity, costs) and write a self-contained HTML report with every number "
                                   "as CSV/JSON beside it. With no --returns it runs on synthetic England.")
    e.add_argument("--returns", help="folder of SSDA903 CSV returns (default: synthetic England)")
    e.add_argument("--registry", help="folder of a registry (default: the bundled one)")
    e.add_argument("--config", help="TOML or YAML file of options (unknown keys are an error)")
    e.add_argument("--out", default="raa_report", help="output folder (default raa_report)")
    e.add_argument("--sections", help="comma-separated section keys to run (default: all)")
    e.set_defaults(func=cmd_evaluate)

    add_reproduce(sub)

    s = sub.add_parser("synth", help="generate synthetic England and write its returns")
    s.add_argument("--out", default="synthetic_england", help="output folder (default synthetic_england)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--scale", type=float, default=1.0)
    s.add_argument("--effect", type=float, default=-14.0, help="true effect on PO→placed days")
    s.add_argument("--effect-htp", type=float, default=-35.0, help="true effect for harder-to-place children")
    s.add_argument("--bed-in-days", type=int, default=183)
    s.set_defaults(func=cmd_synth)

    v = sub.add_parser("validate", help="validate returns and list problems by rule")
    source(v)
    v.add_argument("--out", help="write every problem to this CSV file")
    v.add_argument("--fail-on-error", action="store_true", help="exit 1 when any error is found")
    v.set_defaults(func=cmd_validate)

    j = sub.add_parser("journeys", help="derive adoption journeys")
    source(j)
    j.add_argument("--cut-date", help="data cut (default: 31 March of the last year)")
    j.add_argument("--out", help="write journeys to this CSV file")
    j.set_defaults(func=cmd_journeys)

    c = sub.add_parser("scorecard", help="scorecard indicators A1, A2, A3, A10")
    source(c)
    c.add_argument("--indicator", default="A1,A2,A3,A10", help="comma-separated (default all four)")
    c.add_argument("--period-end", default="2018-03-31", help="last day of the window (default 2018-03-31)")
    c.add_argument("--years", type=int, default=3, help="window length in years (default 3)")
    c.add_argument("--by", choices=("la", "raa", "england"), default="raa")
    c.add_argument("--aggregation", choices=("per_child", "mean_of_las"), default="per_child")
    c.add_argument("--before-after", action="store_true", help="each RAA before vs after its go-live")
    c.add_argument("--bed-in-days", type=int, default=183)
    c.add_argument("--out", help="write the table to this CSV file")
    c.set_defaults(func=cmd_scorecard)
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except RaaImpactError as exc:
        print(f"raa-impact: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
