# Reference figures for AR(p) GLS (tests/gls_arp.rs): nlme::gls(correlation = corARMA(p = 2 or 3))
# by ML and REML on Sicily (series 0) and generated series of series.csv.
# Run from this folder after make_reference.R: Rscript make_reference_arp.R   (R 4.2, nlme 3.1-162)
# Writes arp_reference.csv: nlme's free fit (phi1..phi3, coefficients, SEs, logLik, AIC, BIC); `ref_phi*`,
# the optimum of the exact likelihood written independently below (correlation matrix from
# stats::ARMAacf, optimised by optim(BFGS, reltol 1e-15) from nlme's solution); and `opt_*`, nlme with
# the AR coefficients fixed at that optimum.
library(nlme)
ctl <- glsControl(tolerance = 1e-12, msTol = 1e-12, maxIter = 1000, msMaxIter = 1000)

exact_ll <- function(ar, X, y, method) {
  n <- nrow(X); k <- ncol(X)
  R <- toeplitz(ARMAacf(ar = ar, lag.max = n - 1))
  U <- chol(R)                      # R = U'U
  Xs <- backsolve(U, X, transpose = TRUE); ys <- backsolve(U, y, transpose = TRUE)
  Q <- sum(lm.fit(Xs, ys)$residuals^2)
  ldR <- 2 * sum(log(diag(U)))
  if (method == "ML") -n / 2 * (log(2 * pi) + 1 + log(Q / n)) - ldR / 2
  else -(n - k) / 2 * (log(2 * pi) + 1 + log(Q / (n - k))) - ldR / 2 -
    0.5 * as.numeric(determinant(crossprod(Xs))$modulus)
}

s <- read.csv("series.csv")
d <- read.csv("sicily.csv")
d$rate <- d$aces / d$stdpop * 1e5
d$post <- pmax(d$time - 36, 0) * d$smokban
cases <- list(list(id = 0, order = 2, X = as.matrix(d[, c("smokban", "time", "post")]), y = d$rate))
for (spec in list(c(3, 2), c(5, 2), c(8, 3), c(9, 2), c(10, 2))) {
  g <- s[s$series == spec[1], ]
  k <- g$k[1]
  X <- as.matrix(g[, paste0("x", seq_len(k)), drop = FALSE])
  cases[[length(cases) + 1]] <- list(id = spec[1], order = spec[2], X = X, y = g$y)
}

out <- list()
for (cs in cases) {
  dd <- data.frame(y = cs$y, cs$X)
  fml <- as.formula(paste("y ~", paste(colnames(cs$X), collapse = " + ")))
  Xi <- cbind(1, cs$X)
  for (m in c("ML", "REML")) {
    f <- gls(fml, data = dd, correlation = corARMA(p = cs$order), method = m, control = ctl)
    ar <- coef(f$modelStruct$corStruct, unconstrained = FALSE)
    o <- optim(ar, function(a) {
      v <- tryCatch(-exact_ll(a, Xi, cs$y, m), error = function(e) 1e10)
      if (is.finite(v)) v else 1e10
    }, method = "BFGS", control = list(reltol = 1e-15, maxit = 1000, ndeps = rep(1e-6, cs$order)))
    g <- gls(fml, data = dd, correlation = corARMA(value = o$par, p = cs$order, fixed = TRUE),
             method = m, control = ctl)
    tt <- summary(f)$tTable; go <- summary(g)$tTable
    phis <- c(ar, rep(NA, 3 - cs$order)); refp <- c(o$par, rep(NA, 3 - cs$order))
    out[[length(out) + 1]] <- data.frame(series = cs$id, order = cs$order, method = m,
      term = rownames(tt), estimate = tt[, 1], se = tt[, 2],
      phi1 = phis[1], phi2 = phis[2], phi3 = phis[3], sigma = f$sigma,
      loglik = as.numeric(logLik(f)), aic = AIC(f), bic = BIC(f),
      ref_phi1 = refp[1], ref_phi2 = refp[2], ref_phi3 = refp[3], ref_loglik = -o$value,
      opt_estimate = go[, 1], opt_se = go[, 2], opt_t = go[, 3], opt_p = go[, 4],
      opt_sigma = g$sigma, opt_loglik = as.numeric(logLik(g)))
  }
}
write.csv(do.call(rbind, out), "arp_reference.csv", row.names = FALSE)
