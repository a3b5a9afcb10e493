"""Report section: Heterogeneity."""
from __future__ import annotations

from ..section import NotComputable

KEY = "heterogeneity"
TITLE = "Heterogeneity"
DEFAULTS: dict = {}


def build(ctx, section) -> None:
    raise NotComputable("this section is not built yet")
