"""DataFrame columns as the contiguous numpy arrays the core reads: numbers, whole periods and
dense codes, each with an error that names the argument, the column and the row."""
from __future__ import annotations

from typing import Tuple

import numpy as np
import pandas as pd

from ._errors import ArgumentError


def float_column(data: pd.DataFrame, name: str, what: str) -> np.ndarray:
    """A numeric column as float64; missing values (NaN, pd.NA) stay NaN for the core to report."""
    if name not in data.columns:
        raise ArgumentError(f"invalid argument `{what}`: column {name!r} is not in the data")
    col = data[name]
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        raise ArgumentError(
            f"invalid argument `{what}`: column {name!r} holds dates; give whole periods (e.g. a month number)"
        )
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_extension_array_dtype(col.dtype):
        return np.ascontiguousarray(col.to_numpy(dtype=float))
    try:
        # Nullable dtypes (Float64, Int64) carry pd.NA: it becomes NaN, which the core reports by row.
        return np.ascontiguousarray(pd.to_numeric(col, errors="raise").to_numpy(dtype=float, na_value=np.nan))
    except (TypeError, ValueError) as e:
        raise ArgumentError(f"invalid argument `{what}`: column {name!r} is not numeric ({e})") from None


def whole_column(data: pd.DataFrame, name: str, what: str) -> np.ndarray:
    """A column of whole periods (years, quarter numbers) as int64."""
    v = float_column(data, name, what)
    bad = np.flatnonzero(~np.isfinite(v) | (v != np.round(v)))
    if len(bad):
        raise ArgumentError(f"invalid argument `{what}`: column {name!r} row {int(bad[0])} is {v[bad[0]]}, "
                            "expected a whole period")
    return np.ascontiguousarray(v.astype(np.int64))


def dense_codes(data: pd.DataFrame, name: str, what: str, dtype: type = np.int64) -> Tuple[np.ndarray, np.ndarray]:
    """The distinct labels of a column (sorted) and each row's index into them."""
    if name not in data.columns:
        raise ArgumentError(f"invalid argument `{what}`: column {name!r} is not in the data")
    labels, codes = np.unique(data[name].to_numpy(), return_inverse=True)
    return labels, np.ascontiguousarray(codes, dtype=dtype)
