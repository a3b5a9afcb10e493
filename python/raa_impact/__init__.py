"""raa-impact: the effect of England's regional adoption agencies on adoption timeliness.

A Rust core with a thin Python front: SSDA903 returns in, adoption journeys, RAA exposure,
scorecard indicators and panels out, as pandas DataFrames.

>>> import raa_impact as ri
>>> syn = ri.synthetic.england(seed=0, scale=0.02)
>>> j = ri.journeys(syn.returns)
>>> a1 = ri.scorecard(j, "A1", period_end="2018-03-31", by=None)
"""
from . import datasets, synthetic
from .abadie_imbens import AbadieImbensResult, abadie_imbens
from .designs import child_design
from .evaluate import Evaluation, evaluate
from ._core import __version__
from ._errors import ArgumentError, DataError, InternalError, RaaImpactError, RegistryError
from .its import ItsBatch, ItsResult, its
from .indicators import controlled_series, exposure, la_panel, scorecard, scorecard_before_after
from .journeys import journeys
from .multilevel import MultilevelItsResult, multilevel_its
from .multiple_baseline import plot_multiple_baseline
from .randomization import RandomizationResult, randomization_test
from .twfe import ImputationResult, TwfeResult, did_imputation, twfe
from .psm import Effect, MatchResult, match, match_arrays
from .registry import Registry, load_registry
from .ssda903 import SSDA903, read_ssda903
from .staggered import AggregateResult, AttGtResult, att_gt

__all__ = [
    "__version__",
    "evaluate",
    "Evaluation",
    "read_ssda903",
    "SSDA903",
    "journeys",
    "load_registry",
    "Registry",
    "exposure",
    "scorecard",
    "scorecard_before_after",
    "la_panel",
    "controlled_series",
    "plot_multiple_baseline",
    "randomization_test",
    "RandomizationResult",
    "twfe",
    "did_imputation",
    "TwfeResult",
    "ImputationResult",
    "multilevel_its",
    "MultilevelItsResult",
    "att_gt",
    "AttGtResult",
    "AggregateResult",
    "synthetic",
    "datasets",
    "child_design",
    "match",
    "match_arrays",
    "abadie_imbens",
    "AbadieImbensResult",
    "MatchResult",
    "Effect",
    "its",
    "ItsResult",
    "ItsBatch",
    "RaaImpactError",
    "DataError",
    "RegistryError",
    "ArgumentError",
    "InternalError",
]
