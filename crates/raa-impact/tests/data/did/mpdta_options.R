# References for the did option tests (tests/did_options.rs): R did 2.5.1 (bcallaway11/did HEAD,
# DRDID 1.2.3, installed locally from source), analytic SEs, on mpdta.csv beside this script.
# Run from this directory: Rscript mpdta_options.R  -> mpdta_options.csv
suppressPackageStartupMessages(library(did))
d <- read.csv("mpdta.csv")
names(d)[names(d) == "first.treat"] <- "first_treat"
d$state <- d$countyreal %/% 1000          # county FIPS prefix: 29 states
d$w <- d$lpop                             # a positive, time-invariant weight
out <- list()
add <- function(sc, type, key, t, att, se) {
  out[[length(out) + 1]] <<- data.frame(scenario = sc, type = type, key = key, t = t,
                                        att = att, se = se)
}
run <- function(sc, aggs = TRUE, ...) {
  r <- att_gt("lemp", "year", "countyreal", "first_treat", data = d, bstrap = FALSE,
              cband = FALSE, faster_mode = FALSE, ...)
  add(sc, "attgt", r$group, r$t, r$att, r$se)
  if (!is.null(r$W)) add(sc, "pretest", NA, NA, as.numeric(r$W), as.numeric(r$Wpval))
  if (aggs) for (ty in c("simple", "group", "dynamic", "calendar")) {
    a <- aggte(r, type = ty, bstrap = FALSE, cband = FALSE, na.rm = TRUE)
    if (ty != "simple") add(sc, ty, a$egt, NA, a$att.egt, a$se.egt)
    add(sc, paste0(ty, "_overall"), NA, NA, a$overall.att, a$overall.se)
  }
  r
}
run("nyt_dr", control_group = "notyettreated")
run("nev_dr_x", control_group = "nevertreated", xformla = ~lpop)
run("nev_reg_x", control_group = "nevertreated", xformla = ~lpop, est_method = "reg")
run("nev_ipw_x", control_group = "nevertreated", xformla = ~lpop, est_method = "ipw")
run("nyt_dr_x", control_group = "notyettreated", xformla = ~lpop)
run("nyt_ipw_x", control_group = "notyettreated", xformla = ~lpop, est_method = "ipw")
run("nev_dr_universal", control_group = "nevertreated", base_period = "universal")
run("nyt_dr_universal", control_group = "notyettreated", base_period = "universal")
run("nev_dr_antic1", control_group = "nevertreated", anticipation = 1)
run("nyt_dr_antic1", control_group = "notyettreated", anticipation = 1)
run("nev_dr_cluster", control_group = "nevertreated", clustervars = "state")
run("nev_dr_weights", control_group = "nevertreated", weightsname = "w")
r <- run("nev_dr", aggs = FALSE, control_group = "nevertreated")
for (spec in list(list("balance1", 1, -Inf, Inf), list("window", NULL, -2, 2))) {
  a <- aggte(r, type = "dynamic", balance_e = spec[[2]], min_e = spec[[3]], max_e = spec[[4]],
             bstrap = FALSE, cband = FALSE)
  add(paste0("nev_dr_dyn_", spec[[1]]), "dynamic", a$egt, NA, a$att.egt, a$se.egt)
  add(paste0("nev_dr_dyn_", spec[[1]]), "dynamic_overall", NA, NA, a$overall.att, a$overall.se)
}
res <- do.call(rbind, out)
write.csv(res, "mpdta_options.csv", row.names = FALSE)
cat(sprintf("did %s, DRDID %s: %d rows\n", packageVersion("did"), packageVersion("DRDID"), nrow(res)))
