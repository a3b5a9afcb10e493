# Generated data sets and their R glm fits for tests/glm_r_parity.rs.
# Run from this directory: Rscript generated.R
# Each data set is written as gen_<name>.csv (columns y, w, x1, x2, x3) and its fit as
# gen_<name>_<link>_coef.csv / _stats.csv.
set.seed(20261123)
write_fit <- function(name, d, link, weights) {
  f <- if (weights) {
    glm(y ~ x1 + x2 + x3, family = binomial(link = link), data = d, weights = w)
  } else {
    glm(y ~ x1 + x2 + x3, family = binomial(link = link), data = d)
  }
  s <- summary(f)$coefficients
  out <- data.frame(term = rownames(s), estimate = sprintf("%.17g", s[, 1]),
                    std_error = sprintf("%.17g", s[, 2]))
  write.csv(out, sprintf("gen_%s_%s_coef.csv", name, link), row.names = FALSE, quote = FALSE)
  stats <- data.frame(deviance = sprintf("%.17g", f$deviance),
                      null_deviance = sprintf("%.17g", f$null.deviance),
                      aic = sprintf("%.17g", f$aic), iterations = f$iter,
                      converged = f$converged)
  write.csv(stats, sprintf("gen_%s_%s_stats.csv", name, link), row.names = FALSE, quote = FALSE)
}
save_data <- function(name, d) {
  out <- data.frame(y = d$y, w = sprintf("%.17g", d$w), x1 = sprintf("%.17g", d$x1),
                    x2 = sprintf("%.17g", d$x2), x3 = sprintf("%.17g", d$x3))
  write.csv(out, sprintf("gen_%s.csv", name), row.names = FALSE, quote = FALSE)
  # Re-read so that the fit uses exactly the numbers written.
  read.csv(sprintf("gen_%s.csv", name))
}

# 1. Plain: 500 rows, moderate effects, no weights.
n <- 500
d <- data.frame(x1 = rnorm(n), x2 = rbinom(n, 1, 0.4), x3 = runif(n, 0, 10))
d$y <- rbinom(n, 1, plogis(-0.5 + 0.8 * d$x1 - 0.6 * d$x2 + 0.1 * d$x3))
d$w <- 1
d <- save_data("plain", d)
write_fit("plain", d, "logit", FALSE)
write_fit("plain", d, "probit", FALSE)

# 2. Prior weights (positive, non-integer; binomial warns "non-integer #successes" only for
#    fractional y*w, harmless: the fit is the same weighted IRLS).
n <- 400
d <- data.frame(x1 = rnorm(n), x2 = rbinom(n, 1, 0.5), x3 = rexp(n))
d$y <- rbinom(n, 1, plogis(0.3 - 1.1 * d$x1 + 0.4 * d$x2 - 0.3 * d$x3))
d$w <- runif(n, 0.2, 3)
d <- save_data("weighted", d)
suppressWarnings(write_fit("weighted", d, "logit", TRUE))
suppressWarnings(write_fit("weighted", d, "probit", TRUE))

# 3. Near-separation: strong effect of x1 so fitted values come close to 0/1 but the
#    data are not separated (overlap kept in a few rows).
n <- 300
d <- data.frame(x1 = rnorm(n), x2 = rbinom(n, 1, 0.5), x3 = rnorm(n))
d$y <- rbinom(n, 1, plogis(6 * d$x1 + 0.5 * d$x3))
d$w <- 1
d <- save_data("nearsep", d)
write_fit("nearsep", d, "logit", FALSE)
write_fit("nearsep", d, "probit", FALSE)

# 4. Integer and zero prior weights (zero-weight rows are left out of the fit, as R does).
n <- 250
d <- data.frame(x1 = rnorm(n), x2 = rbinom(n, 1, 0.5), x3 = rpois(n, 3))
d$y <- rbinom(n, 1, plogis(-0.2 + 0.7 * d$x1 + 0.5 * d$x2 - 0.2 * d$x3))
d$w <- sample(c(0, 1, 2, 3), n, replace = TRUE, prob = c(0.1, 0.5, 0.3, 0.1))
d <- save_data("zeroweight", d)
write_fit("zeroweight", d, "logit", TRUE)
write_fit("zeroweight", d, "probit", TRUE)
