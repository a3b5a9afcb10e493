"""Report section: Propensity score matching (child level)."""
from __future__ import annotations

from ..section import NotComputable

KEY = "psm"
TITLE = "Propensity score matching (child level)"
DEFAULTS: dict = {}


def build(ctx, section) -> None:
    raise NotComputable("this section is not built yet")
