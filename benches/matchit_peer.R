# The issue's PSM workload through MatchIt, for a side-by-side ratio (not part of the test suite).
#   .venv/bin/python benches/psm_peer.py          # writes the data, times raa-impact, runs this, compares
#   Rscript benches/matchit_peer.R /tmp/psm_workload.csv [/tmp/psm_matchit]
# Same match as the Python side: supplied score, 1:1 nearest on its logit, largest first, caliper
# 0.2 SD of the logit over all units (MatchIt's std.caliper = TRUE; `caliper_scale="sd"` in ours).
# With a second argument, the matched pairs (1-based rows: treated, control) are written to
# <prefix>_without.csv and <prefix>_with.csv so that the two matches can be compared pair by pair.
suppressMessages(library(MatchIt))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(if (length(args)) args[1] else "/tmp/psm_workload.csv")
logit <- qlogis(d$ps)
rownames(d) <- NULL
pairs <- function(m, file) {
  mm <- m$match.matrix
  keep <- !is.na(mm[, 1])
  write.csv(data.frame(treated = as.integer(rownames(mm)[keep]), control = as.integer(mm[keep, 1])),
            file, row.names = FALSE)
}
t0 <- proc.time()[["elapsed"]]
m <- matchit(treat ~ 1, data = d, distance = logit, caliper = 0.2, m.order = "largest")
t1 <- proc.time()[["elapsed"]]
cat(sprintf("MatchIt %s, without replacement: %d treated matched in %.2f s\n",
            packageVersion("MatchIt"), sum(m$weights[d$treat == 1] > 0), t1 - t0))
if (length(args) > 1) pairs(m, paste0(args[2], "_without.csv"))
rm(m)
t0 <- proc.time()[["elapsed"]]
m <- matchit(treat ~ 1, data = d, distance = logit, caliper = 0.2, replace = TRUE)
t1 <- proc.time()[["elapsed"]]
cat(sprintf("MatchIt %s, with replacement: %d treated matched in %.2f s\n",
            packageVersion("MatchIt"), sum(m$weights[d$treat == 1] > 0), t1 - t0))
if (length(args) > 1) pairs(m, paste0(args[2], "_with.csv"))
