"""Report section: heterogeneity of the effect by RAA model, RAA size, go-live cohort and child group.

RAA-level subgroups (model, size, go-live cohort) use the Callaway–Sant'Anna specification of the
multiple-baseline section (``multiple_baseline.cs_panel`` and ``cs_fit``: the LA × collection-year
panel of order-cohort mean PO → placed days, not-yet-treated comparisons, bed-in years left out, SEs
clustered on the RAA). A model or size subgroup's effect comes from its own LAs as treated units;
every other LA serves as a comparison while it is not yet live (its rows from its go-live on are
dropped), so the panel is unbalanced and its cells use the repeated cross-section estimators
(R did's ``allow_unbalanced_panel``). Go-live cohorts are the CS group aggregation of the full
panel. The harder-to-place split is child-level, so it comes from the PSM section (children matched
within the group). Each row shows the clusters (RAAs) and LAs behind it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

from ..section import NotComputable
from .multiple_baseline import KEY as MB
from .multiple_baseline import cs_fit, cs_panel

if TYPE_CHECKING:  # pragma: no cover
    from ..context import Context
    from ..section import Section

KEY = "heterogeneity"
TITLE = "Heterogeneity"
DEFAULTS: Dict[str, Any] = {
    "min_clusters": 3,      # a subgroup resting on fewer RAAs is flagged: its clustered SE is unreliable
}
SIZES = ((1, 2, "1–2 LAs"), (3, 4, "3–4 LAs"), (5, 6, "5–6 LAs"), (7, 10_000, "7+ LAs"))
MODELS = {"hosted": "hosted", "la_company": "LA company", "partnership": "partnership",
          "vaa_led": "VAA-led", "unknown": "model unknown"}
CS_LABEL = "Callaway–Sant'Anna (LA-year cohort mean PO → placed days)"


def build(ctx: "Context", section: "Section") -> None:
    """One effect per subgroup with its CI and the RAAs and LAs behind it; a table and a forest plot.

    >>> import raa_impact as ri
    >>> from raa_impact.evaluate import Config, defaults
    >>> cfg = Config.from_mapping({"synthetic": {"scale": 0.1}}, defaults())
    >>> ev = ri.evaluate(config=cfg, sections=["heterogeneity"], progress=False)
    >>> t = ev.section("heterogeneity").tables[0].frame
    >>> sorted(set(t["dimension"]))
    ['RAA model', 'RAA size', 'all', 'go-live cohort']
    """
    opts = {**ctx.config[MB], **ctx.config[KEY]}
    la = cs_panel(ctx)
    opts["bed_in_periods"] = la.attrs["bed_in_periods"]
    info = la_info(ctx, la)
    _describe(section, la, opts)
    rows: List[dict] = []
    with section.part("all LAs"):
        rows.append({"dimension": "all", "subgroup": "all LAs", **_cs_row(la, info, None, opts, section, "all LAs")})
    for dim, col, labels in (("RAA model", "model", MODELS), ("RAA size", "size_band", None)):
        for value in _values(info, col, labels):
            name = labels.get(value, value) if labels else value
            with section.part(f"{dim} {name}"):
                las = info.index[info[col] == value]
                rows.append({"dimension": dim, "subgroup": name, **_cs_row(la, info, las, opts, section, name)})
    with section.part("go-live cohorts"):
        rows += _cohort_rows(la, info, opts)
    rows += _psm_rows(ctx, section)
    if not rows:
        raise NotComputable("no subgroup could be estimated; see the notes")
    table = pd.DataFrame(rows)
    if not ctx.is_synthetic:
        table = table.drop(columns=["truth"])
    for col in ("raas", "las", "comparison_las", "fewest_comparison_raas"):
        table[col] = table[col].astype("Int64")
    _flag_few(section, table, int(opts["min_clusters"]))
    section.table("subgroups", table, "Effect by subgroup (days; negative = shorter waits) with 95% CI and the "
                  "clusters behind it" + ("; truth: the same estimator on the generator's effects" if ctx.is_synthetic else ""))
    section.figure("forest", forest(table), "Forest plot: effect by subgroup with 95% CI (CS rows: days of the "
                   "LA-year cohort mean; PSM rows: difference in restricted mean days); x marks the truth "
                   "where known; the number of RAAs behind each row in brackets")
    plain = table.drop(columns=["estimator"]).astype(object)
    section.number("subgroups", plain.where(plain.notna(), None).to_dict(orient="records"))


def la_info(ctx: "Context", la: pd.DataFrame) -> pd.DataFrame:
    """Per LA of the panel: RAA, go-live year, RAA model and size band (member LAs in the registry).

    >>> from raa_impact.evaluate import Config, defaults, load_context
    >>> from raa_impact.evaluate.sections.multiple_baseline import cs_panel
    >>> ctx = load_context(config=Config.from_mapping({"synthetic": {"scale": 0.1}}, defaults()))
    >>> bool(la_info(ctx, cs_panel(ctx))["size_band"].isin(["1–2 LAs", "3–4 LAs", "5–6 LAs", "7+ LAs"]).all())
    True
    """
    info = la.groupby("la").agg(raa_id=("cluster", "first"), go_year=("go_year", "first"))
    raas = ctx.registry.raas.set_index("raa_id")
    members = ctx.registry.memberships.groupby("raa_id")["la_code"].nunique()
    info["model"] = info["raa_id"].map(raas["model"]).fillna("unknown").astype(str)
    info["size"] = info["raa_id"].map(members).fillna(1).astype(int)
    info["size_band"] = info["size"].map(size_band)
    return info


def size_band(n: int) -> str:
    """The size band of an RAA with ``n`` member LAs.

    >>> size_band(3), size_band(7), size_band(12)
    ('3–4 LAs', '7+ LAs', '7+ LAs')
    """
    for lo, hi, name in SIZES:
        if lo <= n <= hi:
            return name
    return f"{n} LAs"


def _values(info: pd.DataFrame, col: str, labels: Optional[Dict[str, str]]) -> List[str]:
    """Subgroup values with at least one LA treated in the window, in a fixed order."""
    present = set(info.loc[info["go_year"] > 0, col])
    order = list(labels) if labels else [name for _, _, name in SIZES]
    return [v for v in order if v in present] + sorted(present - set(order))


def _describe(section: "Section", la: pd.DataFrame, opts: Dict[str, Any]) -> None:
    section.text(
        f"RAA-level subgroups: Callaway–Sant'Anna with the multiple-baseline section's specification on "
        f"{la['la'].nunique()} LAs × collection years {la.attrs['first_year']}–{la.attrs['last_year']}: outcome "
        f"the mean PO → placed days of each LA-year's placement-order cohort; group the collection year of the "
        f"LA's go-live, {int(opts['bed_in_periods'])} year(s) left out as bed-in; comparisons LAs not yet "
        f"treated; SEs clustered on the RAA. A model or size subgroup takes its own LAs as treated and every "
        f"other LA as a comparison until its own go-live (its later rows are dropped), so its cells use the "
        f"repeated cross-section estimators of an unbalanced panel (R did's allow_unbalanced_panel). Go-live "
        f"cohorts come from the CS group aggregation over all LAs. Harder-to-place children are a child-level "
        f"split: their rows come from the PSM section (matched within the group; a different estimand, the "
        f"difference in restricted mean days). raas and las count the treated RAAs (clusters) and LAs behind a "
        f"row; comparison_las the LAs that can serve as a comparison for some cell (untreated in the row's panel, or live after its first cohort); fewest_comparison_raas is the "
        f"fewest RAAs among the comparisons of any of its post-treatment cells. Subgroup rows share their "
        f"comparison LAs, so their errors are correlated; RAA-clustered CS intervals under-cover where "
        f"comparisons span few RAAs (the late cells): on synthetic England the post-cell coverage is about 0.55 "
        f"with 2 or fewer comparison RAAs and 0.83 with 3–9 (crates/raa-impact/tests/england_recovery.rs).")


def _cs_fit(frame: pd.DataFrame, outcome: str, opts: Dict[str, Any], unbalanced: bool = False) -> Any:
    extra = {"allow_unbalanced_panel": True} if unbalanced else {}
    return cs_fit(frame, opts["bed_in_periods"], opts, outcome=outcome, **extra)


def subgroup_panel(la: pd.DataFrame, las: Sequence[str]) -> pd.DataFrame:
    """The panel for one subgroup: its LAs as they are; every other LA kept only before its go-live
    and marked untreated (group 0), so that it is a comparison while not yet live and never treated.

    >>> la = pd.DataFrame({"la": ["a"] * 3 + ["b"] * 3, "year": [1, 2, 3] * 2, "go_year": [2] * 3 + [3] * 3})
    >>> subgroup_panel(la, ["a"])[["la", "year", "go_year"]].values.tolist()
    [['a', 1, 2], ['a', 2, 2], ['a', 3, 2], ['b', 1, 0], ['b', 2, 0]]
    """
    mine = la["la"].isin(set(las))
    before = (la["go_year"] == 0) | (la["year"] < la["go_year"])
    out = la.loc[mine | before].copy()
    out.loc[~out["la"].isin(set(las)), "go_year"] = 0
    out.attrs = dict(la.attrs)
    return out


def _cs_row(la: pd.DataFrame, info: pd.DataFrame, las: Optional[Sequence[str]], opts: Dict[str, Any],
            section: "Section", name: str) -> Dict[str, Any]:
    frame = la if las is None else subgroup_panel(la, las)
    fit = _cs_fit(frame, "y", opts, unbalanced=las is not None)
    agg = fit.aggregate("simple")
    warnings = list(dict.fromkeys(list(fit.warnings) + list(agg.warnings)))
    if warnings:
        section.note(f"{name}: " + "; ".join(warnings))
    treated = info.loc[info.index.isin(frame.loc[frame["go_year"] > 0, "la"])]
    row = {"estimator": CS_LABEL, **_estimate(agg.overall), "raas": int(treated["raa_id"].nunique()),
           "las": int(len(treated)), "comparison_las": _comparisons(frame),
           "fewest_comparison_raas": _fewest(fit.table())}
    row["truth"] = _truth(frame, opts, lambda f: f.aggregate("simple").overall.estimate, las is not None)
    return row


def _comparisons(frame: pd.DataFrame) -> int:
    """LAs that can be a comparison for some cell: untreated in the panel, or live after its first cohort."""
    go = frame["go_year"]
    first = go[go > 0].min() if (go > 0).any() else 0
    return int(frame.loc[(go == 0) | (go > first), "la"].nunique())


def _fewest(cells: pd.DataFrame, group: Optional[int] = None) -> int:
    """The fewest comparison clusters (RAAs) behind any estimated post-treatment cell (of ``group``)."""
    post = cells.loc[cells["post"] & (cells["status"] == "Estimated")]
    if group is not None:
        post = post.loc[post["group"] == group]
    return int(post["control_clusters"].min()) if len(post) else 0


def _estimate(e: Any) -> Dict[str, Any]:
    return {"estimate": e.estimate, "se": e.se, "ci_lower": e.ci_low, "ci_upper": e.ci_high}


def _truth(frame: pd.DataFrame, opts: Dict[str, Any], pick: Any, unbalanced: bool = False) -> float:
    """The same estimator on the realised effects (synthetic England), NaN when not computable."""
    if "truth" not in frame.columns or frame["truth"].isna().any():
        return float("nan")
    try:
        return float(pick(_cs_fit(frame, "truth", opts, unbalanced)))
    except ValueError:
        return float("nan")


def _cohort_rows(la: pd.DataFrame, info: pd.DataFrame, opts: Dict[str, Any]) -> List[dict]:
    fit = _cs_fit(la, "y", opts)
    groups, cells = fit.aggregate("group").to_frame(), fit.table()
    truth: Dict[int, float] = {}
    if "truth" in la.columns and not la["truth"].isna().any():
        tg = _cs_fit(la, "truth", opts).aggregate("group").to_frame()
        truth = dict(zip(tg["group"].astype(int), tg["estimate"]))
    rows = []
    for _, g in groups.iterrows():
        year = int(g["group"])
        members = info.loc[info["go_year"] == year]
        rows.append({"dimension": "go-live cohort", "subgroup": f"live {year - 1}–{str(year)[2:]}",
                     "estimator": CS_LABEL, **_estimate_row(g), "raas": int(members["raa_id"].nunique()),
                     "las": int(len(members)), "comparison_las": int((info["go_year"] != year).sum()),
                     "fewest_comparison_raas": _fewest(cells, year), "truth": truth.get(year, float("nan"))})
    return rows


def _estimate_row(g: pd.Series) -> Dict[str, Any]:
    return {"estimate": g["estimate"], "se": g["se"], "ci_lower": g["ci_low"], "ci_upper": g["ci_high"]}


def _psm_rows(ctx: "Context", section: "Section") -> List[dict]:
    psm = ctx.results.get("psm")
    if psm is None:
        section.note("harder-to-place rows need the PSM section, which did not run or did not compute.")
        return []
    rows = []
    for key in ("harder_to_place", "not_harder_to_place"):
        g = psm["groups"].get(key)
        if g is None:
            section.note(f"the PSM effect for {key.replace('_', ' ')} children was not computed (see the PSM section).")
            continue
        rows.append({"dimension": "child group", "subgroup": g["label"],
                     "estimator": f"PSM (difference in restricted mean PO → placed days to {g['tau']:g})",
                     "estimate": g["estimate"], "se": g["se"], "ci_lower": g["ci"][0], "ci_upper": g["ci"][1],
                     "raas": g["n_raas"], "las": g["n_las"], "comparison_las": np.nan,
                     "fewest_comparison_raas": np.nan,
                     "truth": np.nan if g.get("truth") is None else g["truth"]})
    return rows


def _flag_few(section: "Section", table: pd.DataFrame, min_clusters: int) -> None:
    few = table.loc[table["raas"] < min_clusters]
    for _, r in few.iterrows():
        section.note(f"{r['dimension']} '{r['subgroup']}' rests on {int(r['raas'])} RAA(s), fewer than "
                     f"{min_clusters}: its RAA-clustered interval is not reliable.")


def forest(table: pd.DataFrame) -> Any:
    """The forest plot of the subgroup table (one row per subgroup, grouped by dimension)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 0.38 * len(table) + 1.2))
    pos = np.arange(len(table))[::-1]
    psm = table["estimator"].str.startswith("PSM").to_numpy()
    for mask, color, label in ((~psm, "C0", "Callaway–Sant'Anna"), (psm, "C2", "PSM")):
        t, y = table.loc[mask], pos[mask]
        if len(t):
            ax.errorbar(t["estimate"], y, xerr=[t["estimate"] - t["ci_lower"], t["ci_upper"] - t["estimate"]],
                        fmt="o", color=color, capsize=2, label=label)
    if "truth" in table.columns and table["truth"].notna().any():
        ax.scatter(table["truth"], pos, marker="x", color="C3", zorder=3, label="truth")
    ax.axvline(0, color="0.5", lw=0.8)
    ax.set_yticks(pos)
    ax.set_yticklabels([f"{d}: {s} [{r}]" if d != "all" else f"{s} [{r}]"
                        for d, s, r in zip(table["dimension"], table["subgroup"], table["raas"])], fontsize=8)
    ax.set_xlabel("effect on waiting (days)")
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    return fig
