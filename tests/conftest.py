"""Shared fixtures: small synthetic England (generated once per session) and helpers that write
hand-built SSDA903 returns."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

import raa_impact as ri

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def syn():
    """Synthetic England at 8% scale (fast, still every LA and every year)."""
    return ri.synthetic.england(seed=5, scale=0.08)


@pytest.fixture(scope="session")
def syn_journeys(syn):
    return ri.journeys(syn.returns)


COLUMNS = {
    "header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "episodes": ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                 "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"],
    "ad1": ["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"],
    "placed_for_adoption": ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
}


def write_return(root: Path, la: str, year: int, tables: dict, encoding: str = "utf-8") -> Path:
    """Write one LA-year return: ``tables`` maps a table stem to a list of row dicts."""
    folder = root / la / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    for stem, cols in COLUMNS.items():
        with open(folder / f"{stem}.csv", "w", newline="", encoding=encoding) as fh:
            w = csv.DictWriter(fh, fieldnames=cols)
            w.writeheader()
            for row in tables.get(stem, []):
                w.writerow({c: row.get(c, "") for c in cols})
    return folder
