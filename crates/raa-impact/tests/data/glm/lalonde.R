# Reference figures for tests/glm_r_parity.rs: MatchIt's lalonde propensity model, logit and probit.
# R's default dummy coding of race: levels sorted, "black" is the reference.
# Run from this directory: Rscript lalonde.R
d <- read.csv("lalonde_matchit.csv")
d$race <- factor(d$race)
for (link in c("logit", "probit")) {
  f <- glm(treat ~ age + educ + race + married + nodegree + re74 + re75,
           family = binomial(link = link), data = d)
  s <- summary(f)$coefficients
  out <- data.frame(term = rownames(s), estimate = sprintf("%.17g", s[, 1]),
                    std_error = sprintf("%.17g", s[, 2]))
  write.csv(out, sprintf("lalonde_%s_coef.csv", link), row.names = FALSE, quote = FALSE)
  stats <- data.frame(deviance = sprintf("%.17g", f$deviance),
                      null_deviance = sprintf("%.17g", f$null.deviance),
                      aic = sprintf("%.17g", f$aic), iterations = f$iter,
                      converged = f$converged)
  write.csv(stats, sprintf("lalonde_%s_stats.csv", link), row.names = FALSE, quote = FALSE)
  write.csv(data.frame(fitted = sprintf("%.17g", fitted(f))),
            sprintf("lalonde_%s_fitted.csv", link), row.names = FALSE, quote = FALSE)
}
