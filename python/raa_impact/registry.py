"""The RAA registry: which LA belonged to which RAA when, and each RAA's dated milestones."""
from __future__ import annotations

import os
from typing import Optional, Union

import pandas as pd

from . import _core
from ._frames import to_frame


def _days(value) -> int:
    from .journeys import _days as days

    out = days(value)
    if out is None:
        raise TypeError("a date is required")
    return out


class Registry:
    """LAs, RAAs, memberships (valid-from / valid-to) and dated milestones, with sources.

    The bundled registry is built from public sources (council papers and press releases); every
    row keeps its source URL and a confidence flag, and dates known only to the month or year say
    so in ``precision``. Load your own with ``ri.load_registry(folder)`` (the four CSV files that
    :meth:`to_dir` writes) after amending a copy.

    Examples
    --------
    >>> import raa_impact as ri
    >>> reg = ri.load_registry()
    >>> reg.las.set_index("dfe_code").loc["886", "name"]
    'Kent'
    """

    def __init__(self, handle: "_core.Registry") -> None:
        self._handle = handle

    @property
    def las(self) -> pd.DataFrame:
        """Every English children's services authority: DfE code, ONS code, name, region, dates."""
        return to_frame(self._handle.las())

    @property
    def raas(self) -> pd.DataFrame:
        """RAAs: id, name, model, host, source and confidence."""
        return to_frame(self._handle.raas())

    @property
    def milestones(self) -> pd.DataFrame:
        """Dated milestones (agreement, soft launch, go-live, full integration) with precision."""
        return to_frame(self._handle.milestones())

    @property
    def memberships(self) -> pd.DataFrame:
        """LA → RAA memberships with valid-from / valid-to dates."""
        return to_frame(self._handle.memberships())

    def to_dir(self, folder: Union[str, "os.PathLike[str]"]) -> None:
        """Write the registry as four CSV files (``las``, ``raas``, ``milestones``,
        ``memberships``) that :func:`load_registry` reads back; edit them to amend it."""
        self._handle.to_dir(os.fspath(folder))

    def with_membership(
        self, la_code: str, raa_id: str, valid_from, valid_to=None, *, confidence: str = "high",
        source_url: str = "", note: str = "",
    ) -> "Registry":
        """A copy with LA ``la_code`` in RAA ``raa_id`` from ``valid_from`` (to ``valid_to``,
        inclusive). Raises :class:`raa_impact.RegistryError` if the LA would then be in two RAAs at
        once, or the LA or RAA is unknown.

        Examples
        --------
        >>> import raa_impact as ri
        >>> reg = ri.load_registry()
        >>> reg2 = reg.end_membership("886", "adoption-partnership-south-east", "2030-03-31")
        >>> reg2 = reg2.with_membership("886", "adopt-south", "2030-04-01")
        >>> sorted(reg2.memberships.query("la_code == '886'").raa_id)
        ['adopt-south', 'adoption-partnership-south-east']
        """
        return Registry(self._handle.with_membership(
            la_code, raa_id, _days(valid_from), None if valid_to is None else _days(valid_to),
            confidence, source_url, note))

    def end_membership(self, la_code: str, raa_id: str, valid_to) -> "Registry":
        """A copy with the LA's open membership of ``raa_id`` ended on ``valid_to`` (inclusive)."""
        return Registry(self._handle.end_membership(la_code, raa_id, _days(valid_to)))

    def with_milestone(
        self, raa_id: str, kind: str, date, *, precision: str = "day", confidence: str = "high",
        source_url: str = "", note: str = "",
    ) -> "Registry":
        """A copy with the RAA's ``kind`` milestone (``agreement``, ``soft_launch``, ``go_live``,
        ``full_integration``) set to ``date``; milestones must stay in that order."""
        return Registry(self._handle.with_milestone(
            raa_id, kind, _days(date), precision, confidence, source_url, note))

    def summary(self) -> str:
        """RAAs with their go-live, member count and confidence."""
        return self._handle.summary()

    def __repr__(self) -> str:
        return self.summary()


def load_registry(path: Optional[Union[str, "os.PathLike[str]"]] = None) -> Registry:
    """Load the bundled registry, or your own from a folder of the four CSV files.

    Raises :class:`raa_impact.RegistryError` when an LA is in two RAAs at once, a milestone is out
    of order, or a row names an unknown LA or RAA.
    """
    return Registry(_core.load_registry(None if path is None else os.fspath(path)))


def _as_handle(registry: Optional[Registry]) -> "_core.Registry":
    if registry is None:
        return load_registry()._handle
    if isinstance(registry, Registry):
        return registry._handle
    raise TypeError(f"expected an ri.Registry (from ri.load_registry), got {type(registry).__name__}")


__all__ = ["Registry", "load_registry"]
