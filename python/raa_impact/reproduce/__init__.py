"""``raa-impact reproduce [--check]``: re-run the pinned reference results and the synthetic England
recovery study, and say whether every figure still stands.

Two kinds of figure, both read from ``data/reference/oracles.json`` (values are data, not code):

* **References** (the project's ``ORACLES.md``): the PSM figures on ``nsw_dw`` and MatchIt's
  ``lalonde`` (R Matching, MatchIt), the Sicily ITS figures (R ``glm``, ``sandwich``, ``nlme``),
  the mpdta Callaway–Sant'Anna tables (R ``did``; the CSV files beside the JSON), the bootstrap SE
  within 4% of the analytic one, and the published RAA business-case figures recomputed beside
  their printed values. Each has its tolerance (``abs``: ``|value − reference| ≤ tol``; ``rel``:
  ``|value − reference| ≤ tol·|reference|``; ``exact``; ``min``: ``value ≥ tol``). A printed
  figure that disagrees with its recomputation is shown with its passage: a finding about the
  publication, not a failure. Figures the Python API cannot reach are listed as ``n/a`` with the
  reason (they are tested in Rust) and do not fail.
* **Recovery** on synthetic England (default seed 0, scale 0.25), each estimate beside the truth
  the generator injected, checked twice:

  1. against the truth, as its ``truth_check`` says (``TRUTH_CHECKS``): the PSM same-month design
     (exact on placement-order month and harder-to-place, wait to any exit, RMST to 730 days;
     truth from the matched treated children's potential waits): its 95% CI covers the truth.
     The PSM within-LA design (exact on LA, PO → placed): not checked, shown, because within an
     LA it compares after-go-live children with earlier ones and carries the secular trend
     (``benches/results/psm_recovery.md``: coverage 29–78%). Controlled ITS per RAA (truth: the
     mean realised effect of the children behind its post-bed-in cells): the share of RAAs whose
     95% CI covers the truth is at least ``coverage_minimum`` (0.8). Callaway–Sant'Anna (simple
     ATT) and the multilevel ITS (level change), each against the same estimator applied to the
     cells' realised effects: ``|estimate − truth| ≤ 3 SE`` (CS's RAA-clustered intervals
     under-cover on synthetic England; the multilevel model has no coverage study there).
  2. against the estimate and truth pinned for the default seed and scale (``1e-6`` relative), so
     that any change in the numbers is caught. Another seed checks the truth only. The pins are
     regenerated, after a deliberate change, with ``--write-references FILE``.

Everything runs through the public API (``ri.match``, ``ri.its``, ``ri.att_gt``,
``ri.multilevel_its``, ``ri.scorecard``, ``ri.datasets``, ``ri.synthetic``).

>>> import raa_impact as ri
>>> from raa_impact.reproduce import reproduce
>>> r = reproduce(recovery=False, progress=False)
>>> r.ok
True
>>> bool((r.to_frame()["status"] == "ok").any())
True
"""

from .cli import add_parser, main, run
from .references import DEFAULT_SEED, PIN_TOLERANCE, RECOVERY_SCALE, REFERENCES, load_references
from .result import ReproduceCheckError, ReproduceResult
from .runner import reproduce, write_references

__all__ = ["reproduce", "ReproduceResult", "ReproduceCheckError", "load_references", "write_references",
           "add_parser", "run", "main", "REFERENCES", "DEFAULT_SEED", "RECOVERY_SCALE", "PIN_TOLERANCE"]
