"""Report section: Sensitivity analyses."""
from __future__ import annotations

from ..section import NotComputable

KEY = "sensitivity"
TITLE = "Sensitivity analyses"
DEFAULTS: dict = {}


def build(ctx, section) -> None:
    raise NotComputable("this section is not built yet")
