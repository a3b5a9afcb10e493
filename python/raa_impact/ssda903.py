"""Reading SSDA903 returns (the DfE's children-looked-after return) into an :class:`SSDA903` object."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Union

import pandas as pd

from . import _core

if TYPE_CHECKING:
    from .registry import Registry
from ._frames import to_frame

PathLike = Union[str, "os.PathLike[str]"]


class SSDA903:
    """Stacked SSDA903 returns of one or many LAs and collection years.

    Tables are exposed as DataFrames (``header``, ``episodes``, ``ad1``, ``placed_adoption``), each
    with the columns of the DfE specification plus ``la``, ``year``, ``file`` and ``row`` saying
    where the row came from. Build one with :func:`read_ssda903` or take ``.returns`` of
    :func:`raa_impact.synthetic.england`.

    Examples
    --------
    >>> import raa_impact as ri
    >>> returns = ri.synthetic.england(seed=1, scale=0.02).returns
    >>> returns.episodes.columns[:4].tolist()
    ['la', 'year', 'file', 'row']
    >>> len(returns.validate())
    0
    """

    def __init__(self, handle: "_core.Returns") -> None:
        self._handle = handle
        self._cache: Dict[str, pd.DataFrame] = {}

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            self._cache[name] = to_frame(self._handle.table(name))
        return self._cache[name]

    @property
    def header(self) -> pd.DataFrame:
        """The Header table (one row per child per return)."""
        return self._table("header")

    @property
    def episodes(self) -> pd.DataFrame:
        """The Episodes table (one row per episode of care; repeats across years removed)."""
        return self._table("episodes")

    @property
    def ad1(self) -> pd.DataFrame:
        """The AD1 table (adoption decision and match of children adopted)."""
        return self._table("ad1")

    @property
    def placed_adoption(self) -> pd.DataFrame:
        """The PlacedAdoption table (ADM decisions, reversals)."""
        return self._table("placed_adoption")

    @property
    def files(self) -> pd.DataFrame:
        """Every file read: path, table, LA, collection year, rows, encoding."""
        return to_frame(self._handle.files())

    @property
    def skipped_files(self) -> List[str]:
        """CSV files found but not read (tables the library does not use, e.g. ``uasc.csv``)."""
        return list(self._handle.skipped_files())

    @property
    def superseded(self) -> Dict[str, int]:
        """Rows dropped per table because a later year's return repeats them (see the docs)."""
        return dict(self._handle.superseded())

    def validate(self, registry: Optional["Registry"] = None) -> pd.DataFrame:
        """Every problem found, one row each.

        Columns: ``table, file, row, la, child, field, rule, value, message, severity``. Rows with
        an ``error`` are left out of journey derivation (with the child's other records), and
        :func:`raa_impact.journeys` reports them; ``warning`` rows are informative. With a
        ``registry`` (e.g. ``ri.load_registry()``), files whose LA code it does not know are
        flagged too (rule ``la_not_in_registry``).
        """
        handle = None if registry is None else registry._handle
        return to_frame(self._handle.validate(handle))

    def write(self, folder: PathLike) -> None:
        """Write the returns as CSV files under ``folder/<la>/<year>/<table>.csv``."""
        self._handle.write(os.fspath(folder))

    def summary(self) -> str:
        """A short text summary: files, rows per table, LAs, years and problems by severity."""
        return self._handle.summary()

    def __repr__(self) -> str:
        return self.summary()


def read_ssda903(
    path: Union[PathLike, Iterable[PathLike]],
    *,
    strict: bool = False,
    la: Optional[str] = None,
    year: Optional[int] = None,
    stack: bool = True,
) -> SSDA903:
    """Read SSDA903 returns from a folder tree or a list of CSV files.

    Parameters
    ----------
    path
        A folder (searched recursively for ``header``, ``episodes``, ``ad1`` and
        ``placed_for_adoption``/``PlacedAdoption`` CSV files, case-insensitive) or a list of files.
    strict
        Raise :class:`raa_impact.DataError` at the first error instead of collecting problems.
    la, year
        The DfE 3-digit LA code and collection year to use when neither an ``LA``/``YEAR`` column
        nor the path gives them. Path convention: a 3-digit folder or file-name token is the LA
        code, a 4-digit token (2000–2100, or ``2017-18``) the collection year (the year in which the
        April–March reporting year ends), e.g. ``returns/886/2018/episodes.csv``.
    stack
        Stack several years of returns and keep the latest version of each repeated record.

    Examples
    --------
    >>> import raa_impact as ri, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> ri.synthetic.england(seed=1, scale=0.02).write(folder)
    >>> returns = ri.read_ssda903(folder)
    >>> sorted(returns.files.table.unique())
    ['AD1', 'Episodes', 'Header', 'PlacedAdoption']
    """
    if isinstance(path, (str, os.PathLike)):
        paths = [os.fspath(path)]
    else:
        paths = [os.fspath(p) for p in path]
    handle = _core.read_ssda903(paths, strict=strict, la=la, year=year, stack=stack)
    return SSDA903(handle)


def _as_handle(returns: Union[SSDA903, "_core.Returns"]) -> "_core.Returns":
    if isinstance(returns, SSDA903):
        return returns._handle
    if isinstance(returns, _core.Returns):
        return returns
    raise TypeError(f"expected an ri.SSDA903 (from ri.read_ssda903), got {type(returns).__name__}")


__all__ = ["SSDA903", "read_ssda903", "Path"]
