"""Report section: Provenance."""
from __future__ import annotations

from ..section import NotComputable

KEY = "provenance"
TITLE = "Provenance"
DEFAULTS: dict = {}


def build(ctx, section) -> None:
    raise NotComputable("this section is not built yet")
