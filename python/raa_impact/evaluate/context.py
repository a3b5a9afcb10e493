"""What every section of the evaluation shares: the data, the options, and results computed once.

Sections read the returns, the registry and the journeys from here, and ask for designs and
panels through the cached helpers, so that the PSM design or the LA × quarter panel is derived
once however many sections use it. A section leaves what later sections need (the headline
effect for the costs, say) in :attr:`Context.results` under its own key.
"""
from __future__ import annotations

import hashlib
import os
from typing import Any, Dict, List, Optional, Tuple

import pandas as pd

from .config import Config


class Context:
    """The evaluation's inputs and shared, lazily computed tables.

    Attributes
    ----------
    config : Config
        Every option (defaults plus the config file).
    returns : raa_impact.SSDA903
    registry : raa_impact.Registry
    synthetic : raa_impact.synthetic.SyntheticEngland or None
        Set when the evaluation runs on synthetic England: the truth is then known.
    inputs : list of str
        Files read (returns, registry, config), for the provenance checksums.
    results : dict
        Section key → whatever that section shares with later ones.
    """

    def __init__(self, config: Config, returns: Any, registry: Any, synthetic: Any = None,
                 inputs: Optional[List[str]] = None) -> None:
        self.config = config
        self.returns = returns
        self.registry = registry
        self.synthetic = synthetic
        self.inputs = list(inputs or [])
        self.results: Dict[str, Any] = {}
        self._cache: Dict[Tuple[Any, ...], Any] = {}

    @property
    def is_synthetic(self) -> bool:
        return self.synthetic is not None

    @property
    def seed(self) -> int:
        return int(self.config["report"]["seed"])

    @property
    def milestone(self) -> str:
        return str(self.config["data"]["milestone"])

    @property
    def bed_in_days(self) -> int:
        return int(self.config["data"]["bed_in_days"])

    @property
    def cut_date(self) -> Optional[str]:
        cut = self.config["data"]["cut_date"]
        return cut or None

    @property
    def disclosure(self) -> bool:
        """Whether LA-level counts are suppressed and rounded (``auto``: for real returns only)."""
        enabled = self.config["disclosure"]["enabled"]
        if isinstance(enabled, bool):
            return enabled
        return not self.is_synthetic

    def cached(self, key: Tuple[Any, ...], build: Any) -> Any:
        """``build()`` once per ``key``; later calls return the same object."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    @property
    def problems(self) -> pd.DataFrame:
        """Every validation problem (``returns.validate(registry)``)."""
        return self.cached(("problems",), lambda: self.returns.validate(self.registry))

    @property
    def journeys(self) -> pd.DataFrame:
        """The journeys at the data cut (``df.attrs["left_out"]`` holds the records left out)."""
        from ..journeys import journeys

        return self.cached(("journeys",), lambda: journeys(self.returns, self.cut_date))

    @property
    def journeys_core(self) -> Any:
        """The journeys as the core's columns, converted once for the many scorecard calls."""
        from ..journeys import to_core

        return self.cached(("journeys_core",), lambda: to_core(self.journeys))

    def design(self, outcome: str = "po_to_placed", milestone: Optional[str] = None,
               bed_in_days: Optional[int] = None) -> pd.DataFrame:
        """The child-level matching design (``ri.child_design``), cached per option set."""
        from ..designs import child_design

        m = milestone or self.milestone
        b = self.bed_in_days if bed_in_days is None else int(bed_in_days)
        return self.cached(("design", outcome, m, b),
                           lambda: child_design(self.journeys, self.registry, outcome, m, b))

    def panel(self, freq: str = "quarter", unit: str = "la", milestone: Optional[str] = None,
              bed_in_days: Optional[int] = None) -> pd.DataFrame:
        """The LA (or RAA) × period panel (``ri.la_panel``), cached per option set."""
        from ..indicators import la_panel

        m = milestone or self.milestone
        b = self.bed_in_days if bed_in_days is None else int(bed_in_days)
        return self.cached(("panel", freq, unit, m, b),
                           lambda: la_panel(self.journeys, self.registry, freq, unit, m, b))

    def checksums(self) -> pd.DataFrame:
        """SHA-256 of every input file (returns, registry, config)."""
        rows = []
        for path in self.inputs:
            if os.path.isfile(path):
                rows.append({"file": path, "bytes": os.path.getsize(path), "sha256": _sha256(path)})
        return pd.DataFrame(rows, columns=["file", "bytes", "sha256"])


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


__all__ = ["Context"]
