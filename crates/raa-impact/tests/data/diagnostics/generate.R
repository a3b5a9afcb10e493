# Reference residual diagnostics for tests/diagnostics_residuals.rs, made with R 4.2, lmtest and AER.
# Run from this folder: Rscript generate.R  (writes series_*.csv, counts_*.csv, references_r.csv)
# Series cases: y = X b + e with ITS designs and autocorrelated e; the diagnostics are computed on the
# OLS residuals (acf, pacf, Box.test, bgtest, dwtest). Count cases: Poisson glm fits, dispersiontest.
suppressPackageStartupMessages({ library(lmtest); library(AER) })
set.seed(5112026)
fmt <- function(x) sprintf("%.17g", x)

design <- function(n, t0, fourier = 0, period = 12, intercept = TRUE) {
  t <- seq_len(n)
  step <- as.numeric(t >= t0)
  X <- cbind(x0 = 1, time = t, step = step, slope = (t - t0) * step)
  for (k in seq_len(fourier)) X <- cbind(X, sin(2 * pi * k * t / period), cos(2 * pi * k * t / period))
  if (!intercept) X <- X[, -1, drop = FALSE]
  colnames(X) <- paste0("x", seq_len(ncol(X)) - 1)
  X
}
errors <- function(n, model, sd = 1) switch(model,
  white = rnorm(n, sd = sd),
  ar1 = as.numeric(arima.sim(list(ar = 0.6), n, sd = sd)),
  ar1neg = as.numeric(arima.sim(list(ar = -0.5), n, sd = sd)),
  ar2 = as.numeric(arima.sim(list(ar = c(0.5, 0.3)), n, sd = sd)),
  ma1 = as.numeric(arima.sim(list(ma = 0.7), n, sd = sd)),
  seasonal = as.numeric(arima.sim(list(ar = c(rep(0, 11), 0.5)), n, sd = sd)))

series <- list(
  list(name = "white_n40", X = design(40, 21), e = "white"),
  list(name = "ar1_n40", X = design(40, 21), e = "ar1"),
  list(name = "ar1neg_n48", X = design(48, 25), e = "ar1neg"),
  list(name = "ar2_n59", X = design(59, 37, fourier = 1), e = "ar2"),
  list(name = "ma1_n60", X = design(60, 31, fourier = 2), e = "ma1"),
  list(name = "seasonal_n60", X = design(60, 31), e = "seasonal"),
  list(name = "ar1_n20", X = design(20, 11), e = "ar1"),
  list(name = "white_n100", X = design(100, 51, fourier = 1), e = "white"),
  list(name = "ar1_n12", X = design(12, 7)[, 1:2], e = "ar1"),
  list(name = "noint_ar1_n40", X = design(40, 21, intercept = FALSE), e = "ar1"))

refs <- list()
put <- function(case, test, lag, fitdf, field, value)
  refs[[length(refs) + 1]] <<- data.frame(case = case, test = test, lag = lag, fitdf = fitdf,
                                          field = field, value = fmt(value))
for (s in series) {
  X <- s$X
  n <- nrow(X)
  y <- as.numeric(X %*% seq(2, by = 0.1, length.out = ncol(X)) + errors(n, s$e, sd = 2))
  fit <- lm(y ~ 0 + X)
  e <- residuals(fit)
  write.csv(data.frame(lapply(data.frame(X, y = y, residual = e), fmt)),
            paste0("series_", s$name, ".csv"), row.names = FALSE, quote = FALSE)
  K <- min(12, n - 1)
  a <- acf(e, lag.max = K, plot = FALSE)$acf
  for (k in 0:K) put(s$name, "acf", k, 0, "value", a[k + 1])
  pa <- pacf(e, lag.max = K, plot = FALSE)$acf
  for (k in 1:K) put(s$name, "pacf", k, 0, "value", pa[k])
  for (h in intersect(c(1, 4, 8, 12), 1:(n - 1))) for (fitdf in unique(c(0, min(1, h - 1)))) {
    for (type in c("Ljung-Box", "Box-Pierce")) {
      b <- Box.test(e, lag = h, type = type, fitdf = fitdf)
      test <- if (type == "Ljung-Box") "ljung_box" else "box_pierce"
      put(s$name, test, h, fitdf, "statistic", b$statistic)
      put(s$name, test, h, fitdf, "df", b$parameter)
      put(s$name, test, h, fitdf, "p_value", b$p.value)  # 1 - pchisq(Q, df), as Box.test does
      put(s$name, test, h, fitdf, "p_upper", pchisq(b$statistic, h - fitdf, lower.tail = FALSE))
    }
  }
  for (order in intersect(c(1, 2, 4), 1:(n - ncol(X) - 1))) for (type in c("Chisq", "F")) {
    b <- bgtest(y ~ 0 + X, order = order, type = type)
    test <- if (type == "Chisq") "bg_chisq" else "bg_f"
    put(s$name, test, order, 0, "statistic", b$statistic)
    put(s$name, test, order, 0, "df", b$parameter[1])
    if (type == "F") put(s$name, test, order, 0, "df2", b$parameter[2])
    put(s$name, test, order, 0, "p_value", b$p.value)
  }
  put(s$name, "durbin_watson", 0, 0, "statistic", dwtest(y ~ 0 + X)$statistic)
}

# Count series: Poisson glm fits (ITS design, offset), equidispersed and overdispersed counts.
counts <- list(
  list(name = "pois_n48", n = 48, size = Inf),
  list(name = "nb_n60", n = 60, size = 20),
  list(name = "nb_n100", n = 100, size = 5),
  list(name = "pois_n24_small", n = 24, size = Inf))
for (cc in counts) {
  X <- design(cc$n, cc$n %/% 2 + 1)
  pop <- runif(cc$n, 9e4, 1.1e5)
  mu <- exp(log(pop / 1e4) + X %*% c(1, 0.004, -0.15, 0.002))
  y <- if (is.infinite(cc$size)) rpois(cc$n, mu) else rnbinom(cc$n, size = cc$size, mu = mu)
  fit <- glm(y ~ 0 + X, family = poisson(), offset = log(pop / 1e4),
             control = glm.control(epsilon = 1e-14, maxit = 100))
  write.csv(data.frame(y = fmt(y), mu = fmt(fitted(fit))), paste0("counts_", cc$name, ".csv"),
            row.names = FALSE, quote = FALSE)
  for (trafo in list(NULL, 2)) for (alt in c("greater", "two.sided", "less")) {
    d <- dispersiontest(fit, trafo = trafo, alternative = alt)
    test <- if (is.null(trafo)) "dispersion_linear" else "dispersion_quadratic"
    if (alt == "greater") {
      put(cc$name, test, 0, 0, "statistic", d$statistic)
      put(cc$name, test, 0, 0, "estimate", d$estimate)
    }
    put(cc$name, test, 0, 0, paste0("p_", gsub(".", "_", alt, fixed = TRUE)), d$p.value)
  }
}
write.csv(do.call(rbind, refs), "references_r.csv", row.names = FALSE, quote = FALSE)
cat(length(refs), "reference values\n")
