# Reference for tests/its_sicily.rs: nlme::gls with AR(2) errors (REML) on the Sicily rate.
# Run: Rscript sicily_ar2.R > sicily_ar2.csv
suppressMessages(library(nlme))
s <- read.csv("sicily.csv")
s$rate <- s$aces / s$stdpop * 1e5
s$post <- pmax(s$time - 36, 0) * s$smokban
f <- gls(rate ~ smokban + time + post, s, correlation = corARMA(p = 2), method = "REML",
         control = glsControl(tolerance = 1e-10, msTol = 1e-10, maxIter = 500, msMaxIter = 500))
phi <- coef(f$modelStruct$corStruct, unconstrained = FALSE)
out <- data.frame(name = c("estimate", "se", "phi1", "phi2"),
                  value = c(coef(f)[["smokban"]], sqrt(vcov(f)["smokban", "smokban"]), phi[[1]], phi[[2]]))
write.csv(out, stdout(), row.names = FALSE)
