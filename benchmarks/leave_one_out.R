# R side of benchmarks/leave_one_out.py: metafor on the same studies, timed inside R (start-up not counted).
#
# Usage: Rscript benchmarks/leave_one_out.R DATA.csv METHOD FITS OUT.csv
#   DATA.csv has columns yi, vi; METHOD is FE or a τ² estimator (DL, REML, ...).
#   FITS = 0: leave1out(rma(yi, vi, method = METHOD)), every omission;
#   FITS = n: the first n omissions only, each rma() of the other studies (leave1out fits them the same way).
# Writes OUT.csv: row, estimate and tau2 of each omission done, and the elapsed seconds in `seconds`.
suppressPackageStartupMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1])
method <- args[2]
fits <- as.integer(args[3])
if (fits == 0) {
  seconds <- system.time({
    out <- leave1out(rma(data$yi, data$vi, method = method))
  })[["elapsed"]]
  rows <- seq_along(out$estimate)
  estimate <- out$estimate
  tau2 <- if (is.null(out$tau2)) NA else out$tau2
} else {
  rows <- seq_len(min(fits, nrow(data)))
  estimate <- tau2 <- numeric(length(rows))
  seconds <- system.time(for (i in rows) {
    fit <- rma(data$yi[-i], data$vi[-i], method = method)
    estimate[i] <- fit$beta[1]
    tau2[i] <- fit$tau2
  })[["elapsed"]]
}
write.csv(data.frame(row = rows, estimate = estimate, tau2 = tau2, seconds = seconds), args[4], row.names = FALSE)
