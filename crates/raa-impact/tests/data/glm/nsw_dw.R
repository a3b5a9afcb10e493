# Reference figures for tests/glm_r_parity.rs: Dehejia-Wahba propensity model on nsw_dw.tsv.
# Run from this directory: Rscript nsw_dw.R
d <- read.delim("nsw_dw.tsv")
f <- glm(t ~ age + I(age^2) + educ + I(educ^2) + black + hisp + married + nodegree +
           re74 + I(re74^2) + re75 + I(re75^2) + u74 + u75,
         family = binomial(link = "logit"), data = d)
s <- summary(f)$coefficients
out <- data.frame(term = rownames(s), estimate = sprintf("%.17g", s[, 1]),
                  std_error = sprintf("%.17g", s[, 2]))
write.csv(out, "nsw_dw_logit_coef.csv", row.names = FALSE, quote = FALSE)
stats <- data.frame(deviance = sprintf("%.17g", f$deviance),
                    null_deviance = sprintf("%.17g", f$null.deviance),
                    aic = sprintf("%.17g", f$aic), iterations = f$iter,
                    converged = f$converged)
write.csv(stats, "nsw_dw_logit_stats.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(ps = sprintf("%.17g", fitted(f))), "nsw_dw_pscore.csv",
          row.names = FALSE, quote = FALSE)
