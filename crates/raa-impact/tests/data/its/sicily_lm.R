# Reference figures for tests/its_sicily.rs (OLS rows): R's lm on the Sicily data.
# Run: Rscript sicily_lm.R > sicily_lm.csv
s <- read.csv("sicily.csv")
s$rate <- s$aces / s$stdpop * 1e5
s$post1 <- pmax(s$time - 36, 0) * s$smokban   # (t - T0 + 1) D, the paper's coding
s$post0 <- pmax(s$time - 37, 0) * s$smokban   # (t - T0) D, the library's default
out <- NULL
for (coding in c("post1", "post0")) {
  f <- lm(as.formula(paste("rate ~ time + smokban +", coding)), data = s)
  cf <- summary(f)$coefficients
  out <- rbind(out, data.frame(coding = coding, term = rownames(cf), estimate = cf[, 1], se = cf[, 2],
                               p = cf[, 4], loglik = as.numeric(logLik(f)), aic = AIC(f), bic = BIC(f),
                               sigma = sigma(f)))
}
write.csv(out, stdout(), row.names = FALSE)
