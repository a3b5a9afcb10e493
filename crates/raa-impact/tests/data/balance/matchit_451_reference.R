# Reference figures for the balance table and the pair-clustered SE, computed with the Debian build of
# MatchIt (4.5.1) and sandwich 3.0-2 on MatchIt's lalonde. 4.5.1's matches differ from 4.7.2's (the
# version ORACLES.md pins), so these figures test balance and vcovCL on a *given* matched set only.
# Run: Rscript matchit_451_reference.R  (writes matchit_451_*.csv beside this script)
suppressMessages({library(MatchIt); library(sandwich)})
d <- read.csv("lalonde_matchit.csv")
m <- matchit(treat ~ age + educ + race + married + nodegree + re74 + re75, data = d)
md <- match.data(m)
write.csv(data.frame(row = as.integer(rownames(md)) - 1, weights = md$weights,
                     subclass = as.integer(md$subclass)),
          "matchit_451_matched.csv", row.names = FALSE)
fit <- lm(re78 ~ treat, data = md, weights = weights)
v <- vcovCL(fit, cluster = ~subclass)
write.csv(data.frame(att = coef(fit)[["treat"]], se_pair = sqrt(v["treat", "treat"]),
                     se_hc0_nocadj = sqrt(vcovCL(fit, cluster = ~subclass, type = "HC0", cadjust = FALSE)["treat", "treat"])),
          "matchit_451_effect.csv", row.names = FALSE)
s <- summary(m, un = TRUE)
fmt <- function(tab) data.frame(covariate = rownames(tab), tab, check.names = FALSE)
write.csv(fmt(s$sum.all), "matchit_451_balance_before.csv", row.names = FALSE)
write.csv(fmt(s$sum.matched), "matchit_451_balance_after.csv", row.names = FALSE)
cat(packageVersion("MatchIt") |> as.character(), "\n")
write.csv(data.frame(distance = sprintf("%.17g", m$distance)), "matchit_451_distance.csv", row.names = FALSE)
