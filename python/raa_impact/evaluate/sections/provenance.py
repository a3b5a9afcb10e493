"""Report section: what produced this report, so that a reader can reproduce it.

Library version, platform, every option in force (defaults included), seeds, the synthetic
generator's configuration or the checksum of every input file, and whether disclosure control
was applied.
"""
from __future__ import annotations

import datetime as _dt
import platform
import sys

import pandas as pd

from ..config import to_toml

KEY = "provenance"
TITLE = "Provenance"
DEFAULTS: dict = {}


def build(ctx, section) -> None:
    from ... import __version__

    section.number("version", __version__)
    section.number("seed", ctx.seed)
    section.number("run_at_utc", _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"))
    section.number("disclosure_control", bool(ctx.disclosure))
    section.text(f"raa-impact {__version__}; Python {platform.python_version()} on {platform.platform()}; "
                 f"run {section.numbers['run_at_utc']} UTC. Random steps are seeded from {ctx.seed}.")
    d = ctx.config["disclosure"]
    section.text(("Disclosure control is ON: LA-level counts from 1 to "
                  f"{int(d['threshold']) - 1} are shown as 'c' and other counts rounded to a multiple of {d['rounding']}."
                  if ctx.disclosure else "Disclosure control is off (synthetic data, or switched off in the config)."))
    if ctx.is_synthetic:
        gen = pd.DataFrame(sorted(ctx.synthetic.config.items()), columns=["generator option", "value"])
        gen["value"] = gen["value"].astype(str)
        section.table("generator", gen, "Synthetic England: the generator's configuration (the truth is known)")
    sums = ctx.checksums()
    if len(sums):
        section.table("inputs", sums, "Input files with their SHA-256 checksums")
        section.number("inputs", int(len(sums)))
    options = [{"table": t, "key": k, "value": _text(v)} for t, kv in sorted(ctx.config.values.items()) for k, v in kv.items()]
    section.table("config", pd.DataFrame(options), "Every option in force (defaults included)"
                  + (f"; read from {ctx.config.source}" if ctx.config.source else ""))
    section.number("config_toml", to_toml(ctx.config.values))
    section.number("python", sys.version.split()[0])


def _text(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
