"""The evaluation, end to end: every design on the same data, in one self-contained report.

>>> import raa_impact as ri
>>> ev = ri.evaluate(sections=["data"], progress=False)    # synthetic England by default
>>> ev.section("data").numbers["journeys"] > 0
True

See :func:`raa_impact.evaluate.run.evaluate` for the options, and ``raa-impact evaluate --help``.
"""
from .config import Config
from .run import Evaluation, defaults, evaluate, load_context
from .section import NotComputable, Section

__all__ = ["evaluate", "Evaluation", "Config", "defaults", "load_context", "Section", "NotComputable"]
