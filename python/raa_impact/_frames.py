"""Turn the column bundles the Rust core returns into pandas DataFrames, and back.

The core hands over each column as ``(name, kind, values, mask)``: ``values`` is a numpy array
(zero-copy for numbers) or a list of strings; ``mask`` marks missing values where the kind allows
them. Dates travel as days since 1970-01-01 (numpy's ``datetime64[D]`` epoch) with missing dates as
the smallest int64, which numpy reads as ``NaT``.
"""
from __future__ import annotations

from typing import Any, Iterable, List, Sequence, Tuple

import numpy as np
import pandas as pd

NAT_DAYS = np.iinfo(np.int64).min

Column = Tuple[str, str, Any, Any]


def _series(kind: str, values: Any, mask: Any) -> Any:
    if kind == "date":
        return np.asarray(values, dtype=np.int64).view("datetime64[D]").astype("datetime64[ns]")
    if kind == "int":
        return np.asarray(values, dtype=np.int64)
    if kind == "opt_int":
        return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), np.asarray(mask, dtype=bool))
    if kind == "float":
        return np.asarray(values, dtype=np.float64)
    if kind == "opt_float":
        arr = np.asarray(values, dtype=np.float64).copy()
        arr[np.asarray(mask, dtype=bool)] = np.nan
        return arr
    if kind == "bool":
        return np.asarray(values, dtype=bool)
    if kind == "opt_bool":
        return pd.arrays.BooleanArray(np.asarray(values, dtype=bool), np.asarray(mask, dtype=bool))
    if kind in ("str", "opt_str"):
        return pd.array(values, dtype="object") if kind == "opt_str" else np.asarray(values, dtype=object)
    if kind == "category":
        return pd.Categorical(values)
    raise TypeError(f"unknown column kind {kind!r}")


def to_frame(columns: Sequence[Column]) -> pd.DataFrame:
    """Build a DataFrame from the core's column bundle, keeping the column order."""
    data = {name: _series(kind, values, mask) for name, kind, values, mask in columns}
    return pd.DataFrame(data, copy=False)


def date_days(series: Any, name: str) -> np.ndarray:
    """Dates (datetime64, strings or NaT) as int64 days since 1970-01-01, missing as int64 min."""
    s = pd.to_datetime(pd.Series(series), errors="raise")
    days = s.values.astype("datetime64[D]").astype(np.int64)
    days[s.isna().to_numpy()] = NAT_DAYS
    return days


def str_list(series: Any) -> List[Any]:
    """Strings as a list, missing values as None."""
    out: List[Any] = []
    for v in pd.Series(series, dtype=object).tolist():
        out.append(None if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA else str(v))
    return out


def bool_array(series: Any) -> np.ndarray:
    """Booleans (missing read as False) as a numpy bool array."""
    return pd.Series(series).fillna(False).astype(bool).to_numpy()


def opt_bool_list(series: Any) -> List[Any]:
    """Booleans with missing values as None."""
    return [None if pd.isna(v) else bool(v) for v in pd.Series(series, dtype=object).tolist()]


def require_columns(frame: pd.DataFrame, needed: Iterable[str], what: str) -> None:
    """Raise a DataError naming the missing columns of ``frame``."""
    from ._errors import DataError

    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise DataError(
            f"{what}: missing column(s) {', '.join(missing)}; found {', '.join(map(str, frame.columns))}"
        )
