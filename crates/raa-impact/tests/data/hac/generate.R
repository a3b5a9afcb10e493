# Reference Newey-West covariances for tests/hac_newey_west.rs, made with R 4.2 and sandwich.
# Run from this folder: Rscript generate.R  (writes case_*.csv and references_r.csv)
# Every case is a short time series in time order. For each case and each lag L we store
# sandwich::NeweyWest(fit, lag = L, prewhite = FALSE, adjust = FALSE/TRUE), all p x p entries.
suppressPackageStartupMessages(library(sandwich))
set.seed(20261123)

ar1 <- function(n, phi, sd = 1) as.numeric(arima.sim(list(ar = phi), n, sd = sd))

# Segmented ITS design: intercept, time, step at t0, slope (t - t0) * step, Fourier pairs.
design <- function(n, t0, fourier = 0, period = 12) {
  t <- seq_len(n)
  step <- as.numeric(t >= t0)
  X <- cbind("(Intercept)" = 1, time = t, step = step, slope = (t - t0) * step)
  for (k in seq_len(fourier)) {
    X <- cbind(X, sin(2 * pi * k * t / period), cos(2 * pi * k * t / period))
    colnames(X)[ncol(X) - 1:0] <- paste0(c("sin", "cos"), k)
  }
  X
}

cases <- list()
add <- function(name, X, family, y, w = NULL, offset = NULL, lags) {
  cases[[name]] <<- list(X = X, family = family, y = y, w = w, offset = offset, lags = lags)
}

X <- design(20, 11)[, 1:2]
add("ols_n20_trend", X, "gaussian", 2 + 0.3 * X[, 2] + ar1(20, 0.5), lags = c(0, 1, 2, 5))
X <- design(40, 21)
add("ols_n40_its", X, "gaussian", 10 + 0.2 * X[, 2] - 3 * X[, 3] + ar1(40, 0.6, 2), lags = c(1, 3))
X <- design(59, 37, fourier = 1)
add("ols_n59_season", X, "gaussian", 50 + X %*% c(0, 0.1, -5, 0.3, 2, -1) + ar1(59, 0.3, 3),
    lags = c(1, 2, 3))
X <- design(120, 61, fourier = 2)
add("ols_n120_season2", X, "gaussian", 5 + X %*% c(0, 0.05, 1, -0.02, 1, 0.5, -0.3, 0.2) + ar1(120, 0.7),
    lags = c(4, 10))
X <- design(25, 13)[, 1:3]
add("ols_n25_longlag", X, "gaussian", 1 + X[, 3] + ar1(25, -0.4), lags = c(24, 30))
X <- design(40, 21)
w <- runif(40, 0.5, 3)
add("wls_n40_its", X, "gaussian", 20 + X %*% c(0, 0.4, -2, 0.1) + ar1(40, 0.5) / sqrt(w), w = w,
    lags = c(1, 2))
X <- design(60, 31, fourier = 1)[, -4]
w <- rpois(60, 8) + 1
add("wls_n60_season", X, "gaussian", 100 + X %*% c(0, -0.5, 4, 3, 1) + ar1(60, 0.4, 5) / sqrt(w),
    w = w, lags = c(3))
# Zero prior weights (rows left out of the fit but kept in the time axis): sandwich's bread.lm counts
# the n_used positive-weight rows while meatHAC divides by all n rows, so R's figure is
# (n_used/n)^2 times B Omega B; statsmodels' WLS gives B Omega B itself.
X <- design(30, 16)
w <- rep(1, 30); w[16:18] <- 0
add("zw_n30_its", X, "gaussian", 3 + X %*% c(0, 0.2, -1, 0.05) + ar1(30, 0.5), w = w, lags = c(2))
X <- design(48, 25)
pop <- runif(48, 9e4, 1.1e5)
mu <- exp(log(pop / 1e4) + X %*% c(1.5, 0.005, -0.15, 0.003))
add("pois_n48_its", X, "poisson", rpois(48, mu), offset = log(pop / 1e4), lags = c(1, 2))
X <- design(60, 37, fourier = 1)
pop <- runif(60, 3.6e5, 3.8e5)
mu <- exp(log(pop / 1e5) + X %*% c(5, 0.002, -0.1, 0.001, 0.05, -0.03))
add("qpois_n60_season", X, "quasipoisson", rnbinom(60, size = 30, mu = mu), offset = log(pop / 1e5),
    lags = c(2, 3))
X <- design(200, 101)[, c(1, 2, 3)]
mu <- exp(X %*% c(1, 0.004, 0.2))
add("pois_n200_step", X, "poisson", rpois(200, mu), lags = c(5))

fmt <- function(x) sprintf("%.17g", x)
refs <- list()
for (name in names(cases)) {
  cs <- cases[[name]]
  X <- cs$X
  p <- ncol(X)
  names_x <- colnames(X)
  colnames(X) <- paste0("x", seq_len(p) - 1)
  df <- data.frame(X, y = as.numeric(cs$y))
  off <- if (is.null(cs$offset)) rep(0, nrow(X)) else cs$offset
  if (cs$family == "gaussian") {
    w <- if (is.null(cs$w)) rep(1, nrow(X)) else cs$w
    fit <- lm(y ~ 0 + ., data = df, weights = w)
    out <- data.frame(df, weight = w, residual = residuals(fit))
  } else {
    fam <- if (cs$family == "poisson") poisson() else quasipoisson()
    fit <- glm(y ~ 0 + ., data = df, family = fam, offset = off, control = glm.control(epsilon = 1e-14, maxit = 100))
    out <- data.frame(df, offset = off, working_weight = fit$weights, working_residual = fit$residuals)
  }
  write.csv(data.frame(lapply(out, fmt), check.names = FALSE), paste0("case_", name, ".csv"),
            row.names = FALSE, quote = FALSE)
  for (L in cs$lags) for (adj in c(FALSE, TRUE)) {
    V <- NeweyWest(fit, lag = L, prewhite = FALSE, adjust = adj)
    refs[[length(refs) + 1]] <- data.frame(case = name, family = cs$family, lag = L, adjust = adj,
      i = rep(seq_len(p) - 1, p), j = rep(seq_len(p) - 1, each = p), value = fmt(as.vector(t(V))))
  }
}

# The oracle: Sicily, rate per 100,000, OLS on smokban + time + post, NeweyWest(lag = 1).
si <- read.csv("sicily.csv")
si$rate <- si$aces / si$stdpop * 1e5
si$post <- pmax(si$time - 36, 0) * si$smokban
fit <- lm(rate ~ smokban + time + post, data = si)
for (L in c(1, 3)) for (adj in c(FALSE, TRUE)) {
  V <- NeweyWest(fit, lag = L, prewhite = FALSE, adjust = adj)
  refs[[length(refs) + 1]] <- data.frame(case = "sicily", family = "gaussian", lag = L, adjust = adj,
    i = rep(0:3, 4), j = rep(0:3, each = 4), value = fmt(as.vector(t(V))))
}
cat("sicily smokban", coef(fit)["smokban"], sqrt(NeweyWest(fit, lag = 1, prewhite = FALSE)[2, 2]), "\n")
# sandwich's own default lag is data driven (bwNeweyWest), not floor(4 (n/100)^(2/9)):
cat("sicily NeweyWest default lag (bwNeweyWest, prewhite = FALSE):",
    floor(bwNeweyWest(fit, prewhite = FALSE)), " rule of thumb:", floor(4 * (59 / 100)^(2 / 9)), "\n")
write.csv(do.call(rbind, refs), "references_r.csv", row.names = FALSE, quote = FALSE)
