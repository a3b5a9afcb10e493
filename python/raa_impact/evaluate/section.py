"""One section of the evaluation report: text, tables, figures and headline numbers, or why not.

A section builder gets the shared :class:`~raa_impact.evaluate.context.Context` and fills a
:class:`Section`. A part of a section that cannot be computed (an RAA with no post-period, a
subgroup too small) is recorded with :meth:`Section.part` instead of failing the whole report.
"""
from __future__ import annotations

import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Sequence

import pandas as pd


class NotComputable(Exception):
    """Raised by a section (or a part) that cannot be computed on these data; the message says why."""


@dataclass
class Table:
    """A table of the report; written to ``tables/<name>.csv`` beside it.

    ``counts`` names the columns holding counts of children at LA level, which disclosure control
    suppresses and rounds; ``keys`` names the columns that say which group a row describes.
    """

    name: str
    frame: pd.DataFrame
    caption: str
    counts: Sequence[str] = ()


@dataclass
class Figure:
    """A matplotlib figure of the report, embedded as PNG and written to ``figures/<name>.png``."""

    name: str
    figure: Any
    caption: str


@dataclass
class Section:
    """What one section of the report holds. ``error`` is set when it could not be computed."""

    key: str
    title: str
    paragraphs: List[str] = field(default_factory=list)
    tables: List[Table] = field(default_factory=list)
    figures: List[Figure] = field(default_factory=list)
    numbers: Dict[str, Any] = field(default_factory=dict)
    notes: List[str] = field(default_factory=list)
    error: Optional[str] = None
    seconds: float = 0.0

    def text(self, paragraph: str) -> None:
        """Add a paragraph (plain text: it is escaped when rendered)."""
        self.paragraphs.append(paragraph)

    def table(self, name: str, frame: pd.DataFrame, caption: str, counts: Sequence[str] = ()) -> None:
        """Add a table; ``counts`` lists its LA-level count columns (for disclosure control)."""
        self.tables.append(Table(name, frame, caption, tuple(counts)))

    def figure(self, name: str, figure: Any, caption: str) -> None:
        """Add a matplotlib figure (a ``Figure``, or an ``Axes`` whose figure is taken)."""
        fig = getattr(figure, "figure", figure)
        self.figures.append(Figure(name, fig, caption))

    def number(self, key: str, value: Any) -> None:
        """Record a headline number (JSON-serialisable) under ``numbers.json``'s section key."""
        self.numbers[key] = value

    def note(self, message: str) -> None:
        """Record a warning or a part that could not be computed."""
        self.notes.append(message)

    @contextmanager
    def part(self, label: str) -> Iterator[None]:
        """Run one part of the section; if it fails, note why and carry on with the next part.

        >>> s = Section("x", "X")
        >>> with s.part("subgroup A"):
        ...     raise NotComputable("no children in the subgroup")
        >>> s.notes
        ['subgroup A could not be computed: no children in the subgroup']
        """
        try:
            yield
        except Exception as exc:  # a part's failure is reported, never fatal to the report
            self.notes.append(f"{label} could not be computed: {describe(exc)}")

    @property
    def ok(self) -> bool:
        return self.error is None


def describe(exc: BaseException) -> str:
    """A one-line reason for the report: the message of a known error, else type, message and place."""
    if isinstance(exc, (NotComputable, ValueError)):
        return str(exc)
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f" ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})" if where else ""
    return f"{type(exc).__name__}: {exc}{place}"


__all__ = ["Section", "Table", "Figure", "NotComputable", "describe"]
