# Reference fits for tests/mixed_*.rs: nlme 3.1-162 (lme) and lmerTest (Satterthwaite df).
# Run from this directory: Rscript make_reference.R
suppressMessages({library(nlme); library(jsonlite); library(lmerTest)})
set.seed(20261123)

# One multiple-baseline design: m units, n quarters each, staggered go-live, units nested in groups.
simulate <- function(m, n, n_groups, sd_int, sd_level, sd_slope, phi, sd_group = 0, gaps = FALSE) {
  rows <- list()
  g_eff <- rnorm(n_groups, 0, sd_group)
  for (i in seq_len(m)) {
    t0 <- sample(round(n * 0.3):round(n * 0.7), 1)
    time <- 0:(n - 1)
    e <- as.numeric(arima.sim(list(ar = phi), n)) * 1.0
    if (phi == 0) e <- rnorm(n)
    D <- as.numeric(time >= t0)
    slope <- (time - t0) * D
    g <- ((i - 1) %% n_groups) + 1
    w <- rnorm(1)
    y <- 10 + 0.1 * time - 1.5 * D - 0.05 * slope + 0.8 * w + rnorm(1, 0, sd_int) + g_eff[g] +
      rnorm(1, 0, sd_level) * D + rnorm(1, 0, sd_slope) * slope + e
    d <- data.frame(unit = i, group = g, time = time, D = D, slope = slope, w = w, y = y)
    if (gaps) d <- d[-sample(2:(n - 1), 2), ]
    rows[[i]] <- d
  }
  do.call(rbind, rows)
}

vc <- function(fit) {
  # Relative covariance parameters as nlme holds them (Psi / sigma^2 per level), for evaluating
  # another implementation's likelihood at nlme's optimum.
  out <- list()
  for (lev in names(fit$modelStruct$reStruct)) {
    out[[lev]] <- unname(as.matrix(fit$modelStruct$reStruct[[lev]]))
  }
  out
}

nlme_summary <- function(fit, method) {
  s <- summary(fit)
  tt <- s$tTable
  phi <- NA
  if (!is.null(fit$modelStruct$corStruct)) {
    phi <- unname(coef(fit$modelStruct$corStruct, unconstrained = FALSE))
  }
  list(
    method = method,
    beta = unname(fixef(fit)), beta_names = names(fixef(fit)),
    se = unname(tt[, "Std.Error"]),
    loglik = as.numeric(logLik(fit)), aic = AIC(fit), bic = BIC(fit),
    sigma = fit$sigma, phi = phi,
    psi_relative = vc(fit),
    varcorr = capture.output(print(VarCorr(fit)))
  )
}

write_case <- function(name, data, fixed, random_nlme, lmer_formula = NULL, corr = NULL,
                       reduced = NULL) {
  write.csv(data, paste0(name, ".csv"), row.names = FALSE)
  res <- list()
  for (method in c("REML", "ML")) {
    fit <- tryCatch(
      lme(fixed, random = random_nlme, data = data, method = method, correlation = corr,
          control = lmeControl(msMaxIter = 500, maxIter = 500, opt = "nlminb", tolerance = 1e-10,
                               msTol = 1e-12, niterEM = 50)),
      error = function(e) e)
    strict_error <- NULL
    if (inherits(fit, "error")) {
      # nlme's own failure is part of the reference; retry with its default settings.
      strict_error <- conditionMessage(fit)
      fit <- tryCatch(lme(fixed, random = random_nlme, data = data, method = method,
                          correlation = corr), error = function(e) e)
    }
    if (inherits(fit, "error")) {
      res[[method]] <- list(error = conditionMessage(fit), strict_error = strict_error)
      next
    }
    r <- nlme_summary(fit, method)
    r$strict_error <- strict_error
    if (method == "REML") {
      re <- ranef(fit)
      if (is.data.frame(re)) {
        r$blup <- unname(as.matrix(re))
        r$blup_units <- as.numeric(rownames(re))
      } else {
        r$blup_group <- unname(as.matrix(re[[1]]))
        r$blup <- unname(as.matrix(re[[2]]))
        # Rows are named "group/unit".
        r$blup_units <- as.numeric(sub(".*/", "", rownames(re[[2]])))
        r$blup_groups <- as.numeric(rownames(re[[1]]))
      }
      r$fitted_unit <- unname(fitted(fit))
      r$fitted_population <- unname(fitted(fit, level = 0))
    }
    if (!is.null(lmer_formula)) {
      lf <- lmer(lmer_formula, data = data, REML = (method == "REML"),
                 control = lmerControl(optimizer = "bobyqa", optCtrl = list(maxfun = 1e5)))
      st <- summary(lf)$coefficients
      r$lmer_loglik <- as.numeric(logLik(lf))
      r$lmer_beta <- unname(fixef(lf))
      if (method == "REML") {
        r$satterthwaite_df <- unname(st[, "df"])
        # A pooled contrast: level change + 4 quarters of slope change.
        L <- matrix(0, 1, length(fixef(lf)))
        colnames(L) <- names(fixef(lf))
        if (all(c("D", "slope") %in% names(fixef(lf)))) {
          L[1, "D"] <- 1; L[1, "slope"] <- 4
        } else {
          L[1, 2] <- 1; L[1, 3] <- 1
        }
        ct <- contest(lf, L, joint = FALSE)
        r$contrast_L <- as.numeric(L)
        r$contrast <- list(estimate = ct$Estimate, se = ct[["Std. Error"]], df = ct$df)
      }
    }
    res[[method]] <- r
  }
  # Where nlme fails, sub-models it can fit bound the full model's likelihood from below.
  for (i in seq_along(reduced)) {
    for (method in c("REML", "ML")) {
      fit <- tryCatch(lme(fixed, random = reduced[[i]], data = data, method = method,
                          correlation = corr), error = function(e) e)
      res[[paste0("reduced", i, "_", method)]] <-
        if (inherits(fit, "error")) list(error = conditionMessage(fit)) else nlme_summary(fit, method)
    }
  }
  writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, pretty = TRUE), paste0(name, ".json"))
}

