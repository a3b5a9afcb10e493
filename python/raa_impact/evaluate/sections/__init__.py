"""The report's sections, in report order. Each module has ``KEY``, ``TITLE``, optional
``DEFAULTS`` (its config table) and ``build(ctx, section)``."""
from . import (costs, data, heterogeneity, its, multiple_baseline, provenance, psm, sensitivity,
               timeliness)

SECTIONS = (data, timeliness, psm, its, multiple_baseline, heterogeneity, sensitivity, costs, provenance)

__all__ = ["SECTIONS"]
