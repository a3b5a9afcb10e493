"""Report section: what the days of waiting avoided are worth.

Days avoided per child are minus the PSM effect on PO → placed (the difference in restricted mean
waits to tau, all children); the total multiplies them by the children placed after go-live plus
the bed-in; the cost avoided prices those days at the weekly foster-care cost, and is also
expressed in inter-agency fees. Every figure is the estimate times a constant, so its 95% interval
is the effect's interval times the same constant (the count and the prices are taken as known):
no statistics are computed here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Tuple

import pandas as pd

from ..section import NotComputable

if TYPE_CHECKING:  # pragma: no cover
    from ..context import Context
    from ..section import Section

KEY = "costs"
TITLE = "Costs"
DEFAULTS: Dict[str, Any] = {
    "weekly_foster_cost": 700.0,   # £ per child per week in foster care
    "interagency_fee": 31620.0,    # £ per inter-agency placement
}


def build(ctx: "Context", section: "Section") -> None:
    """Scale the PSM headline into days and pounds, with its interval carried.

    >>> import raa_impact as ri
    >>> from raa_impact.evaluate import Config, defaults
    >>> cfg = Config.from_mapping({"synthetic": {"scale": 0.1}}, defaults())
    >>> ev = ri.evaluate(config=cfg, sections=["psm", "costs"], progress=False)
    >>> t = ev.section("costs").tables[0].frame.set_index("key")
    >>> bool(t.loc["days_avoided_per_child", "estimate"] == -ev.context.results["psm"]["estimate"])
    True
    """
    psm = ctx.results.get("psm")
    if psm is None:
        raise NotComputable("the PSM section's all-children effect on PO → placed is needed and was not "
                            "computed (run the `psm` section, before `costs`)")
    opts = ctx.config[KEY]
    weekly, fee = float(opts["weekly_foster_cost"]), float(opts["interagency_fee"])
    if weekly <= 0 or fee <= 0:
        raise NotComputable(f"costs.weekly_foster_cost ({weekly:g}) and costs.interagency_fee ({fee:g}) must be > 0")
    n = int(psm["children_placed_after"])
    table = cost_table(psm["estimate"], tuple(psm["ci"]), n, weekly, fee)
    _describe(ctx, section, psm, n, weekly, fee)
    section.table("costs", table, "Days of waiting avoided and their cost (95% interval: the effect's interval "
                  "scaled by the same constant)")
    for _, r in table.iterrows():
        section.number(r["key"], {"estimate": r["estimate"], "ci": [r["ci_lower"], r["ci_upper"]]})
    if psm["ci"][0] <= 0 <= psm["ci"][1]:
        section.note("the effect's 95% interval includes zero: the cost avoided may be nil or negative.")


def scale(estimate: float, ci: Tuple[float, float], factor: float) -> Tuple[float, float, float]:
    """An estimate and its interval times ``factor`` (the interval reordered when ``factor`` < 0).

    >>> scale(-20.0, (-27.0, -13.0), -1.0)
    (20.0, 13.0, 27.0)
    """
    lo, hi = ci[0] * factor, ci[1] * factor
    return estimate * factor, min(lo, hi), max(lo, hi)


def cost_table(estimate: float, ci: Tuple[float, float], children: int, weekly: float, fee: float) -> pd.DataFrame:
    """Days and pounds avoided per child and in total, the fee equivalent and the break-even.

    >>> t = cost_table(-14.0, (-21.0, -7.0), 100, 700.0, 31620.0).set_index("key")
    >>> t.loc["cost_avoided_total", ["estimate", "ci_lower", "ci_upper"]].tolist()
    [140000.0, 70000.0, 210000.0]
    """
    per_day = weekly / 7.0
    rows: List[Tuple[str, str, str, Tuple[float, float, float]]] = [
        ("days_avoided_per_child", "days of waiting avoided per child", "days", scale(estimate, ci, -1.0)),
        ("days_avoided_total", f"days avoided, {children:,} children placed after go-live + bed-in", "days",
         scale(estimate, ci, -float(children))),
        ("cost_avoided_per_child", "foster-care cost avoided per child", "£", scale(estimate, ci, -per_day)),
        ("cost_avoided_total", "foster-care cost avoided, all those children", "£",
         scale(estimate, ci, -per_day * children)),
        ("interagency_fees_equivalent", "cost avoided in inter-agency fees", "fees",
         scale(estimate, ci, -per_day * children / fee)),
    ]
    out = [{"key": k, "quantity": q, "unit": u, "estimate": e, "ci_lower": lo, "ci_upper": hi}
           for k, q, u, (e, lo, hi) in rows]
    out.append({"key": "break_even_days_per_child", "quantity": "days of foster care costing one inter-agency fee",
                "unit": "days", "estimate": fee / per_day, "ci_lower": float("nan"), "ci_upper": float("nan")})
    return pd.DataFrame(out)


def _describe(ctx: "Context", section: "Section", psm: Dict[str, Any], n: int, weekly: float, fee: float) -> None:
    lo, hi = psm["ci"]
    section.text(
        f"Days avoided per child: minus the PSM effect on PO → placed for all children (difference in "
        f"restricted mean waits to {psm['tau']:g} days, {psm['n_treated']:,} matched treated children: "
        f"{psm['estimate']:.1f} days, 95% CI {lo:.1f} to {hi:.1f}), applied to the {n:,} children placed for "
        f"adoption after their LA's go-live plus the bed-in (of {psm['children_treated']:,} children with a "
        f"placement order then). A day of foster care costs £{weekly:,.0f}/7 (costs.weekly_foster_cost), an "
        f"inter-agency placement £{fee:,.0f} (costs.interagency_fee).")
    section.text(
        "Uncertainty: every figure is the effect times a constant, so its interval is the effect's 95% "
        "interval times that constant (linear scaling). It leaves out uncertainty in the prices, and it "
        "assumes that the effect on the matched children (those with a contemporaneous control) holds for "
        "every child placed after go-live; the waits are truncated at tau, so days beyond it are not counted.")
    if ctx.is_synthetic and psm.get("truth") is not None:
        section.text(f"On synthetic England the true restricted-mean effect for the matched children is "
                     f"{psm['truth']:.1f} days: {-psm['truth'] * n:,.0f} days in total, "
                     f"£{-psm['truth'] * n * weekly / 7:,.0f}.")
