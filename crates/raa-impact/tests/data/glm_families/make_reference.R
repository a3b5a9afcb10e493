# Reference figures for crates/raa-impact/tests/glm_families.rs (R 4.2, MASS).
# Run from this directory: Rscript make_reference.R
# Writes one design file per case (<case>.csv: y, optional weights and offset, covariates in fit
# order) and reference.csv (case, quantity, index, value) with every number to 17 digits.
suppressPackageStartupMessages(library(MASS))

fmt <- function(x) sprintf("%.17g", x)
ref <- list()
add <- function(case, quantity, values) {
  ref[[length(ref) + 1]] <<- data.frame(case = case, quantity = quantity,
                                        index = seq_along(values) - 1L, value = fmt(values))
}

write_design <- function(case, y, X, weights = NULL, offset = NULL) {
  d <- data.frame(y = y)
  if (!is.null(weights)) d$weights <- weights
  if (!is.null(offset)) d$offset <- offset
  d <- cbind(d, X)
  write.csv(format(d, digits = 17), paste0(case, ".csv"), row.names = FALSE, quote = FALSE)
}

record <- function(case, fit, y, X, weights = NULL, offset = NULL, dispersion = NULL) {
  write_design(case, y, X, weights, offset)
  s <- summary(fit, dispersion = dispersion)
  co <- s$coefficients
  add(case, "coef", co[, 1])
  add(case, "se", co[, 2])
  add(case, "stat", co[, 3])
  add(case, "p", co[, 4])
  add(case, "deviance", fit$deviance)
  add(case, "null_deviance", fit$null.deviance)
  add(case, "dispersion", s$dispersion)
  add(case, "df_residual", fit$df.residual)
  add(case, "iterations", fit$iter)
  add(case, "cov_unscaled", as.vector(t(s$cov.unscaled)))
  add(case, "working_weights", fit$weights)
  add(case, "working_residuals", residuals(fit, "working"))
  add(case, "fitted", fitted(fit))
  add(case, "pearson_chi2", sum(residuals(fit, "pearson")^2))
  ll <- tryCatch(logLik(fit), error = function(e) NA)
  if (!is.na(ll)) {
    add(case, "loglik", as.numeric(ll))
    add(case, "aic", AIC(fit))
    add(case, "bic", BIC(fit))
  }
  if (inherits(fit, "negbin")) {
    add(case, "theta", fit$theta)
    add(case, "theta_se", fit$SE.theta)
    add(case, "twologlik", fit$twologlik)
  }
}

# --- Sicily (Lopez Bernal et al. 2017) ---------------------------------------------------------
sic <- read.csv("sicily.csv")
off <- log(sic$stdpop)
Xs <- data.frame(smokban = sic$smokban, time = sic$time)
f <- glm(aces ~ offset(log(stdpop)) + smokban + time, poisson, data = sic)
record("sicily_poisson", f, sic$aces, Xs, offset = off)
f <- glm(aces ~ offset(log(stdpop)) + smokban + time, quasipoisson, data = sic)
record("sicily_quasipoisson", f, sic$aces, Xs, offset = off)
four <- data.frame(sin1 = sin(2 * pi * sic$month / 12), cos1 = cos(2 * pi * sic$month / 12),
                   sin2 = sin(4 * pi * sic$month / 12), cos2 = cos(4 * pi * sic$month / 12))
Xf <- cbind(Xs, four)
f <- glm(sic$aces ~ offset(off) + ., quasipoisson, data = Xf)
record("sicily_quasipoisson_fourier", f, sic$aces, Xf, offset = off)
f <- glm.nb(sic$aces ~ offset(off) + ., data = Xf)
record("sicily_negbin", f, sic$aces, Xf, offset = off)

# --- Generated series: 59 months, step at 37, slope change, seasonality ------------------------
set.seed(20261123)
n <- 59
time <- 1:n
step <- as.numeric(time >= 37)
slope <- pmax(time - 36, 0) * step
season <- sin(2 * pi * time / 12)
X <- data.frame(time = time, step = step, slope = slope, season = season)
pop <- round(runif(n, 2e4, 6e4))
lo <- log(pop)
eta <- -6 + 0.004 * time - 0.15 * step - 0.01 * slope + 0.1 * season

# Gaussian with prior weights and an offset.
w <- runif(n, 0.5, 3)
yg <- 50 + 0.3 * time - 4 * step - 0.2 * slope + 2 * season + rnorm(n, sd = 2 / sqrt(w))
og <- rnorm(n, 0, 0.5)
f <- glm(yg ~ offset(og) + ., gaussian, data = X, weights = w)
record("gen_gaussian_weighted", f, yg, X, weights = w, offset = og)

# Poisson with an offset.
yp <- rpois(n, exp(lo + eta))
f <- glm(yp ~ offset(lo) + ., poisson, data = X)
record("gen_poisson_offset", f, yp, X, offset = lo)

# Quasi-Poisson on over-dispersed counts.
yq <- rnbinom(n, mu = exp(lo + eta), size = 8)
f <- glm(yq ~ offset(lo) + ., quasipoisson, data = X)
record("gen_quasipoisson", f, yq, X, offset = lo)

# Binomial proportions with trials as weights (and an offset), and the quasi-binomial.
trials <- rpois(n, 40) + 5
pb <- plogis(-1 + 0.01 * time - 0.3 * step - 0.02 * slope + 0.2 * season)
yb <- rbinom(n, trials, pb) / trials
ob <- rnorm(n, 0, 0.1)
f <- glm(yb ~ offset(ob) + ., binomial, data = X, weights = trials)
record("gen_binomial_proportions", f, yb, X, weights = trials, offset = ob)
ybq <- rbinom(n, trials, plogis(qlogis(pb) + rnorm(n, 0, 0.4))) / trials
f <- glm(ybq ~ ., quasibinomial, data = X, weights = trials)
record("gen_quasibinomial", f, ybq, X, weights = trials)

# Negative binomial: theta by maximum likelihood, and theta fixed.
yn <- rnbinom(n, mu = exp(lo + eta), size = 5)
f <- glm.nb(yn ~ offset(lo) + ., data = X)
record("gen_negbin_ml", f, yn, X, offset = lo)
yn2 <- rnbinom(n, mu = exp(2 + 0.01 * time - 0.2 * step), size = 3)
f <- glm(yn2 ~ ., negative.binomial(3), data = X)
# summary.glm would estimate a dispersion for this family (its name is not "poisson"); with theta
# known the dispersion is 1, as summary.negbin uses for glm.nb fits.
record("gen_negbin_fixed", f, yn2, X, dispersion = 1)
# glm.nb without offset, with prior weights and a zero count.
wn <- sample(1:3, n, replace = TRUE)
f <- glm.nb(yn2 ~ ., data = X, weights = wn)
record("gen_negbin_ml_weighted", f, yn2, X, weights = wn)

out <- do.call(rbind, ref)
write.csv(out, "reference.csv", row.names = FALSE, quote = FALSE)
cat("cases:", length(unique(out$case)), "rows:", nrow(out), "\n")
