"""Reference figures for tests/twfe_mpdta.rs, on mpdta (R `did` package data, copied to
/work/shared/data/mpdta.csv), with treat = 1 when first.treat > 0 and year >= first.treat.

* pybacondecomp 0.1.0 (a Python port of Stata's bacondecomp): every 2x2 estimate and weight.
* pyfixest 0.60.0 `feols(lemp ~ treat | countyreal + year)`: the TWFE coefficient and its
  county-clustered SE under three small-sample settings.
* pyfixest `feols(lemp ~ 1 | countyreal + year)` on the untreated rows, `predict` on the treated
  rows: the BJS imputation point estimates, overall and by event time; and BJS's conservative
  clustered SEs computed with numpy from a dense pseudo-inverse (their equations 6, 8, 10, cell
  means weighted by v^2 as R didimputation does, no leave-out). (pyfixest's `did2s`, whose
  point estimates are the same, failed on this data in 0.60.0 with a shape error in its vcov.)

Run: python3 make_reference.py /path/to/mpdta.csv   (writes the CSV files beside this script)
"""
import json
import sys
from pathlib import Path

import pandas as pd
import pyfixest as pf
from pybacondecomp import bacondecomp

here = Path(__file__).parent
df = pd.read_csv(sys.argv[1])
df = df.rename(columns={"first.treat": "first_treat"})
df["treated"] = ((df.first_treat > 0) & (df.year >= df.first_treat)).astype(int)

res = bacondecomp(df, "lemp", "treated", "countyreal", "year", ddetail=True, verbose=False)
res.two_by_two.to_csv(here / "mpdta_bacon_2x2.csv", index=False)

out = {}
fit = pf.feols("lemp ~ treated | countyreal + year", data=df, vcov={"CRV1": "countyreal"},
               ssc=pf.ssc(k_adj=False, G_adj=True))
out["twfe_coefficient"] = float(fit.coef()["treated"])
out["twfe_se_cluster_adj_only"] = float(fit.se()["treated"])
fit = pf.feols("lemp ~ treated | countyreal + year", data=df, vcov={"CRV1": "countyreal"},
               ssc=pf.ssc(k_adj=False, G_adj=False))
out["twfe_se_no_adj"] = float(fit.se()["treated"])
fit = pf.feols("lemp ~ treated | countyreal + year", data=df, vcov={"CRV1": "countyreal"},
               ssc=pf.ssc(k_adj=True, k_fixef="nonnested", G_adj=True))
out["twfe_se_nested"] = float(fit.se()["treated"])

# BJS imputation by hand around pyfixest: fixed effects fitted on the untreated rows, the untreated
# outcome predicted for the treated rows, effects averaged overall and by event time.
first = pf.feols("lemp ~ 1 | countyreal + year", data=df[df.treated == 0], fixef_rm="none")
treated = df[df.treated == 1].copy()
treated["tau"] = treated.lemp - first.predict(newdata=treated)
assert treated.tau.notna().all(), "pyfixest could not predict some treated rows"
out["imputation_att"] = float(treated.tau.mean())
treated["rel"] = treated.year - treated.first_treat
out["imputation_by_event_time"] = {str(int(e)): float(v) for e, v in treated.groupby("rel").tau.mean().items()}

# BJS conservative standard errors (their equations 6, 8 and 10, as R didimputation implements them:
# tau centred on its cohort x event-time cell mean weighted by v^2, no leave-out), written out
# with a dense pseudo-inverse so that it checks the crate's reduced solve independently.
import numpy as np

units = np.sort(df.countyreal.unique())
years = np.sort(df.year.unique())
Z = np.zeros((len(df), len(units) + len(years)))
Z[np.arange(len(df)), np.searchsorted(units, df.countyreal)] = 1.0
Z[np.arange(len(df)), len(units) + np.searchsorted(years, df.year)] = 1.0
is_t = df.treated.to_numpy() == 1
Z0, Z1 = Z[~is_t], Z[is_t]
proj = np.linalg.pinv(Z0.T @ Z0)
theta = proj @ Z0.T @ df.lemp.to_numpy()[~is_t]
adj = df.lemp.to_numpy() - Z @ theta
assert abs(adj[is_t].mean() - out["imputation_att"]) < 1e-10
rel = (df.year - df.first_treat).to_numpy()


def bjs_se(w1):
    v = np.zeros(len(df))
    v[is_t] = w1
    v[~is_t] = -(Z0 @ (proj @ (Z1.T @ w1)))
    centred = adj.copy()
    for g in df.first_treat[is_t].unique():
        for e in np.unique(rel[is_t]):
            cell = is_t & (df.first_treat.to_numpy() == g) & (rel == e)
            if cell.any() and (v[cell] ** 2).sum() > 0:
                centred[cell] -= (v[cell] ** 2 * adj[cell]).sum() / (v[cell] ** 2).sum()
    score = pd.Series(v * centred).groupby(df.countyreal.to_numpy()).sum()
    return float(np.sqrt((score ** 2).sum()))


n1 = is_t.sum()
out["imputation_se"] = bjs_se(np.full(n1, 1.0 / n1))
out["imputation_se_by_event_time"] = {}
for e in np.unique(rel[is_t]):
    m = (rel[is_t] == e).astype(float)
    out["imputation_se_by_event_time"][str(int(e))] = bjs_se(m / m.sum())
(here / "mpdta_twfe_reference.json").write_text(json.dumps(out, indent=2) + "\n")
print(json.dumps(out, indent=2))
print(res.two_by_two)
