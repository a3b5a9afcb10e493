# References for tests/did_unbalanced.rs and tests/test_staggered_unbalanced.py: R did 2.5.1
# (DRDID 1.2.3, BMisc 1.4.8) with allow_unbalanced_panel = TRUE, analytic SEs, on an unbalanced
# mpdta: mpdta.csv beside this script with a seeded 10% of its rows dropped.
# Run from this directory: Rscript mpdta_unbalanced.R
#   -> mpdta_unbalanced.csv (the kept rows, in mpdta.csv's order) and mpdta_unbalanced_ref.csv
suppressPackageStartupMessages(library(did))
full <- read.csv("mpdta.csv")
set.seed(20261123)
drop <- sort(sample(nrow(full), round(0.10 * nrow(full))))
kept <- full[-drop, ]
write.csv(kept, "mpdta_unbalanced.csv", row.names = FALSE)
d <- read.csv("mpdta_unbalanced.csv")
names(d)[names(d) == "first.treat"] <- "first_treat"
d$state <- d$countyreal %/% 1000          # county FIPS prefix: 29 states
d$w <- d$lpop                             # a positive, time-invariant weight
out <- list()
add <- function(sc, type, key, t, att, se) {
  out[[length(out) + 1]] <<- data.frame(scenario = sc, type = type, key = key, t = t,
                                        att = att, se = se)
}
run <- function(sc, aggs = TRUE, data = d, ...) {
  r <- att_gt("lemp", "year", "countyreal", "first_treat", data = data, bstrap = FALSE,
              cband = FALSE, faster_mode = FALSE, allow_unbalanced_panel = TRUE, ...)
  stopifnot(!r$DIDparams$panel)           # the unbalanced (repeated cross-section) path ran
  add(sc, "attgt", r$group, r$t, r$att, r$se)
  add(sc, "n_units", NA, NA, r$n, NA)
  if (!is.null(r$W)) add(sc, "pretest", NA, NA, as.numeric(r$W), as.numeric(r$Wpval))
  if (aggs) for (ty in c("simple", "group", "dynamic", "calendar")) {
    a <- aggte(r, type = ty, bstrap = FALSE, cband = FALSE, na.rm = TRUE)
    if (ty != "simple") add(sc, ty, a$egt, NA, a$att.egt, a$se.egt)
    add(sc, paste0(ty, "_overall"), NA, NA, a$overall.att, a$overall.se)
  }
  invisible(r)
}
for (cg in c("nevertreated", "notyettreated")) {
  for (m in c("dr", "reg", "ipw")) {
    pre <- paste0(substr(cg, 1, 3), "_", m)
    if (cg == "notyettreated") pre <- paste0("nyt_", m)
    run(pre, control_group = cg, est_method = m)
    run(paste0(pre, "_x"), control_group = cg, est_method = m, xformla = ~lpop)
  }
}
run("nev_dr_universal", control_group = "nevertreated", base_period = "universal")
run("nyt_dr_x_universal", control_group = "notyettreated", base_period = "universal",
    xformla = ~lpop)
run("nyt_dr_antic1", control_group = "notyettreated", anticipation = 1)
run("nev_dr_cluster", control_group = "nevertreated", clustervars = "state")
run("nev_dr_x_weights", control_group = "nevertreated", weightsname = "w", xformla = ~lpop)
# A gap: no never-treated row in 2005. With never-treated comparisons every cell reading 2005 has
# no comparison rows there (NA in R); not-yet-treated comparisons fill it with later cohorts.
gap <- d[!(d$first_treat == 0 & d$year == 2005), ]
run("nev_dr_gap", data = gap, control_group = "nevertreated")
run("nyt_dr_x_gap", data = gap, control_group = "notyettreated", xformla = ~lpop)
r <- run("nev_dr_dyn", aggs = FALSE, control_group = "nevertreated")
for (spec in list(list("balance1", 1, -Inf, Inf), list("window", NULL, -2, 2))) {
  a <- aggte(r, type = "dynamic", balance_e = spec[[2]], min_e = spec[[3]], max_e = spec[[4]],
             bstrap = FALSE, cband = FALSE, na.rm = TRUE)
  add(paste0("nev_dr_dyn_", spec[[1]]), "dynamic", a$egt, NA, a$att.egt, a$se.egt)
  add(paste0("nev_dr_dyn_", spec[[1]]), "dynamic_overall", NA, NA, a$overall.att, a$overall.se)
}
res <- do.call(rbind, out)
num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))   # full double precision
for (col in c("key", "t", "att", "se")) res[[col]] <- num(res[[col]])
write.csv(res, "mpdta_unbalanced_ref.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("did %s, DRDID %s: dropped %d of %d rows, %d reference rows\n", packageVersion("did"),
            packageVersion("DRDID"), length(drop), nrow(full), nrow(res)))
