"""Reference residual diagnostics from statsmodels for tests/diagnostics_residuals.rs.

Run from this folder after generate.R:  python3 statsmodels_refs.py  (writes references_statsmodels.csv)
On R's OLS residuals stored by generate.R (so that the figures compare the tests, not two least-squares
solvers); acorr_breusch_godfrey gets them through a stand-in results object with the same `resid`,
`model.exog` and `k_constant` as statsmodels' OLS fit: acf(adjusted=False), pacf with methods "ldb", "ywm" and the
default "ywadjusted" (stored as test pacf_<method>), acorr_ljungbox(model_df=fitdf, boxpierce=True),
acorr_breusch_godfrey(OLS fit, nlags) and durbin_watson.
"""
import csv
import glob
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm
from statsmodels.stats.diagnostic import acorr_breusch_godfrey, acorr_ljungbox
from statsmodels.stats.stattools import durbin_watson
from statsmodels.tsa.stattools import acf, pacf

warnings.simplefilter("ignore")
refs = pd.read_csv("references_r.csv")
rows = []


def put(case, test, lag, fitdf, field, value):
    rows.append([case, test, lag, fitdf, field, repr(float(value))])


for path in sorted(glob.glob("series_*.csv")):
    case = path[len("series_"):-len(".csv")]
    d = pd.read_csv(path)
    X = d.filter(regex=r"^x\d+$").to_numpy()
    ols = sm.OLS(d.y.to_numpy(), X).fit()
    e = d.residual.to_numpy()
    fit = SimpleNamespace(resid=e, model=SimpleNamespace(exog=X), k_constant=ols.k_constant)
    r = refs[refs.case == case]
    K = int(r[r.test == "acf"].lag.max())
    for k, v in enumerate(acf(e, nlags=K, adjusted=False, fft=False)):
        put(case, "acf", k, 0, "value", v)
    for method in ("ldb", "ywm", "ywadjusted"):
        kmax = min(K, len(e) // 2 - 1)  # statsmodels' pacf allows nlags < nobs // 2 only
        for k, v in enumerate(pacf(e, nlags=kmax, method=method)):
            if k > 0:
                put(case, f"pacf_{method}", k, 0, "value", v)
    for (h, fitdf) in r[r.test == "ljung_box"][["lag", "fitdf"]].drop_duplicates().itertuples(index=False):
        lb = acorr_ljungbox(e, lags=[h], model_df=fitdf, boxpierce=True)
        put(case, "ljung_box", h, fitdf, "statistic", lb.lb_stat.iloc[0])
        put(case, "ljung_box", h, fitdf, "p_value", lb.lb_pvalue.iloc[0])
        put(case, "box_pierce", h, fitdf, "statistic", lb.bp_stat.iloc[0])
        put(case, "box_pierce", h, fitdf, "p_value", lb.bp_pvalue.iloc[0])
    for order in r[r.test == "bg_chisq"].lag.unique():
        lm, lmp, f, fp = acorr_breusch_godfrey(fit, nlags=int(order))
        put(case, "bg_chisq", order, 0, "statistic", lm)
        put(case, "bg_chisq", order, 0, "p_value", lmp)
        put(case, "bg_f", order, 0, "statistic", f)
        put(case, "bg_f", order, 0, "p_value", fp)
    put(case, "durbin_watson", 0, 0, "statistic", durbin_watson(e))

with open("references_statsmodels.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["case", "test", "lag", "fitdf", "field", "value"])
    w.writerows(rows)
print("statsmodels", statsmodels.__version__, len(rows), "rows")
