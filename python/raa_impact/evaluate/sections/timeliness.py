"""Report section: the adoption scorecard's timeliness indicators.

A1, A2, A3 and A10 for England over three-year windows against the DfE's dated thresholds
(A1/A2), by RAA and year, and each RAA before and after its go-live. These are descriptive: the
designs that follow estimate the effect.
"""
from __future__ import annotations

from typing import List

import pandas as pd

from ..._core import before_after, scorecard
from ..._frames import to_frame
from ...indicators import _days
from ..section import NotComputable

KEY = "timeliness"
TITLE = "Timeliness: scorecard indicators"
DEFAULTS = {
    "indicators": ["A1", "A2", "A3", "A10"],
    "window_years": 3,        # scorecard windows end 31 March and span this many years
    "before_after_years": 3,  # years before go-live and after go-live + bed-in
}

_MEANING = {
    "A1": "mean days entry to care → placed for adoption (children adopted in the window)",
    "A2": "mean days placement order → match",
    "A3": "share of adopted children placed within 14 months of entry",
    "A10": "A1 with the clock stopped when foster carers who later adopt moved in",
}


def build(ctx, section) -> None:
    cfg = ctx.config[KEY]
    indicators: List[str] = list(cfg["indicators"])
    years = _window_ends(ctx, int(cfg["window_years"]))
    if not years:
        raise NotComputable("the data span no complete scorecard window (no adoption in the journeys)")
    section.text("; ".join(f"{i}: {_MEANING.get(i, i)}" for i in indicators) + ".")
    england = _card(ctx, indicators, years, int(cfg["window_years"]), "england").rename(columns={"group": "area"})
    section.table("england", england, f"England, {cfg['window_years']}-year windows ending 31 March, with the DfE thresholds")
    section.figure("england", _plot_england(england), "A1 and A2 for England against the DfE thresholds in force")
    with section.part("By RAA and year"):
        by_raa = _card(ctx, indicators, years, 1, "raa")
        wide = by_raa.pivot_table(index=["group", "indicator"], columns="window_end_year", values="value")
        section.table("by_raa_year", wide.reset_index(),
                      "Each indicator by RAA and single year ending 31 March (children adopted in the year)")
    with section.part("Before and after go-live"):
        ba = pd.concat([_before_after(ctx, i, int(cfg["before_after_years"])) for i in indicators], ignore_index=True)
        section.table("before_after", ba, f"Each RAA, {cfg['before_after_years']} years before go-live against "
                      f"the years after go-live + bed-in", counts=["n_before", "n_after"])
        section.figure("before_after", _plot_before_after(ba.loc[ba["indicator"] == indicators[0]]),
                       f"{indicators[0]} before and after go-live, one line per RAA")
        section.number("before_after_mean_change", {
            i: float((g["after"] - g["before"]).mean()) for i, g in ba.groupby("indicator")})


def _window_ends(ctx, window: int) -> List[int]:
    placed = ctx.journeys["placed_date"].dropna()
    if placed.empty:
        return []
    first = int(placed.min().year) + window
    last = int(pd.Timestamp(ctx.journeys.attrs.get("cut_date") or placed.max()).year)
    return list(range(first, last + 1))


def _card(ctx, indicators: List[str], years: List[int], window: int, by: str) -> pd.DataFrame:
    ends = [_days(f"{y}-03-31") for y in years]
    frame = to_frame(scorecard(ctx.journeys_core, ctx.registry._handle, indicators, ends, window, by, "per_child"))
    frame["window_end_year"] = pd.to_datetime(frame["window_end"]).dt.year
    return frame


def _before_after(ctx, indicator: str, years: int) -> pd.DataFrame:
    cols = before_after(ctx.journeys_core, ctx.registry._handle, indicator, years, ctx.bed_in_days, ctx.milestone)
    frame = to_frame(cols)
    frame["change"] = frame["after"] - frame["before"]
    return frame


def _plot_england(england: pd.DataFrame):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, ind in zip(axes, ["A1", "A2"]):
        d = england.loc[england["indicator"] == ind]
        ax.plot(d["window_end_year"], d["value"], marker="o", label=f"{ind}, England")
        th = d.dropna(subset=["threshold"])
        ax.step(th["window_end_year"], th["threshold"], where="mid", color="grey", ls="--", label="DfE threshold")
        ax.set_title(ind)
        ax.set_xlabel("three-year window ending 31 March")
        ax.set_ylabel("days")
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _plot_before_after(ba: pd.DataFrame):
    import matplotlib.pyplot as plt

    d = ba.dropna(subset=["before", "after"]).sort_values("go_live")
    fig, ax = plt.subplots(figsize=(8, max(3.0, 0.22 * len(d) + 1)))
    y = range(len(d))
    ax.hlines(list(y), d["before"], d["after"], color="#999")
    ax.plot(d["before"], list(y), "o", color="#446", label="before go-live")
    ax.plot(d["after"], list(y), "o", color="#c63", label="after go-live + bed-in")
    ax.set_yticks(list(y))
    ax.set_yticklabels(d["raa"], fontsize=7)
    ax.set_xlabel(f"{d['indicator'].iloc[0] if len(d) else ''} (days)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