# 1. Random intercept; w varies between units only, x within.
d1 <- simulate(30, 12, 6, sd_int = 1.0, sd_level = 0, sd_slope = 0, phi = 0)
d1$x <- rnorm(nrow(d1))
d1$y <- d1$y + 0.5 * d1$x
write_case("intercept", d1, y ~ time + x + w, ~ 1 | unit, y ~ time + x + w + (1 | unit))

# 2. Random intercept + level change, unstructured and diagonal.
d2 <- simulate(40, 16, 8, sd_int = 1.0, sd_level = 0.7, sd_slope = 0, phi = 0)
write_case("slope_symm", d2, y ~ time + D + slope, ~ 1 + D | unit,
           y ~ time + D + slope + (1 + D | unit))
write_case("slope_diag", d2, y ~ time + D + slope, list(unit = pdDiag(~ 1 + D)),
           y ~ time + D + slope + (1 | unit) + (0 + D | unit))

# 3. (nlme fails here.) Multiple baseline with AR(1) errors and random intercept + level + slope change; two rows
#    dropped per unit so that the AR(1) correlation spans gaps.
d3 <- simulate(40, 24, 8, sd_int = 1.0, sd_level = 0.6, sd_slope = 0.08, phi = 0.5, gaps = TRUE)
write_case("ar1_nlme_fails", d3, y ~ time + D + slope, ~ 1 + D + slope | unit, NULL,
           corr = corAR1(form = ~ time | unit), reduced = list(~ 1 + D | unit, ~ 1 | unit))

# 3b. The same structure with a clearer slope variance and a longer series: nlme converges.
d3b <- simulate(40, 30, 8, sd_int = 1.0, sd_level = 0.8, sd_slope = 0.2, phi = 0.5, gaps = TRUE)
write_case("ar1", d3b, y ~ time + D + slope, ~ 1 + D + slope | unit, NULL,
           corr = corAR1(form = ~ time | unit))

# 4. Units nested in groups: a group random intercept above unit intercept + level change.
d4 <- simulate(48, 16, 8, sd_int = 0.8, sd_level = 0.6, sd_slope = 0, phi = 0, sd_group = 1.0)
write_case("nested", d4, y ~ time + D + slope + w, list(group = ~ 1, unit = ~ 1 + D),
           y ~ time + D + slope + w + (1 | group) + (1 + D | group:unit))
write_case("nested_ar1", d4, y ~ time + D + slope, list(group = ~ 1, unit = ~ 1),
           NULL, corr = corAR1(form = ~ time | group / unit))

# 5. A random slope with no variance: nlme's optimiser typically fails or returns a singular fit.
d5 <- simulate(25, 10, 5, sd_int = 1.0, sd_level = 0, sd_slope = 0, phi = 0)
d5$y <- d5$y + 0.05 * rnorm(nrow(d5))
write_case("singular", d5, y ~ time + D + slope, ~ 1 + D + slope | unit, NULL,
           corr = corAR1(form = ~ time | unit), reduced = list(~ 1 + D | unit, ~ 1 | unit))
