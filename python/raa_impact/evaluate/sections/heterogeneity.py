"""Report section: heterogeneity of the effect by RAA model, RAA size, go-live cohort and child group.

RAA-level subgroups (model, size, go-live cohort) use Callaway–Sant'Anna on the LA × collection-year
panel, as the staggered notebook runs it: the outcome is the mean PO → placed days of each LA-year's
placement-order cohort (children placed), the group is the collection year of the LA's go-live (its
cells left out as a bed-in), comparisons are LAs not yet treated, SEs are clustered on the RAA. A
model or size subgroup keeps its own LAs plus the LAs never treated in the window, so its
comparisons are its own not-yet-live LAs and the never-treated ones (the panel must be balanced, so
another subgroup's LAs cannot serve only until their go-live). Go-live cohorts are the CS group
aggregation of the full panel (all not-yet-treated comparisons). The harder-to-place split is
child-level, so it comes from the PSM section (children matched within the group). Each row shows
the clusters (RAAs) and LAs behind it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

from ..section import NotComputable

if TYPE_CHECKING:  # pragma: no cover
    from ..context import Context
    from ..section import Section

KEY = "heterogeneity"
TITLE = "Heterogeneity"
DEFAULTS: Dict[str, Any] = {
    "first_year": 2013,     # first collection year of the LA-year panel
    "last_year": 0,         # last one; 0 = two years before the data cut's, so every order cohort can be placed
    "bed_in_years": 1,      # collection years left out from the go-live year on (1 = the go-live year)
    "min_clusters": 3,      # a subgroup resting on fewer RAAs is flagged: its clustered SE is unreliable
}
OUTCOME = "cohort_mean_po_to_placed"
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
    opts = ctx.config[KEY]
    la = panel(ctx, opts)
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
    for col in ("raas", "las", "comparison_las_never_treated", "fewest_comparison_raas"):
        table[col] = table[col].astype("Int64")
    _flag_few(section, table, int(opts["min_clusters"]))
    section.table("subgroups", table, "Effect by subgroup (days; negative = shorter waits) with 95% CI and the "
                  "clusters behind it" + ("; truth: the same estimator on the generator's effects" if ctx.is_synthetic else ""))
    section.figure("forest", forest(table), "Forest plot: effect by subgroup with 95% CI (CS rows: days of the "
                   "LA-year cohort mean; PSM rows: difference in restricted mean days); x marks the truth "
                   "where known; the number of RAAs behind each row in brackets")
    plain = table.drop(columns=["estimator"]).astype(object)
    section.number("subgroups", plain.where(plain.notna(), None).to_dict(orient="records"))


def panel(ctx: "Context", opts: Dict[str, Any]) -> pd.DataFrame:
    """The balanced LA × collection-year panel CS runs on: ``la, raa_id, year, go_year, y`` (and
    ``truth`` on synthetic England); LAs with an empty year are left out (counted in attrs).

    >>> from raa_impact.evaluate import Config, defaults, load_context
    >>> ctx = load_context(config=Config.from_mapping({"synthetic": {"scale": 0.1}}, defaults()))
    >>> p = panel(ctx, ctx.config["heterogeneity"])
    >>> bool(p.groupby("la")["year"].nunique().eq(p.attrs["last"] - p.attrs["first"] + 1).all())
    True
    >>> bool(la_info(ctx, p)["size_band"].isin(["1–2 LAs", "3–4 LAs", "5–6 LAs", "7+ LAs"]).all())
    True
    """
    p = ctx.panel("year").copy()
    p["year"] = p["period"].astype(int)
    first, last = _window(ctx, p, opts)
    p = p.loc[p["year"].between(first, last)].copy()
    go = pd.to_datetime(p["go_live"])
    p["go_year"] = np.where(go.notna(), go.dt.year + (go.dt.month >= 4), 0).astype(int)
    p.loc[p["go_year"] > last, "go_year"] = 0       # live after the window: never treated in it
    p["raa_id"] = p["raa_id"].where(p["raa_id"].notna(), "no RAA: " + p["la"].astype(str)).astype(str)
    p["y"] = p[OUTCOME].astype(float)
    if ctx.is_synthetic:
        p = p.merge(_truth_cells(ctx), on=["la", "year"], how="left")
    complete = p.groupby("la")["y"].transform(lambda s: s.notna().all())
    out = p.loc[complete].reset_index(drop=True)
    out.attrs.update(first=first, last=last, dropped=int(p.loc[~complete, "la"].nunique()))
    if out.empty or (out["go_year"] > 0).sum() == 0:
        raise NotComputable(f"no LA has a placement-order cohort in every year {first}–{last} and a go-live in it")
    return out


def _window(ctx: "Context", p: pd.DataFrame, opts: Dict[str, Any]) -> tuple:
    cut = pd.Timestamp(ctx.journeys.attrs.get("cut_date") or ctx.journeys["cut_date"].max())
    cut_year = cut.year + (cut.month >= 4)
    last = int(opts["last_year"]) or cut_year - 2
    first = max(int(opts["first_year"]), int(p["year"].min()))
    if last <= first:
        raise NotComputable(f"the panel window {first}–{last} is empty (options heterogeneity.first_year / last_year)")
    return first, last


def _truth_cells(ctx: "Context") -> pd.DataFrame:
    """Mean injected effect of each LA-year's placement-order cohort of placed children."""
    t = ctx.synthetic.truth.dropna(subset=["po_date", "placed_date"])
    po = t["po_date"]
    cells = pd.DataFrame({"la": t["la"].astype(str), "year": (po.dt.year + (po.dt.month >= 4)).astype(int),
                          "truth": t["effect_days"].astype(float)})
    return cells.groupby(["la", "year"], as_index=False)["truth"].mean()


