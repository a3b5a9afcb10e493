# Reference figures for tests/sensitivity_*.rs (R 4.2, stats only; rbounds is not installed here).
# Run from this directory: Rscript make_reference.R
g17 <- function(x) sprintf("%.17g", x)

# Lead in children's blood, 33 matched pairs (exposed parent's child vs control), as printed in
# the rbounds::psens help page example (Rosenbaum 2002, Observational Studies, ch. 4).
trt  <- c(38,23,41,18,37,36,23,62,31,34,24,14,21,17,16,20,15,10,45,39,22,35,49,48,44,35,43,39,34,13,73,25,27)
ctrl <- c(16,18,18,24,19,11,10,15,16,18,18,13,19,10,16,16,24,13,9,14,21,19,7,18,19,12,11,22,25,16,13,11,13)
d <- trt - ctrl
writeLines(g17(d), "lead_differences.txt")

# Gamma = 1 must equal the large-sample signed-rank test (tie-corrected variance, no continuity
# correction). wilcox.test drops zero differences, so compare on the pairs without a zero.
nz <- d[d != 0]
p_wilcox_lead <- suppressWarnings(wilcox.test(nz, alternative = "greater", exact = FALSE, correct = FALSE)$p.value)
set.seed(11)
gen <- round(rnorm(60, 0.3, 1), 1)   # rounding creates ties in |d|
gen <- gen[gen != 0]
writeLines(g17(gen), "generated_differences.txt")
p_wilcox_gen <- suppressWarnings(wilcox.test(gen, alternative = "greater", exact = FALSE, correct = FALSE)$p.value)

# The rule of rbounds::psens (ties branch; zero differences kept and ranked), written out here
# without its 4-digit rounding, for Gamma = 1..6 on all 33 lead pairs.
psens_rule <- function(d, gamma) {
  r <- rank(abs(d)); T <- sum(r[d > 0])
  sapply(gamma, function(g) {
    pp <- g / (1 + g); pm <- 1 / (1 + g)
    v <- sum(r^2) * pp * (1 - pp)
    c(upper = 1 - pnorm((T - pp * sum(r)) / sqrt(v)), lower = 1 - pnorm((T - pm * sum(r)) / sqrt(v)))
  })
}
b <- psens_rule(d, 1:6)
out <- data.frame(gamma = 1:6, p_upper = g17(b["upper", ]), p_lower = g17(b["lower", ]))
write.csv(out, "lead_psens_rule.csv", row.names = FALSE, quote = FALSE)
writeLines(c("name,value", paste0("wilcox_lead_nonzero,", g17(p_wilcox_lead)),
             paste0("wilcox_generated,", g17(p_wilcox_gen))), "wilcox.csv")
