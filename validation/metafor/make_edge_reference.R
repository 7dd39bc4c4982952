# Pinned metafor values for edge cases of the tau^2 estimators that the datasets of make_reference.R do not
# reach (issue 19: written for mutants of sysrev/meta/heterogeneity.py that the suite let survive).
#
# Usage (from the repository root):  Rscript validation/metafor/make_edge_reference.R [OUTPUT.json]
# Needs the Debian packages r-cran-metafor and r-cran-jsonlite. Deterministic: rerunning it with metafor
# 3.8-1 reproduces validation/metafor/edge_reference.json byte for byte.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[1] else "validation/metafor/edge_reference.json"

TIGHT <- list(threshold = 1e-12, maxiter = 10000, tol = 1e-12)
TAU2_METHODS <- c("DL", "REML", "PM", "ML", "HS", "SJ", "HE", "EB")

datasets <- list(
  # three nearly identical estimates with huge variances: every likelihood is almost flat, so
  # ll(0) - ll(tau^2) stays below metafor's tolerance for any moderate tau^2; the estimate is still 0
  flat = list(source = "constructed; an almost flat likelihood with its maximum at tau^2 = 0",
              yi = c(0, 0.001, -0.001), vi = c(1e5, 1e5, 1e5)),
  # Viechtbauer (2005) example 1 (meta_oracles.md row 10): both Q-profile bounds of tau^2 positive
  viechtbauer2005 = list(source = "Viechtbauer 2005 JEBS 30:261, example 1 (yi, vi as printed)",
                         yi = c(-0.581, 0.530, 0.771, 1.031, 0.553, 0.295, 0.078, 0.573, -0.176, -0.232),
                         vi = c(0.023, 0.052, 0.060, 0.115, 0.095, 0.203, 0.200, 0.211, 0.051, 0.040))
)

cases <- lapply(names(datasets), function(name) {
  d <- datasets[[name]]
  tau2 <- lapply(TAU2_METHODS, function(m) rma(d$yi, d$vi, method = m, control = TIGHT)$tau2)
  names(tau2) <- TAU2_METHODS
  # the Q-profile interval does not depend on the estimator; 95 % (the default level) and 80 %
  qp <- function(level) {
    ci <- confint(rma(d$yi, d$vi, method = "DL", level = level), control = list(tol = 1e-12, tau2.max = 1e7))
    unname(ci$random["tau^2", c("ci.lb", "ci.ub")])
  }
  list(dataset = name, source = d$source, yi = d$yi, vi = d$vi, tau2 = tau2,
       tau2_ci_95 = qp(95), tau2_ci_80 = qp(80))
})

reference <- list(
  generated_by = "validation/metafor/make_edge_reference.R",
  R = R.version.string,
  metafor = as.character(packageVersion("metafor")),
  control = "rma control threshold=1e-12, maxiter=10000, tol=1e-12; confint tol=1e-12, tau2.max=1e7",
  cases = cases
)
writeLines(toJSON(reference, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = 1), out_path)
cat(sprintf("wrote %s: %d cases\n", out_path, length(cases)))