def la_info(ctx: "Context", la: pd.DataFrame) -> pd.DataFrame:
    """Per LA of the panel: RAA, go-live year, RAA model and size band (member LAs in the registry)."""
    info = la.groupby("la").agg(raa_id=("raa_id", "first"), go_year=("go_year", "first"))
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
        f"RAA-level subgroups: Callaway–Sant'Anna on {la['la'].nunique()} LAs × collection years "
        f"{la.attrs['first']}–{la.attrs['last']} ({la.attrs['dropped']} LAs left out for a year without a "
        f"placement order); outcome: the mean PO → placed days of each LA-year's placement-order cohort "
        f"(children placed); group: the collection year of the LA's go-live, {int(opts['bed_in_years'])} year(s) "
        f"left out as bed-in; comparisons: LAs not yet treated; SEs clustered on the RAA. A model or size "
        f"subgroup keeps its own LAs plus the {int((la.groupby('la')['go_year'].first() == 0).sum())} LAs never "
        f"treated in the window (CS needs a balanced panel, so another subgroup's LAs cannot be comparisons "
        f"only until their own go-live). Go-live cohorts come from the CS group aggregation over all LAs. "
        f"Harder-to-place children are a child-level split: their rows come from the PSM section (matched "
        f"within the group; a different estimand, the difference in restricted mean days). raas and las count "
        f"the treated RAAs (clusters) and LAs behind a row; fewest_comparison_raas is the fewest RAAs among the "
        f"comparisons of any of its post-treatment cells. Subgroup rows share their comparison LAs, so their "
        f"errors are correlated; RAA-clustered CS intervals under-cover where comparisons span few RAAs (the "
        f"late cells, when only LAs never live in the window remain): on synthetic England the post-cell "
        f"coverage is about 0.55 with 2 or fewer comparison RAAs and 0.83 with 3–9 (the core's recovery "
        f"test, crates/raa-impact/tests/england_recovery.rs).")


def _cs_fit(frame: pd.DataFrame, outcome: str, opts: Dict[str, Any]) -> Any:
    import raa_impact as ri

    return ri.att_gt(frame, outcome=outcome, unit="la", time="year", group="go_year",
                     control_group="notyettreated", bed_in=int(opts["bed_in_years"]), cluster="raa_id")


def _cs_row(la: pd.DataFrame, info: pd.DataFrame, las: Optional[Sequence[str]], opts: Dict[str, Any],
            section: "Section", name: str) -> Dict[str, Any]:
    frame = la if las is None else la.loc[la["la"].isin(set(las)) | (la["go_year"] == 0)]
    fit = _cs_fit(frame, "y", opts)
    agg = fit.aggregate("simple")
    warnings = list(dict.fromkeys(list(fit.warnings) + list(agg.warnings)))
    if warnings:
        section.note(f"{name}: " + "; ".join(warnings))
    treated = info.loc[info.index.isin(frame["la"]) & (info["go_year"] > 0)]
    row = {"estimator": CS_LABEL, **_estimate(agg.overall), "raas": int(treated["raa_id"].nunique()),
           "las": int(len(treated)), "comparison_las_never_treated": int((info.loc[info.index.isin(frame["la"]), "go_year"] == 0).sum()),
           "fewest_comparison_raas": _fewest(fit.table())}
    row["truth"] = _truth(frame, opts, lambda f: f.aggregate("simple").overall.estimate)
    return row


def _fewest(cells: pd.DataFrame, group: Optional[int] = None) -> int:
    """The fewest comparison clusters (RAAs) behind any estimated post-treatment cell (of ``group``)."""
    post = cells.loc[cells["post"] & (cells["status"] == "Estimated")]
    if group is not None:
        post = post.loc[post["group"] == group]
    return int(post["control_clusters"].min()) if len(post) else 0


def _estimate(e: Any) -> Dict[str, Any]:
    return {"estimate": e.estimate, "se": e.se, "ci_lower": e.ci_low, "ci_upper": e.ci_high}


def _truth(frame: pd.DataFrame, opts: Dict[str, Any], pick: Any) -> float:
    """The same estimator on the realised effects (synthetic England), NaN when not computable."""
    if "truth" not in frame.columns or frame["truth"].isna().any():
        return float("nan")
    try:
        return float(pick(_cs_fit(frame, "truth", opts)))
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
                     "las": int(len(members)), "comparison_las_never_treated": int((info["go_year"] == 0).sum()),
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
                     "raas": g["n_raas"], "las": g["n_las"], "comparison_las_never_treated": np.nan,
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
