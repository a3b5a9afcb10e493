"""A progress bar on standard error, one step per reference run or recovery step."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Any, Iterator


def _bar(total: int, show: bool) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, file=sys.stderr, disable=not show, leave=False, unit="step")


@contextmanager
def _step(bar: Any, label: str) -> Iterator[None]:
    bar.set_description(label)
    t0 = time.perf_counter()
    yield
    if not bar.disable:
        bar.write(f"  {label}: {time.perf_counter() - t0:.2f} s", file=sys.stderr)
    bar.update(1)
