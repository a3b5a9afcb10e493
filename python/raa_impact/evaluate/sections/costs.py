"""Report section: Costs."""
from __future__ import annotations

from ..section import NotComputable

KEY = "costs"
TITLE = "Costs"
DEFAULTS: dict = {}


def build(ctx, section) -> None:
    raise NotComputable("this section is not built yet")
