"""Two-way fixed effects as a diagnostic, and the imputation estimator.

With staggered go-lives the two-way fixed effects (TWFE) coefficient averages every 2×2
comparison of the panel, including "forbidden" ones that use already-treated units as controls;
the Goodman-Bacon decomposition shows those comparisons and their weights, which is why TWFE
misleads when effects change over time. The imputation estimator of Borusyak, Jaravel and
Spiess (2024) avoids them: unit and period effects are fitted on untreated observations only and
each treated observation's effect is its outcome minus the imputed untreated outcome.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import numpy as np
import pandas as pd

from . import _core
from ._columns import dense_codes, float_column, whole_column
from ._errors import ArgumentError

__all__ = ["twfe", "did_imputation", "TwfeResult", "ImputationResult"]


def _columns(data: pd.DataFrame, outcome: str, unit: str, time: str, treated: str,
             cluster: Optional[str]) -> Dict[str, Any]:
    labels, codes = dense_codes(data, unit, "unit", np.uint64)
    cols = {
        "unit": codes,
        "time": whole_column(data, time, "time"),
        "treated": float_column(data, treated, "treated"),
        "y": float_column(data, outcome, "outcome"),
        "cluster": None if cluster is None else dense_codes(data, cluster, "cluster", np.uint64)[1],
    }
    return {"cols": cols, "labels": labels}


def _fit(data: pd.DataFrame, outcome: str, unit: str, time: str, treated: str, cluster: Optional[str],
         which: List[str]) -> Dict[str, Any]:
    c = _columns(data, outcome, unit, time, treated, cluster)
    cols = c["cols"]
    raw = json.loads(_core.twfe_fit(cols["unit"], cols["time"], cols["treated"], cols["y"], cols["cluster"], which))
    raw["labels"] = c["labels"]
    return raw


def twfe(data: pd.DataFrame, outcome: str, unit: str, time: str, treated: str,
         cluster: Optional[str] = None) -> "TwfeResult":
    """Two-way fixed effects ``y ~ unit + period + treated`` on a balanced panel, with its
    Goodman-Bacon decomposition.

    `treated` is 0/1 and never switches off within a unit; the SE is clustered on `cluster`
    (default: the unit), with Stata's/``fixest``'s small-sample factor.

    Examples
    --------
    >>> import raa_impact as ri
    >>> d = ri.datasets.mpdta()
    >>> d["treated"] = ((d["first_treat"] > 0) & (d["year"] >= d["first_treat"])).astype(int)
    >>> r = ri.twfe(d, outcome="lemp", unit="countyreal", time="year", treated="treated")
    >>> round(r.coefficient, 5), round(float(r.bacon()["weight"].sum()), 12)
    (-0.03655, 1.0)
    """
    return TwfeResult(_fit(data, outcome, unit, time, treated, cluster, ["twfe", "bacon"]))


def did_imputation(data: pd.DataFrame, outcome: str, unit: str, time: str, treated: str,
                   cluster: Optional[str] = None) -> "ImputationResult":
    """The imputation estimator (Borusyak, Jaravel and Spiess): the ATT over treated observations
    and by event time, with BJS's conservative clustered standard errors (as R ``didimputation``).

    Examples
    --------
    >>> import raa_impact as ri
    >>> d = ri.datasets.mpdta()
    >>> d["treated"] = ((d["first_treat"] > 0) & (d["year"] >= d["first_treat"])).astype(int)
    >>> r = ri.did_imputation(d, outcome="lemp", unit="countyreal", time="year", treated="treated")
    >>> round(r.overall["estimate"], 5)
    -0.04771
    """
    return ImputationResult(_fit(data, outcome, unit, time, treated, cluster, ["imputation"]))


class TwfeResult:
    """A TWFE coefficient and its Goodman-Bacon decomposition."""

    def __init__(self, raw: Dict[str, Any]):
        self._raw = raw
        t = raw["twfe"]
        self.coefficient: float = t["coefficient"]
        self.se: float = t["std_error"]
        self.n_clusters: int = t["n_clusters"]
        self.n_obs: int = t["n_obs"]

    def bacon(self) -> pd.DataFrame:
        """Every 2×2 comparison: kind, treated cohort, control cohort, estimate, weight."""
        return pd.DataFrame(self._raw["bacon"]["comparisons"])

    def bacon_by_kind(self) -> pd.DataFrame:
        """Total weight and weighted mean estimate per kind of comparison."""
        return pd.DataFrame(self._raw["bacon"]["by_kind"])

    def summary(self) -> str:
        """The coefficient, then the decomposition by kind (forbidden comparisons flagged)."""
        lines = [f"Two-way fixed effects: {self.coefficient:.6g} (SE {self.se:.6g}, {self.n_clusters} clusters, "
                 f"{self.n_obs} observations)", "Goodman-Bacon decomposition:"]
        for _, r in self.bacon_by_kind().iterrows():
            flag = "  <- already-treated controls" if r["kind"] in ("LaterVsEarlierTreated", "LaterVsAlwaysTreated") else ""
            lines.append(f"  {r['kind']:<24} weight {r['weight']:.3f}  estimate {r['estimate']:.6g}{flag}")
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """The Goodman-Bacon plot: each 2×2 estimate against its weight, by kind."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4))
        b = self.bacon()
        for i, (kind, g) in enumerate(b.groupby("kind")):
            ax.scatter(g["weight"], g["estimate"], s=18, color=f"C{i}", label=kind)
        ax.axhline(self.coefficient, color="0.3", lw=0.8, ls="--", label=f"TWFE {self.coefficient:.3g}")
        ax.set_xlabel("weight")
        ax.set_ylabel("2×2 estimate")
        ax.legend(frameon=False, fontsize=7)
        return ax


class ImputationResult:
    """The imputation estimator's overall and event-time effects."""

    def __init__(self, raw: Dict[str, Any]):
        self._raw = raw
        imp = raw["imputation"]
        self.overall: Dict[str, Any] = imp["overall"]
        self.n_not_imputable: int = imp["n_not_imputable"]
        self.n_clusters: int = imp["n_clusters"]
        self.variance: str = imp["variance"]

    def by_event_time(self) -> pd.DataFrame:
        """Event time, estimate, std_error, n_obs."""
        return pd.DataFrame(self._raw["imputation"]["by_event_time"])

    def effects(self) -> pd.DataFrame:
        """Each treated observation's imputed effect (unit label, time, effect)."""
        e = pd.DataFrame(self._raw["imputation"]["effects"])
        if len(e):
            e["unit"] = self._raw["labels"][e["unit"].to_numpy(dtype=np.int64)]
        return e

    def summary(self) -> str:
        o = self.overall
        return (f"Imputation estimator (Borusyak, Jaravel and Spiess): ATT {o['estimate']:.6g} "
                f"(SE {o['std_error']:.6g}) over {o['n_obs']} treated observations, {self.n_clusters} clusters; "
                f"{self.n_not_imputable} not imputable\n  variance: {self.variance}")

    def plot(self, ax: Any = None) -> Any:
        """Event-time effects with 95% pointwise intervals."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3.5))
        e = self.by_event_time()
        ax.errorbar(e["event_time"], e["estimate"], yerr=1.96 * e["std_error"], fmt="o", ms=4, capsize=2)
        ax.axhline(0, color="0.6", lw=0.7)
        ax.set_xlabel("event time")
        ax.set_ylabel("ATT")
        return ax
