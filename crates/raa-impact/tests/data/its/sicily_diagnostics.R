# Reference figures for tests/its_sicily.rs (diagnostics of the OLS fit, paper's slope coding).
# Run: Rscript sicily_diagnostics.R > sicily_diagnostics.csv
suppressMessages(library(lmtest))
s <- read.csv("sicily.csv")
s$rate <- s$aces / s$stdpop * 1e5
s$post1 <- pmax(s$time - 36, 0) * s$smokban
f <- lm(rate ~ time + smokban + post1, data = s)
bg <- bgtest(f, order = 12, type = "Chisq")
lb <- Box.test(residuals(f), lag = 12, type = "Ljung-Box")
a <- acf(residuals(f), lag.max = 12, plot = FALSE)$acf[, 1, 1]
out <- data.frame(
  name = c("dw", "bg_stat", "bg_p", "lb_stat", "lb_p", paste0("acf", 0:12)),
  value = c(dwtest(f)$statistic, bg$statistic, bg$p.value, lb$statistic, lb$p.value, a))
write.csv(out, stdout(), row.names = FALSE)
