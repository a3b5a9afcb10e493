"""Report section: Interrupted time series by RAA."""
from __future__ import annotations

from ..section import NotComputable

KEY = "its"
TITLE = "Interrupted time series by RAA"
DEFAULTS: dict = {}


def build(ctx, section) -> None:
    raise NotComputable("this section is not built yet")
