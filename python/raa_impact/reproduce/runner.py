"""Run every reference and the recovery study; re-pin the recovery figures after a deliberate change."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Dict, Optional

import pandas as pd

from .._errors import ArgumentError
from .recovery import _recovery_steps, _run_recovery
from .references import DEFAULT_SEED, PIN_TOLERANCE, RECOVERY_SCALE, REFERENCES, PathLike, Values, _compare_references, load_references
from .result import ReproduceCheckError, ReproduceResult
from .progress import _bar, _step
from .runs import REFERENCE_RUNS


def reproduce(
    check: bool = False,
    recovery: bool = True,
    seed: int = DEFAULT_SEED,
    progress: bool = True,
    references: Optional[PathLike] = None,
    scale: float = RECOVERY_SCALE,
) -> ReproduceResult:
    """Re-run every reference figure (and, with ``recovery``, the synthetic England recovery
    study) and compare each with its reference in ``references`` (default: the packaged
    ``data/reference/oracles.json``).

    ``check=True`` raises :class:`ReproduceCheckError` (a ``RaaImpactError``) naming every figure
    beyond its tolerance, with the whole table in its ``.result``; without it, read ``.ok`` and
    ``.failures()``. A step that raises is recorded as failed figures with the error, so the table
    is always complete. Recovery estimates are compared with their pins only
    when ``seed`` and ``scale`` are those the pins were made with.

    >>> from raa_impact.reproduce import reproduce
    >>> r = reproduce(recovery=False, progress=False)
    >>> r.ok, len(r.failures())
    (True, 0)
    """
    t0 = time.perf_counter()
    refs = load_references(references)
    pins = refs.attrs.get("recovery", {})
    inputs = refs.attrs.get("published_inputs", {})
    rec_steps = _recovery_steps(int(seed), float(scale)) if recovery else []
    bar = _bar(len(REFERENCE_RUNS) + len(rec_steps), progress)
    values: Values = {}
    errors: Dict[str, str] = {}
    for label, prefix, fn in REFERENCE_RUNS:
        with _step(bar, label):
            try:
                values.update(fn(inputs))
            except Exception as exc:  # noqa: BLE001 - the table must report every section
                errors[prefix] = f"{label}: {type(exc).__name__}: {exc}"
    frame = _compare_references(refs, values, errors)
    frames = [frame]
    if recovery:
        frames.append(_run_recovery(rec_steps, bar, pins, int(seed), float(scale)))
    bar.close()
    frame = pd.concat([f for f in frames if len(f)], ignore_index=True)
    meta = {"check": check, "seed": seed, "scale": scale, "recovery": recovery,
            "references": str(references or REFERENCES), "seconds": time.perf_counter() - t0}
    result = ReproduceResult(frame, meta)
    if check and not result.ok:
        failed = result.failures()
        raise ReproduceCheckError(f"{len(failed)} figure(s) beyond tolerance: " + ", ".join(failed["id"]), result)
    return result


def write_references(result: ReproduceResult, path: PathLike, references: Optional[PathLike] = None) -> None:
    """Write a copy of ``references`` (default: the packaged JSON) to ``path`` with the recovery
    pins replaced by this run's estimates and truths. Reference figures are copied unchanged:
    only the recovery pins are the library's own numbers. Copy the mpdta CSV files beside it too.

    >>> import tempfile, os
    >>> from raa_impact.reproduce import reproduce, write_references, load_references
    >>> r = reproduce(recovery=False, progress=False)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_references(r, os.path.join(d, "oracles.json"))
    ...     len(load_references(os.path.join(d, "oracles.json"))) == len(load_references())
    True
    """
    src = Path(references) if references is not None else REFERENCES
    spec = json.loads(src.read_text(encoding="utf-8"))
    f = result.to_frame()
    rec = f.loc[f["truth"].notna() & f["value"].notna()]
    broken = f.loc[f["id"].str.startswith("recovery.") & (f["truth_ok"].eq(False) | f["value"].isna())]
    if result.meta.get("recovery") and len(broken):
        raise ArgumentError("invalid argument `result`: pins must come from a run whose recovery truth checks "
                            f"pass; failed: {', '.join(broken['id'])}")
    if result.meta.get("recovery"):
        spec["recovery"] = {
            **spec.get("recovery", {}), "seed": result.meta["seed"], "scale": result.meta["scale"],
            "figures": [{"id": r.id, "value": float(r.value), "truth": float(r.truth), "tolerance": PIN_TOLERANCE}
                        for r in rec.itertuples()],
        }
    out = Path(path)
    out.write_text(_dump(spec) + "\n", encoding="utf-8")
    for table in spec.get("tables", []):
        target = out.parent / table["file"]
        if not target.exists():
            target.write_bytes((src.parent / table["file"]).read_bytes())


def _dump(obj: Any, pad: str = "") -> str:
    """JSON with one line per figure: containers of containers are opened, flat ones kept whole."""
    def flat(x: Any) -> bool:
        values = x.values() if isinstance(x, dict) else x
        return not any(isinstance(v, (dict, list)) and not flat(v) for v in values) and not (
            isinstance(x, list) and any(isinstance(v, (dict, list)) for v in x))

    if not isinstance(obj, (dict, list)) or flat(obj):
        return json.dumps(obj, ensure_ascii=False)
    inner = pad + "  "
    if isinstance(obj, dict):
        items = [f"{inner}{json.dumps(k)}: {_dump(v, inner)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    return "[\n" + ",\n".join(inner + _dump(v, inner) for v in obj) + f"\n{pad}]"
