# R side of benchmarks/meta_speed.py: the same analyses with a loop over metafor::rma, timed inside R.
#
# Usage: Rscript benchmarks/meta_speed.R DIR   (DIR holds batch_yi.csv, batch_vi.csv, loo.csv from the Python side)
# Writes DIR/r_batch.csv, DIR/r_batch_tight.csv, DIR/r_loo.csv and DIR/r_times.csv.
suppressPackageStartupMessages(library(metafor))
dir <- commandArgs(trailingOnly = TRUE)[1]
yi <- as.matrix(read.csv(file.path(dir, "batch_yi.csv"), header = FALSE))
vi <- as.matrix(read.csv(file.path(dir, "batch_vi.csv"), header = FALSE))
loo <- read.csv(file.path(dir, "loo.csv"))

fit_all <- function(rows, control = list()) {
  out <- matrix(NA_real_, length(rows), 3)
  for (j in seq_along(rows)) {
    i <- rows[j]
    res <- tryCatch(rma(yi[i, ], vi[i, ], method = "REML", control = control), error = function(e) NULL)
    if (!is.null(res)) out[j, ] <- c(res$beta, res$se, res$tau2)
  }
  out
}

t_batch <- system.time(batch <- fit_all(seq_len(nrow(yi))))[["elapsed"]]
# agreement check at a tight convergence threshold on the first 1000 analyses (not timed)
tight <- fit_all(seq_len(min(1000, nrow(yi))), control = list(threshold = 1e-12, maxiter = 10000))

t_loo <- system.time({
  fit <- rma(loo$yi, loo$vi, method = "REML")
  l1o <- leave1out(fit)
})[["elapsed"]]

write.csv(data.frame(estimate = batch[, 1], se = batch[, 2], tau2 = batch[, 3]), file.path(dir, "r_batch.csv"), row.names = FALSE)
write.csv(data.frame(estimate = tight[, 1], se = tight[, 2], tau2 = tight[, 3]), file.path(dir, "r_batch_tight.csv"), row.names = FALSE)
write.csv(data.frame(estimate = l1o$estimate, se = l1o$se, tau2 = l1o$tau2), file.path(dir, "r_loo.csv"), row.names = FALSE)
write.csv(data.frame(batch = t_batch, loo = t_loo, metafor = as.character(packageVersion("metafor"))),
          file.path(dir, "r_times.csv"), row.names = FALSE)
