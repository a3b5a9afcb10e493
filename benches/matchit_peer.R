# The issue's PSM workload through MatchIt, for a side-by-side ratio (not part of the test suite).
#   .venv/bin/python benches/bench_psm.py --write-csv /tmp   # writes /tmp/psm_workload.csv
#   Rscript benches/matchit_peer.R /tmp/psm_workload.csv
# Same match as the Python bench: supplied score, 1:1 nearest without replacement, largest first,
# caliper 0.2 SD of the logit. MatchIt's caliper SD is over all units (std.caliper = TRUE), ours is
# the pooled SD by default; the timing comparison is unaffected.
suppressMessages(library(MatchIt))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(if (length(args)) args[1] else "/tmp/psm_workload.csv")
logit <- qlogis(d$ps)
t0 <- proc.time()[["elapsed"]]
m <- matchit(treat ~ 1, data = d, distance = logit, caliper = 0.2, m.order = "largest")
t1 <- proc.time()[["elapsed"]]
cat(sprintf("MatchIt %s: %d treated matched in %.2f s\n", packageVersion("MatchIt"), sum(m$weights[d$treat == 1] > 0), t1 - t0))
t0 <- proc.time()[["elapsed"]]
m <- matchit(treat ~ 1, data = d, distance = logit, caliper = 0.2, replace = TRUE)
cat(sprintf("with replacement: %.2f s\n", proc.time()[["elapsed"]] - t0))
