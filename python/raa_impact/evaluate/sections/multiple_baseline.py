"""Report section: Multiple baseline: staggered go-lives."""
from __future__ import annotations

from ..section import NotComputable

KEY = "multiple_baseline"
TITLE = "Multiple baseline: staggered go-lives"
DEFAULTS: dict = {}


def build(ctx, section) -> None:
    raise NotComputable("this section is not built yet")
