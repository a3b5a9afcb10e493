"""Design matrices for the matching front door: a formula or a list of columns in, numeric columns out.

Formulas are parsed by `formulaic` (a maintained implementation of Wilkinson formulas), so that
``"treat ~ age + I(age**2) + C(race)"`` means what it means in R and statsmodels. Categorical columns are
dummy-coded as R does: levels sorted, the first level as reference. The balance table shows every level
of a categorical covariate (MatchIt's convention), so its columns are built separately.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from ._errors import ArgumentError

Named = List[Tuple[str, np.ndarray]]


@dataclass
class Design:
    """Numeric inputs of a match, aligned with the rows kept."""

    treatment: str
    treated: np.ndarray
    model: Named
    balance: Named
    rows: np.ndarray  # positions (into the caller's frame) of the rows kept
    dropped: int = 0
    variables: List[str] = field(default_factory=list)


def _is_categorical(s: pd.Series) -> bool:
    return bool(
        isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object or pd.api.types.is_string_dtype(s.dtype)
    )


def _levels(s: pd.Series) -> list:
    if isinstance(s.dtype, pd.CategoricalDtype):
        return [lv for lv in s.cat.categories if (s == lv).any()]
    return sorted(s.dropna().unique().tolist(), key=str)


def _dummies(name: str, s: pd.Series, drop_first: bool) -> Named:
    levels = _levels(s)
    if drop_first:
        levels = levels[1:]
    return [(f"{name}{lv}", (s == lv).to_numpy(dtype=np.float64)) for lv in levels]


def _r_habits(formula: str) -> str:
    # R users write I(x^2); in Python `^` is xor, so translate powers inside I(...).
    return re.sub(r"I\(([^()]*)\)", lambda m: "I(" + m.group(1).replace("^", "**") + ")", formula)


def _treated(data: pd.DataFrame, treatment: str) -> np.ndarray:
    if treatment not in data.columns:
        raise ArgumentError(f"invalid argument `treatment`: no column named {treatment!r}")
    t = data[treatment]
    if t.isna().any():
        row = int(np.flatnonzero(t.isna().to_numpy())[0])
        raise ArgumentError(f"invalid argument `treatment`: column {treatment!r} is missing at row {row}")
    values = set(pd.unique(t.astype("float64") if t.dtype != bool else t))
    if not values <= {0, 1, True, False}:
        bad = sorted(values - {0, 1}, key=str)[:3]
        raise ArgumentError(
            f"invalid argument `treatment`: column {treatment!r} must be binary (0/1 or bool), found {bad}"
        )
    return t.to_numpy().astype(bool)


def _missing(data: pd.DataFrame, variables: Sequence[str], missing: str) -> np.ndarray:
    """Positions of the rows to keep."""
    na = data[list(variables)].isna()
    if not na.to_numpy().any():
        return np.arange(len(data))
    if missing == "drop":
        return np.flatnonzero(~na.any(axis=1).to_numpy())
    cols = [f"{c!r} ({int(na[c].sum())} rows)" for c in variables if na[c].any()]
    raise ArgumentError(
        "invalid argument `covariates`: missing values in " + ", ".join(cols)
        + '; pass missing="drop" to drop those rows (their number is reported) or impute them'
    )


def _formula_variables(rhs: str, data: pd.DataFrame) -> List[str]:
    tokens = set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", rhs))
    return [c for c in data.columns if c in tokens]


def build(
    data: pd.DataFrame,
    treatment: Optional[str],
    covariates: Union[str, Sequence[str], None],
    missing: str = "error",
) -> Design:
    """Build the design from a formula (``"treat ~ a + b"``) or a treatment and a list of columns."""
    if missing not in ("error", "drop"):
        raise ArgumentError(f'invalid argument `missing`: {missing!r}, expected "error" or "drop"')
    if isinstance(covariates, str) and "~" in covariates:
        lhs, rhs = covariates.split("~", 1)
        treatment = treatment or lhs.strip()
        if lhs.strip() != treatment:
            raise ArgumentError(
                f"invalid argument `covariates`: the formula's left side {lhs.strip()!r} is not the treatment {treatment!r}"
            )
        variables = _formula_variables(rhs, data)
        formula_rhs = _r_habits(rhs)
    else:
        if treatment is None:
            raise ArgumentError("invalid argument `treatment`: give a treatment column or a formula")
        variables = [] if covariates is None else [covariates] if isinstance(covariates, str) else list(covariates)
        unknown = [c for c in variables if c not in data.columns]
        if unknown:
            raise ArgumentError(f"invalid argument `covariates`: no column named {unknown}")
        formula_rhs = None
    treated_all = _treated(data, treatment)
    rows = _missing(data, variables, missing)
    dropped = len(data) - len(rows)
    kept = data.iloc[rows] if dropped else data
    treated = treated_all[rows]
    if formula_rhs is None:
        model = _list_columns(kept, variables)
        balance = _list_columns(kept, variables, drop_first=False)
    else:
        model = _formula_columns(kept, formula_rhs)
        balance = _formula_balance(model, kept, variables)
    return Design(treatment, treated, model, balance, rows, dropped, variables)


def _list_columns(data: pd.DataFrame, variables: Sequence[str], drop_first: bool = True) -> Named:
    """Numeric columns as they are; categorical ones as dummies (without the reference level for
    the score model, with every level for the balance table)."""
    out: Named = []
    for c in variables:
        s = data[c]
        if _is_categorical(s):
            out.extend(_dummies(c, s, drop_first=drop_first))
        else:
            out.append((c, s.to_numpy(dtype=np.float64)))
    return out


def _formula_balance(model: Named, data: pd.DataFrame, variables: Sequence[str]) -> Named:
    """The model's columns, with each categorical variable's dummies replaced by all its levels."""
    out: Named = list(model)
    for v in variables:
        if not _is_categorical(data[v]):
            continue
        full = _dummies(v, data[v], drop_first=False)
        names = {n for n, _ in full}
        at = [i for i, (n, _) in enumerate(out) if n in names]
        if not at:
            continue
        out = [c for c in out if c[0] not in names]
        out[at[0]:at[0]] = full
    return out


def _formula_columns(data: pd.DataFrame, rhs: str) -> Named:
    try:
        from formulaic import model_matrix
    except ImportError as e:  # pragma: no cover - formulaic is a dependency
        raise ImportError("formulas need the `formulaic` package: pip install formulaic") from e
    mm = model_matrix(rhs.strip(), data, na_action="raise")
    out: Named = []
    for name in mm.columns:
        if name == "Intercept":
            continue
        # R-style names: race[T.hispan] -> racehispan, C(race)[T.x] -> racex.
        clean = re.sub(r"^C\((\w+)\)", r"\1", name)
        clean = re.sub(r"\[T\.(.*?)\]", r"\1", clean)
        out.append((clean, np.asarray(mm[name], dtype=np.float64)))
    return out


def integer_codes(data: pd.DataFrame, columns: Union[str, Sequence[str]], rows: np.ndarray) -> np.ndarray:
    """Exact-matching strata: one uint32 code per row for the combination of `columns`."""
    cols = [columns] if isinstance(columns, str) else list(columns)
    unknown = [c for c in cols if c not in data.columns]
    if unknown:
        raise ArgumentError(f"invalid argument `exact`: no column named {unknown}")
    sub = data.iloc[rows][cols]
    if sub.isna().any().any():
        bad = [c for c in cols if sub[c].isna().any()]
        raise ArgumentError(f"invalid argument `exact`: missing values in {bad}")
    codes = sub.astype(str).agg("\x1f".join, axis=1) if len(cols) > 1 else sub[cols[0]].astype(str)
    return pd.factorize(codes, sort=True)[0].astype(np.uint32)


def id_keys(data: pd.DataFrame, column: Optional[str], rows: np.ndarray) -> Optional[np.ndarray]:
    """Unit ids as uint64 keys preserving their order (numbers by value, strings by sort order)."""
    if column is None:
        return None
    if column not in data.columns:
        raise ArgumentError(f"invalid argument `id`: no column named {column!r}")
    s = data[column].iloc[rows]
    if s.isna().any():
        raise ArgumentError(f"invalid argument `id`: column {column!r} has missing values")
    if pd.api.types.is_integer_dtype(s.dtype) and (s >= 0).all():
        return s.to_numpy().astype(np.uint64)
    # Rank by sorted value: the same ids give the same keys whatever the row order.
    return pd.factorize(s, sort=True)[0].astype(np.uint64)


def named_arrays(named: Dict[str, np.ndarray]) -> Named:
    return [(k, np.ascontiguousarray(v, dtype=np.float64)) for k, v in named.items()]
