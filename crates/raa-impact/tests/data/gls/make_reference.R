# Reference figures for tests/gls_ar1.rs and tests/gls_prais.rs.
# Run from this folder: Rscript make_reference.R   (R 4.2, nlme 3.1-162)
# Writes series.csv (generated series), ar1_reference.csv (nlme::gls AR(1) ML/REML at tight control,
# plus the optimum of the closed-form profile found by optimize() as a check of nlme's convergence)
# ar1_residuals.csv (nlme's response and normalized residuals on Sicily)
# and prais_reference.csv (Prais–Winsten / Cochrane–Orcutt computed by hand below).
library(nlme)
set.seed(20261123)

ar1_noise <- function(n, phi, sd) {
  e <- numeric(n)
  e[1] <- rnorm(1, sd = sd / sqrt(1 - phi^2))
  for (t in 2:n) e[t] <- phi * e[t - 1] + rnorm(1, sd = sd)
  e
}

# n, number of covariates (besides the intercept), true phi
specs <- data.frame(
  n   = c(20, 25, 30, 40, 59, 80, 100, 120, 150, 200),
  k   = c(1, 2, 3, 4, 5, 3, 2, 5, 4, 1),
  phi = c(-0.5, 0.0, 0.3, 0.6, 0.2, 0.8, -0.2, 0.45, 0.7, 0.9)
)

make_x <- function(n, k) {
  t <- seq_len(n)
  t0 <- floor(n / 2)
  step <- as.numeric(t > t0)
  cand <- cbind(time = t, step = step, slope = pmax(t - t0, 0),
                s1 = sin(2 * pi * t / 12), c1 = cos(2 * pi * t / 12))
  cand[, seq_len(k), drop = FALSE]
}

rows <- list(); series <- list()
for (s in seq_len(nrow(specs))) {
  n <- specs$n[s]; k <- specs$k[s]
  X <- make_x(n, k)
  beta <- c(10, c(0.5, -3, 0.2, 1.5, -1)[seq_len(k)])
  y <- drop(cbind(1, X) %*% beta) + ar1_noise(n, specs$phi[s], 2)
  colnames(X) <- paste0("x", seq_len(k))
  series[[s]] <- list(X = X, y = y)
  full <- matrix(NA_real_, n, 5); full[, seq_len(k)] <- X
  rows[[s]] <- data.frame(series = s, k = k, row = seq_len(n) - 1, y = y,
                          x1 = full[, 1], x2 = full[, 2], x3 = full[, 3], x4 = full[, 4], x5 = full[, 5])
}
write.csv(do.call(rbind, rows), "series.csv", row.names = FALSE, na = "")

# Closed-form profile (nlme's scaling: row 1 as is, later rows (v_t - phi v_{t-1}) / sqrt(1 - phi^2)).
whiten <- function(v, phi) { n <- length(v); r <- v; r[-1] <- (v[-1] - phi * v[-n]) / sqrt(1 - phi^2); r }
profile_ll <- function(phi, X, y, method) {
  n <- nrow(X); p <- ncol(X)
  Xs <- apply(X, 2, whiten, phi = phi); ys <- whiten(y, phi)
  Q <- sum(lm.fit(Xs, ys)$residuals^2)
  ldR <- (n - 1) * log(1 - phi^2)
  if (method == "ML") -n / 2 * (log(2 * pi) + 1 + log(Q / n)) - ldR / 2
  else -(n - p) / 2 * (log(2 * pi) + 1 + log(Q / (n - p))) - ldR / 2 -
    0.5 * as.numeric(determinant(crossprod(Xs))$modulus)
}

