# Reference figures for crates/raa-impact/tests/psm_abadie_imbens*.rs.
# Run from this folder: Rscript references.R  (R 4.2, Matching 4.10-8).
# Writes nsw_dw_pscore.csv (Dehejia-Wahba logit fitted probabilities, 17 significant digits)
# and match_references.csv (one row per Match() call: case, estimate, se, se_standard, wnobs).
suppressMessages(library(Matching))
d <- read.delim("nsw_dw.tsv")
fit <- glm(t ~ age + I(age^2) + educ + I(educ^2) + black + hisp + married + nodegree +
             re74 + I(re74^2) + re75 + I(re75^2) + u74 + u75, family = binomial, data = d)
ps <- fitted(fit)
write.csv(data.frame(row = seq_along(ps), pscore = formatC(ps, digits = 17, format = "g")),
          "nsw_dw_pscore.csv", row.names = FALSE, quote = FALSE)
ps <- as.numeric(formatC(ps, digits = 17, format = "g"))
X4 <- cbind(d$age, d$educ, d$re74, d$re75)
zc <- ifelse(d$t == 1, (seq_len(nrow(d)) %% 7) / 7, 0)
cases <- list(
  ate_age_sample = function() Match(Y = d$re78, Tr = d$t, X = d$age, estimand = "ATE", M = 1, sample = TRUE),
  ate_x4_sample = function() Match(Y = d$re78, Tr = d$t, X = X4, estimand = "ATE", M = 1, sample = TRUE),
  att_ps = function() Match(Y = d$re78, Tr = d$t, X = ps),
  atc_ps = function() Match(Y = d$re78, Tr = d$t, X = ps, estimand = "ATC"),
  ate_ps = function() Match(Y = d$re78, Tr = d$t, X = ps, estimand = "ATE"),
  att_x4_m2 = function() Match(Y = d$re78, Tr = d$t, X = X4, M = 2),
  atc_x4_m2_sample = function() Match(Y = d$re78, Tr = d$t, X = X4, M = 2, estimand = "ATC", sample = TRUE),
  ate_age_pop = function() Match(Y = d$re78, Tr = d$t, X = d$age, estimand = "ATE"),
  att_x4_bias = function() Match(Y = d$re78, Tr = d$t, X = X4, BiasAdjust = TRUE),
  ate_x4_bias = function() Match(Y = d$re78, Tr = d$t, X = X4, estimand = "ATE", BiasAdjust = TRUE),
  att_x4_varcalc1 = function() Match(Y = d$re78, Tr = d$t, X = X4, Var.calc = 1),
  ate_x4_varcalc3 = function() Match(Y = d$re78, Tr = d$t, X = X4, estimand = "ATE", Var.calc = 3),
  att_x4_mahalanobis = function() Match(Y = d$re78, Tr = d$t, X = X4, Weight = 2),
  # zc: zero for every control, so the bias-adjustment regression among controls is singular and
  # Matching adds its small ridge (the slope of zc becomes 0).
  att_zc_bias = function() Match(Y = d$re78, Tr = d$t, X = cbind(d$age, d$educ, zc), BiasAdjust = TRUE),
  att_age_educ_m3 = function() Match(Y = d$re78, Tr = d$t, X = cbind(d$age, d$educ), M = 3)
)
out <- do.call(rbind, lapply(names(cases), function(nm) {
  m <- cases[[nm]]()
  data.frame(case = nm, estimate = formatC(m$est, digits = 15, format = "g"),
             se = formatC(m$se, digits = 15, format = "g"),
             se_standard = formatC(m$se.standard, digits = 15, format = "g"),
             wnobs = m$wnobs, n_rows = length(m$index.treated))
}))
write.csv(out, "match_references.csv", row.names = FALSE, quote = FALSE)
print(out)
