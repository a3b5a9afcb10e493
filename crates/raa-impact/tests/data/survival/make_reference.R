# Reference figures for tests/survival_*.rs, computed with R's survival package.
# Run from this directory: Rscript make_reference.R   (R 4.2, survival 3.5-3)
# Every number is written with 17 significant digits.
suppressMessages(library(survival))
g17 <- function(x) ifelse(is.na(x), "NaN", ifelse(is.infinite(x), ifelse(x > 0, "inf", "-inf"), sprintf("%.17g", x)))
wcsv <- function(df, file) {
  out <- as.data.frame(lapply(df, function(col) if (is.numeric(col)) g17(col) else col))
  write.csv(out, file, row.names = FALSE, quote = FALSE)
}
scalars <- list()
put <- function(name, value) scalars[[name]] <<- value

# KM curve with S's standard error (logse tells whether std.err is on the log scale).
km_table <- function(f) {
  se <- if (isTRUE(f$logse)) f$std.err * f$surv else f$std.err
  data.frame(time = f$time, n_risk = f$n.risk, n_event = f$n.event, n_censor = f$n.censor,
             surv = f$surv, std_err = se, lower = f$lower, upper = f$upper)
}

# ---- data set 1: veteran (137 rows), treated = trt == 2, random weights, clusters of ~4 rows
set.seed(20261123)
vet <- veteran
vet$treated <- as.integer(vet$trt == 2)
vet$w <- round(runif(nrow(vet), 0.25, 3), 6)
vet$cluster <- sample(1:35, nrow(vet), replace = TRUE)
wcsv(vet[, c("time", "status", "treated", "w", "cluster")], "veteran.csv")

f <- survfit(Surv(time, status) ~ 1, data = vet)
wcsv(km_table(f), "veteran_km.csv")
fw <- survfit(Surv(time, status) ~ 1, data = vet, weights = w)  # robust (IJ) by default for non-integer weights
wcsv(km_table(fw), "veteran_km_weighted.csv")
tab <- summary(f, rmean = 200)$table
put("veteran_median", tab[["median"]]); put("veteran_rmean200", tab[["rmean"]]); put("veteran_se_rmean200", tab[["se(rmean)"]])
tabw <- summary(fw, rmean = 200)$table
put("veteran_w_median", tabw[["median"]]); put("veteran_w_rmean200", tabw[["rmean"]])

# RMST by arm up to tau (Greenwood-based se(rmean), as survRM2)
tau <- 365
fa <- survfit(Surv(time, status) ~ treated, data = vet)
ta <- summary(fa, rmean = tau)$table
put("veteran_rmst_treated", ta["treated=1", "rmean"]); put("veteran_rmst_control", ta["treated=0", "rmean"])
put("veteran_rmst_se_greenwood", sqrt(ta["treated=1", "se(rmean)"]^2 + ta["treated=0", "se(rmean)"]^2))

# RMST sandwich: survfit's infinitesimal-jackknife influence of S (already multiplied by the
# weight), integrated over [0, tau], signed by arm, summed within clusters.
rmst_if <- function(dat) {
  dat$id <- seq_len(nrow(dat))
  fi <- survfit(Surv(time, status) ~ 1, data = dat, weights = w, id = id, robust = TRUE, influence = TRUE)
  keep <- fi$time < tau
  widths <- diff(c(fi$time[keep], tau))
  list(rmst = sum(diff(c(0, fi$time[keep], tau)) * c(1, fi$surv[keep])),
       inf = as.vector(fi$influence.surv[, keep, drop = FALSE] %*% widths), id = dat$id)
}
for (wt in c("unit", "weighted")) {
  d2 <- vet
  if (wt == "unit") d2$w <- 1
  a1 <- rmst_if(d2[d2$treated == 1, ]); a0 <- rmst_if(d2[d2$treated == 0, ])
  contrib <- c(a1$inf, -a0$inf)
  cl <- c(d2$cluster[d2$treated == 1], d2$cluster[d2$treated == 0])
  put(paste0("veteran_rmst_", wt, "_estimate"), a1$rmst - a0$rmst)
  put(paste0("veteran_rmst_", wt, "_se_rows"), sqrt(sum(contrib^2)))
  put(paste0("veteran_rmst_", wt, "_se_cluster"), sqrt(sum(rowsum(contrib, cl)^2)))
}

# Cox, Efron ties (default)
cx <- coxph(Surv(time, status) ~ treated, data = vet)
put("veteran_cox_coef", coef(cx)); put("veteran_cox_se", sqrt(vcov(cx)[1, 1]))
cxc <- coxph(Surv(time, status) ~ treated, data = vet, cluster = cluster)
put("veteran_cox_robust_se", sqrt(vcov(cxc)[1, 1])); put("veteran_cox_naive_se", sqrt(cxc$naive.var[1, 1]))
put("veteran_cox_robust_p", summary(cxc)$coefficients[1, "Pr(>|z|)"])
cxw <- coxph(Surv(time, status) ~ treated, data = vet, weights = w, cluster = cluster)
put("veteran_coxw_coef", coef(cxw)); put("veteran_coxw_naive_se", sqrt(cxw$naive.var[1, 1]))
put("veteran_coxw_robust_se", sqrt(vcov(cxw)[1, 1]))
cxr <- coxph(Surv(time, status) ~ treated, data = vet, weights = w, robust = TRUE)
put("veteran_coxw_rowrobust_se", sqrt(vcov(cxr)[1, 1]))

# ---- data set 2: lung (228 rows, many ties), treated = sex == 2, clusters = institution
lung2 <- lung[!is.na(lung$inst), ]
lung2$event <- as.integer(lung2$status == 2)
lung2$treated <- as.integer(lung2$sex == 2)
wcsv(data.frame(time = lung2$time, status = lung2$event, treated = lung2$treated, cluster = lung2$inst), "lung.csv")
fl <- survfit(Surv(time, event) ~ 1, data = lung2)
wcsv(km_table(fl), "lung_km.csv")
put("lung_median", summary(fl)$table[["median"]])
cl2 <- coxph(Surv(time, event) ~ treated, data = lung2, cluster = inst)
put("lung_cox_coef", coef(cl2)); put("lung_cox_naive_se", sqrt(cl2$naive.var[1, 1])); put("lung_cox_robust_se", sqrt(vcov(cl2)[1, 1]))

# ---- data set 3: generated competing risks with ties and weights
set.seed(7)
n <- 300
t1 <- rexp(n, 1 / 300); t2 <- rexp(n, 1 / 600); cens <- runif(n, 0, 900)
time <- ceiling(pmin(t1, t2, cens) / 7) * 7     # weekly rounding makes ties
status <- ifelse(cens < pmin(t1, t2), 0L, ifelse(t1 <= t2, 1L, 2L))
w <- round(runif(n, 0.5, 2), 6)
cr <- data.frame(time = time, status = status, w = w)
wcsv(cr, "competing.csv")
for (wt in c("unit", "weighted")) {
  fc <- if (wt == "unit") survfit(Surv(time, factor(status)) ~ 1, data = cr)
        else survfit(Surv(time, factor(status)) ~ 1, data = cr, weights = w)
  wcsv(data.frame(time = fc$time, incidence = fc$pstate[, 2], std_err = fc$std.err[, 2]),
       paste0("competing_aj_", wt, ".csv"))
}

wcsv(data.frame(name = names(scalars), value = unlist(scalars)), "scalars.csv")
