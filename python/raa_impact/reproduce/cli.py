"""``raa-impact reproduce [--check]`` on the command line."""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

import pandas as pd

from .._errors import ArgumentError
from .references import DEFAULT_SEED
from .runner import reproduce, write_references


def add_parser(subparsers: "argparse._SubParsersAction") -> argparse.ArgumentParser:
    """Add ``reproduce`` to the ``raa-impact`` subcommands (``parser.add_subparsers()``); returns
    its parser, whose ``func`` default is :func:`run`.

    >>> import argparse
    >>> from raa_impact.reproduce import add_parser
    >>> p = argparse.ArgumentParser(prog="raa-impact")
    >>> _ = add_parser(p.add_subparsers(dest="command"))
    >>> args = p.parse_args(["reproduce", "--check", "--no-recovery"])
    >>> args.check, args.recovery, args.func.__name__
    (True, False, 'run')
    """
    r = subparsers.add_parser(
        "reproduce", help="re-run the reference figures and the synthetic England recovery study",
        description="Re-run every figure of the reference results (ORACLES.md: MatchIt/Matching, Sicily ITS, "
                    "R did on mpdta, published RAA figures) and the synthetic England recovery study, and "
                    "print each beside its reference and tolerance.")
    r.add_argument("--check", action="store_true", help="exit 1 when any figure drifts beyond its tolerance")
    r.add_argument("--no-recovery", dest="recovery", action="store_false", help="skip the recovery study")
    r.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"seed of synthetic England (default {DEFAULT_SEED}; pins hold for it only)")
    r.add_argument("--references", help="reference JSON file (default: the packaged oracles.json)")
    r.add_argument("--out", help="write every figure to this .csv or .json file")
    r.add_argument("--write-references", metavar="FILE",
                   help="write a copy of the references with the recovery pins taken from this run")
    r.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress bar")
    r.set_defaults(func=run)
    return r


def run(args: argparse.Namespace) -> int:
    """Run ``raa-impact reproduce``: print the table (and write ``--out``); return 1 with
    ``--check`` when any figure is beyond its tolerance, naming them on standard error, else 0.

    >>> import argparse, contextlib, io
    >>> from raa_impact.reproduce import add_parser, run
    >>> p = argparse.ArgumentParser(prog="raa-impact")
    >>> _ = add_parser(p.add_subparsers(dest="command"))
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     rc = run(p.parse_args(["reproduce", "--check", "--no-recovery", "--quiet"]))
    >>> rc
    0
    """
    out = getattr(args, "out", None)
    if out and not str(out).lower().endswith((".csv", ".json")):
        raise ArgumentError(f"invalid argument `--out`: {out!r}, expected a .csv or .json file name")
    result = reproduce(recovery=getattr(args, "recovery", True),
                       seed=getattr(args, "seed", DEFAULT_SEED), progress=not getattr(args, "quiet", False),
                       references=getattr(args, "references", None))
    with pd.option_context("display.width", 250, "display.max_colwidth", 80):
        print(result.summary())
    if out:
        frame = result.to_frame()
        if str(out).lower().endswith(".csv"):
            frame.to_csv(out, index=False)
        else:
            frame.to_json(out, orient="records", indent=1, force_ascii=False)
        print(f"{len(frame)} figures written to {out}")
    if getattr(args, "write_references", None):
        write_references(result, args.write_references, getattr(args, "references", None))
        print(f"references with this run's recovery pins written to {args.write_references}")
    failed = result.failures()
    if getattr(args, "check", False) and len(failed):
        print(f"reproduce --check: {len(failed)} figure(s) beyond tolerance: " + ", ".join(failed["id"]),
              file=sys.stderr)
        return 1
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m raa_impact.reproduce [--check] ...`` (the same as ``raa-impact reproduce``)."""
    p = argparse.ArgumentParser(prog="raa-impact")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    add_parser(p.add_subparsers(dest="command", required=True))
    return run(p.parse_args(["reproduce", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
