"""Small public data sets for examples and parity checks against R's MatchIt and Matching.

>>> import raa_impact as ri
>>> ri.datasets.lalonde().shape
(614, 10)
>>> int(ri.datasets.nsw_dw()["t"].sum())
185
>>> ri.datasets.sicily().shape
(59, 7)
>>> ri.datasets.mpdta().shape
(2500, 6)
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

_DIR = Path(__file__).parent / "data"


def lalonde() -> pd.DataFrame:
    """MatchIt's ``lalonde``: 185 NSW treated and 429 PSID controls; ``race`` is categorical, earnings in $."""
    return pd.read_csv(_DIR / "lalonde.csv")


def nsw_dw() -> pd.DataFrame:
    """The NSW experimental sample of Dehejia and Wahba (445 rows, treatment ``t``, earnings in $1000)."""
    return pd.read_csv(_DIR / "nsw_dw.tsv", sep="\t")


def sicily() -> pd.DataFrame:
    """Monthly acute coronary events in Sicily and the 2005 smoking ban (59 months; Lopez Bernal et al. 2017).

    Columns: year, month, aces (count), time (1-59), smokban (0/1, from month 37), pop, stdpop.
    """
    return pd.read_csv(_DIR / "sicily.csv")


def mpdta() -> pd.DataFrame:
    """R ``did``'s ``mpdta``: 500 US counties × 2003–2007, log teen employment ``lemp``, first year
    of a minimum-wage rise ``first_treat`` (0 = never), ``countyreal`` the county (Callaway and
    Sant'Anna 2021). The column R calls ``first.treat`` is renamed ``first_treat``.
    """
    return pd.read_csv(_DIR / "mpdta.csv").rename(columns={"first.treat": "first_treat"})
