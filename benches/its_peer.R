# Peer timing for benches/bench_its.py (optional; tests never need R): nlme::gls AR(1) REML and ML,
# and lm + sandwich::NeweyWest, on the Sicily series. Prints "<name> <seconds per fit>".
suppressMessages({library(nlme); library(sandwich)})
s <- read.csv("crates/raa-impact/tests/data/its/sicily.csv")
s$rate <- s$aces / s$stdpop * 1e5
s$post <- pmax(s$time - 36, 0) * s$smokban
per_fit <- function(f, n = 50) { t <- system.time(for (i in seq_len(n)) f())[["elapsed"]]; t / n }
cat("R nlme::gls AR(1) REML (59)", per_fit(function() gls(rate ~ smokban + time + post, s, correlation = corAR1(), method = "REML")), "\n", sep = "\t")
cat("R nlme::gls AR(1) ML (59)", per_fit(function() gls(rate ~ smokban + time + post, s, correlation = corAR1(), method = "ML")), "\n", sep = "\t")
cat("R lm + NeweyWest (59)", per_fit(function() NeweyWest(lm(rate ~ smokban + time + post, s), lag = 1, prewhite = FALSE)), "\n", sep = "\t")
