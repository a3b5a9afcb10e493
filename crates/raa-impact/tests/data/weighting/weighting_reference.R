# Reference figures for crates/raa-impact/tests/weighting_r_parity.rs.
# Run from this folder: Rscript weighting_reference.R  (R 4.2, sandwich, numDeriv)
# Writes weighting_reference.csv: scheme, quantity, value (17 significant digits).
suppressMessages({ library(sandwich); library(numDeriv) })
d <- read.csv("lalonde_matchit.csv")
d$race <- relevel(factor(d$race), ref = "black")
ps_fit <- glm(treat ~ age + educ + race + married + nodegree + re74 + re75,
              family = binomial, data = d)
X <- model.matrix(ps_fit)
beta <- coef(ps_fit)
t <- d$treat; y <- d$re78; n <- nrow(d); p <- ncol(X)
cl <- d$educ  # an arbitrary but natural grouping for the cluster-robust figures
G <- length(unique(cl))

# Weights w1 (treated) and w0 (control) as functions of the score e.
wfun <- list(
  ate     = list(w1 = function(e) 1 / e,       w0 = function(e) 1 / (1 - e)),
  att     = list(w1 = function(e) 1 + 0 * e,   w0 = function(e) e / (1 - e)),
  atc     = list(w1 = function(e) (1 - e) / e, w0 = function(e) 1 + 0 * e),
  overlap = list(w1 = function(e) 1 - e,       w0 = function(e) e)
)

# Stacked estimating functions, theta = (beta, mu1, mu0): n x (p + 2).
estfun_stack <- function(theta, s) {
  b <- theta[1:p]; mu1 <- theta[p + 1]; mu0 <- theta[p + 2]
  e <- plogis(drop(X %*% b))
  cbind((t - e) * X,
        t * s$w1(e) * (y - mu1),
        (1 - t) * s$w0(e) * (y - mu0))
}

out <- list()
put <- function(scheme, q, v) out[[length(out) + 1]] <<- data.frame(scheme = scheme, quantity = q,
                                                                     value = sprintf("%.17g", v))
e <- fitted(ps_fit)
for (s_name in names(wfun)) {
  s <- wfun[[s_name]]
  w <- ifelse(t == 1, s$w1(e), s$w0(e))
  fit <- lm(y ~ t, weights = w)
  est <- unname(coef(fit)[2])
  hc0 <- sqrt(vcovHC(fit, type = "HC0")[2, 2])
  hc0_cl <- sqrt(vcovCL(fit, cluster = cl, type = "HC0", cadjust = TRUE)[2, 2])
  theta <- c(beta, mu1 = unname(sum(coef(fit))), mu0 = unname(coef(fit)[1]))
  psi <- estfun_stack(theta, s)
  stopifnot(max(abs(colSums(psi))) < 1e-6 * n * max(abs(y)))
  # Bread: the Jacobian of the summed estimating functions, analytic ...
  A <- matrix(0, p + 2, p + 2)
  A[1:p, 1:p] <- -crossprod(X * (e * (1 - e)), X)
  h <- 1e-7
  dw1 <- (s$w1(e + h) - s$w1(e - h)) / (2 * h)  # dw/de: the weights are smooth; checked below
  dw0 <- (s$w0(e + h) - s$w0(e - h)) / (2 * h)
  dw1_exact <- switch(s_name, ate = -1 / e^2, att = 0 * e, atc = -1 / e^2, overlap = -1 + 0 * e)
  dw0_exact <- switch(s_name, ate = 1 / (1 - e)^2, att = 1 / (1 - e)^2, atc = 0 * e, overlap = 1 + 0 * e)
  stopifnot(max(abs(dw1 - dw1_exact) / pmax(1, abs(dw1_exact))) < 1e-4,
            max(abs(dw0 - dw0_exact) / pmax(1, abs(dw0_exact))) < 1e-4)
  A[p + 1, 1:p] <- colSums(X * (t * (y - theta[p + 1]) * dw1_exact * e * (1 - e)))
  A[p + 1, p + 1] <- -sum(t * s$w1(e))
  A[p + 2, 1:p] <- colSums(X * ((1 - t) * (y - theta[p + 2]) * dw0_exact * e * (1 - e)))
  A[p + 2, p + 2] <- -sum((1 - t) * s$w0(e))
  # ... and numerically (numDeriv), as an independent check of the derivation.
  A_num <- jacobian(function(th) colSums(estfun_stack(th, s)), theta)
  stopifnot(max(abs(A - A_num) / pmax(1, abs(A))) < 1e-5)
  Ainv <- solve(A)
  grad <- c(rep(0, p), 1, -1)
  V <- Ainv %*% crossprod(psi) %*% t(Ainv)
  m_se <- sqrt(drop(t(grad) %*% V %*% grad))
  psi_g <- rowsum(psi, cl)
  Vc <- G / (G - 1) * Ainv %*% crossprod(psi_g) %*% t(Ainv)
  m_se_cl <- sqrt(drop(t(grad) %*% Vc %*% grad))
  put(s_name, "estimate", est)
  put(s_name, "se_hc0", hc0)
  put(s_name, "se_hc0_cluster", hc0_cl)
  put(s_name, "se_m", m_se)
  put(s_name, "se_m_cluster", m_se_cl)
  put(s_name, "sum_w_treated", sum(w[t == 1]))
  put(s_name, "sum_w_control", sum(w[t == 0]))
  put(s_name, "w_first", w[1])
  put(s_name, "w_last", w[n])
}
put("all", "n_clusters", G)

# Augmented IPW: outcome regressions per arm on the same covariates, explicit formulas.
f_out <- re78 ~ age + educ + race + married + nodegree + re74 + re75
m1 <- predict(lm(f_out, data = d[d$treat == 1, ]), newdata = d)
m0 <- predict(lm(f_out, data = d[d$treat == 0, ]), newdata = d)
n1 <- sum(t); n0 <- n - n1
cl_se <- function(phi, denom) sqrt(G / (G - 1) * sum(rowsum(phi, cl)^2)) / denom
# ATE
aug <- m1 - m0 + t * (y - m1) / e - (1 - t) * (y - m0) / (1 - e)
tau <- mean(aug); phi <- aug - tau
put("aipw_ate", "estimate", tau)
put("aipw_ate", "se", sqrt(sum(phi^2)) / n)
put("aipw_ate", "se_cluster", cl_se(phi, n))
# ATT: treated outcomes against the control regression, controls reweighted by the odds e/(1-e).
tau <- (sum(t * (y - m0)) - sum((1 - t) * e / (1 - e) * (y - m0))) / n1
phi <- t * (y - m0 - tau) - (1 - t) * e / (1 - e) * (y - m0)
put("aipw_att", "estimate", tau)
put("aipw_att", "se", sqrt(sum(phi^2)) / n1)
put("aipw_att", "se_cluster", cl_se(phi, n1))
# ATC: mirror image.
tau <- (sum((1 - t) * (m1 - y)) + sum(t * (1 - e) / e * (y - m1))) / n0
phi <- (1 - t) * (m1 - y - tau) + t * (1 - e) / e * (y - m1)
put("aipw_atc", "estimate", tau)
put("aipw_atc", "se", sqrt(sum(phi^2)) / n0)
put("aipw_atc", "se_cluster", cl_se(phi, n0))

res <- do.call(rbind, out)
write.csv(res, "weighting_reference.csv", row.names = FALSE, quote = FALSE)
print(res)
