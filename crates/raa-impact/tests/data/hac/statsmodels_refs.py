"""Reference HAC covariances from statsmodels for tests/hac_newey_west.rs (OLS and WLS cases).

Run from this folder after generate.R:  python3 statsmodels_refs.py  (writes references_statsmodels.csv)
For each Gaussian case: OLS/WLS fit with cov_type="HAC", cov_kwds={"maxlags": L, "use_correction": c},
for the lags R used, plus the default lag (sandwich_covariance.cov_hac with nlags=None, the rule
floor(4 (n/100)^(2/9))), stored as lag "default".
"""
import csv
import glob

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm
from statsmodels.stats import sandwich_covariance as sw

refs = pd.read_csv("references_r.csv")
rows = []


def store(case, lag, correction, cov):
    p = cov.shape[0]
    for i in range(p):
        for j in range(p):
            rows.append([case, lag, correction, i, j, repr(float(cov[i, j]))])


def fit_case(case):
    if case == "sicily":
        si = pd.read_csv("sicily.csv")
        rate = si.aces / si.stdpop * 1e5
        post = np.maximum(si.time - 36, 0) * si.smokban
        X = np.column_stack([np.ones(len(si)), si.smokban, si.time, post])
        return sm.OLS(rate.to_numpy(), X)
    d = pd.read_csv(f"case_{case}.csv")
    X = d.filter(regex=r"^x\d+$").to_numpy()
    return sm.WLS(d.y.to_numpy(), X, weights=d.weight.to_numpy())


for case in refs[refs.family == "gaussian"].case.unique():
    model = fit_case(case)
    for lag in sorted(refs[refs.case == case].lag.unique()):
        for correction in (False, True):
            res = model.fit(cov_type="HAC", cov_kwds={"maxlags": int(lag), "use_correction": correction})
            store(case, str(lag), correction, res.cov_params())
    plain = model.fit()
    for correction in (False, True):
        store(case, "default", correction, sw.cov_hac(plain, nlags=None, use_correction=correction))

with open("references_statsmodels.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["case", "lag", "use_correction", "i", "j", "value"])
    w.writerows(rows)
print("statsmodels", statsmodels.__version__, len(rows), "rows")
