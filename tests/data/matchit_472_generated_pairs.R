# MatchIt 4.7.2 pairs for tests/test_psm_matchit_generated.py. In a scratch folder:
#   python tests/test_psm_matchit_generated.py   # writes w_a.csv, w_b.csv
#   Rscript matchit_472_generated_pairs.R          # writes matchit_472_generated_pairs.csv
suppressMessages(library(MatchIt))
out <- NULL
for (sc in c("a", "b")) {
  d <- read.csv(paste0("w_", sc, ".csv"))
  stopifnot(all(d$ps * 2^41 == round(d$ps * 2^41)))  # R read the very doubles NumPy wrote
  logit <- qlogis(d$ps)
  ratio <- if (sc == "a") 1 else 2
  for (replace in c(FALSE, TRUE)) {
    m <- matchit(treat ~ 1, data = d, distance = logit, caliper = 0.2, ratio = ratio,
                 replace = replace, m.order = "largest")
    mm <- m$match.matrix
    for (j in seq_len(ncol(mm))) {
      keep <- !is.na(mm[, j])
      out <- rbind(out, data.frame(scenario = sc, replace = replace, treated = as.integer(rownames(mm)[keep]),
                                   control = as.integer(mm[keep, j])))
    }
    cat(sc, replace, sum(!is.na(mm[, 1])), sum(!is.na(mm)), "\n")
  }
}
write.csv(out, "matchit_472_generated_pairs.csv", row.names = FALSE)
