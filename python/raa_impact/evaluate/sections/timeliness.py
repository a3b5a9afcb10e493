"""Report section: Timeliness: scorecard indicators."""
from __future__ import annotations

from ..section import NotComputable

KEY = "timeliness"
TITLE = "Timeliness: scorecard indicators"
DEFAULTS: dict = {}


def build(ctx, section) -> None:
    raise NotComputable("this section is not built yet")
