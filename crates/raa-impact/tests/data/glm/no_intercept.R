# Reference fit without intercept on gen_plain.csv (made by generated.R), for tests/glm_r_parity.rs.
# Run from this directory: Rscript no_intercept.R
d <- read.csv("gen_plain.csv")
f <- glm(y ~ 0 + x1 + x2 + x3, family = binomial("logit"), data = d)
s <- summary(f)$coefficients
write.csv(data.frame(term = rownames(s), estimate = sprintf("%.17g", s[, 1]),
                     std_error = sprintf("%.17g", s[, 2])),
          "gen_plain_nointercept_coef.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(deviance = sprintf("%.17g", f$deviance),
                     null_deviance = sprintf("%.17g", f$null.deviance),
                     aic = sprintf("%.17g", f$aic), iterations = f$iter, converged = f$converged),
          "gen_plain_nointercept_stats.csv", row.names = FALSE, quote = FALSE)