ctl <- glsControl(tolerance = 1e-12, msTol = 1e-12, maxIter = 1000, msMaxIter = 1000)
fit_one <- function(id, X, y) {
  out <- list()
  d <- data.frame(y = y, X)
  f_rhs <- paste("y ~", paste(colnames(X), collapse = " + "))
  for (m in c("ML", "REML")) {
    f <- gls(as.formula(f_rhs), data = d, correlation = corAR1(), method = m, control = ctl)
    tt <- summary(f)$tTable
    phi <- coef(f$modelStruct$corStruct, unconstrained = FALSE)
    ci <- tryCatch(intervals(f, which = "var-cov")$corStruct, error = function(e) matrix(NA, 1, 3))
    Xi <- cbind(1, X)
    opt <- optimize(function(z) -profile_ll(tanh(z / 2), Xi, y, m), c(-12, 12), tol = 1e-12)
    # nlme itself at the precise optimum (phi fixed there), to separate nlme's convergence error
    # from the fit's arithmetic.
    phi_opt <- tanh(opt$minimum / 2)
    # The same Wald interval as intervals(), but from a central second difference (step 1e-3) of
    # the closed-form profile instead of nlme's fdHess, which is accurate only to ~1e-3 relative.
    prof_z <- function(z) profile_ll(tanh(z / 2), Xi, y, m)
    h <- 1e-3
    curv <- -(prof_z(opt$minimum + h) - 2 * prof_z(opt$minimum) + prof_z(opt$minimum - h)) / h^2
    half <- qnorm(0.975) / sqrt(curv)
    # Profile values approaching the boundary, to show where the optimum is at |phi| -> 1.
    edge <- sapply(c(6, 9, 12, 16), prof_z)
    g <- gls(as.formula(f_rhs), data = d, correlation = corAR1(value = phi_opt, fixed = TRUE),
             method = m, control = ctl)
    go <- summary(g)$tTable
    out[[m]] <- data.frame(series = id, method = m, term = rownames(tt),
      opt_estimate = go[, 1], opt_se = go[, 2], opt_t = go[, 3], opt_p = go[, 4],
      opt_sigma = g$sigma, opt_loglik = as.numeric(logLik(g)), opt_aic = AIC(g), opt_bic = BIC(g),
      estimate = tt[, 1], se = tt[, 2], t = tt[, 3], p = tt[, 4],
      phi = phi, sigma = f$sigma, loglik = as.numeric(logLik(f)), aic = AIC(f), bic = BIC(f),
      phi_lower = ci[1, 1], phi_upper = ci[1, 3], profile_phi = phi_opt,
      curv_lower = tanh((opt$minimum - half) / 2), curv_upper = tanh((opt$minimum + half) / 2),
      profile_z6 = edge[1], profile_z9 = edge[2], profile_z12 = edge[3], profile_z16 = edge[4])
  }
  do.call(rbind, out)
}

d <- read.csv("sicily.csv")
d$rate <- d$aces / d$stdpop * 1e5
d$post <- pmax(d$time - 36, 0) * d$smokban
ref <- list(fit_one(0, as.matrix(d[, c("smokban", "time", "post")]), d$rate))
for (s in seq_along(series)) ref[[s + 1]] <- fit_one(s, series[[s]]$X, series[[s]]$y)
write.csv(do.call(rbind, ref), "ar1_reference.csv", row.names = FALSE)

# nlme's normalized residuals on Sicily (whitened residuals / sigma), at nlme's own free fits.
res <- list()
for (m in c("ML", "REML")) {
  f <- gls(rate ~ smokban + time + post, data = d, correlation = corAR1(), method = m, control = ctl)
  res[[m]] <- data.frame(method = m, row = seq_len(nrow(d)) - 1,
                         response = as.numeric(residuals(f, type = "response")),
                         normalized = as.numeric(residuals(f, type = "normalized")))
}
write.csv(do.call(rbind, res), "ar1_residuals.csv", row.names = FALSE)

# Prais–Winsten (keep row 1, scaled by sqrt(1 - rho^2)) and Cochrane–Orcutt (drop row 1), rho from the
# regression of residuals on lagged residuals without a constant, iterated to |change| < 1e-12, or once
# (two-step). Standard errors from OLS on the transformed data.
pw <- function(X, y, keep_first, iterate) {
  n <- nrow(X)
  tr <- function(M, rho) {
    M <- as.matrix(M)
    body <- M[-1, , drop = FALSE] - rho * M[-n, , drop = FALSE]
    if (keep_first) rbind(sqrt(1 - rho^2) * M[1, , drop = FALSE], body) else body
  }
  b <- lm.fit(X, y)$coefficients; rho <- 0; it <- 0
  repeat {
    e <- drop(y - X %*% b)
    new_rho <- sum(e[-1] * e[-n]) / sum(e[-n]^2)
    it <- it + 1
    o <- lm.fit(tr(X, new_rho), tr(y, new_rho)); b <- o$coefficients
    done <- !iterate || abs(new_rho - rho) < 1e-12
    rho <- new_rho
    if (done || it > 1000) break
  }
  Xs <- tr(X, rho); ys <- tr(y, rho)
  o <- lm.fit(Xs, ys)
  s2 <- sum(o$residuals^2) / (nrow(Xs) - ncol(X))
  se <- sqrt(diag(solve(crossprod(Xs))) * s2)
  list(b = o$coefficients, se = se, rho = rho)
}
prows <- list()
add <- function(id, X, y, names) {
  X <- cbind(1, X)
  for (v in list(list("prais", TRUE, TRUE), list("prais_twostep", TRUE, FALSE),
                 list("cochrane_orcutt", FALSE, TRUE), list("cochrane_orcutt_twostep", FALSE, FALSE))) {
    r <- pw(X, y, v[[2]], v[[3]])
    prows[[length(prows) + 1]] <<- data.frame(series = id, variant = v[[1]], term = names,
      estimate = r$b, se = r$se, rho = r$rho)
  }
}
add(0, as.matrix(d[, c("smokban", "time", "post")]), d$rate, c("(Intercept)", "smokban", "time", "post"))
for (s in seq_along(series)) add(s, series[[s]]$X, series[[s]]$y, c("(Intercept)", colnames(series[[s]]$X)))
write.csv(do.call(rbind, prows), "prais_reference.csv", row.names = FALSE)
