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
                         vi = c(0.023, 0.052, 0.060, 0.115, 0.095, 0.203, 0.200, 0.211, 0.051, 0.040)),
  # the two constructed (RE)ML cases of make_reference.R, whose Fisher scoring halves steps at 0
  two_modes = list(source = "simulated; REML likelihood with a local maximum at 0 and the maximum at 0.069",
                   yi = c(0.5219, 0.2505, 0.0349, 1.4733, 0.2793, 0.7502, 0.9299, -0.2869, 0.1311, 0.2685),
                   vi = c(0.2887, 0.0164, 0.0563, 0.1669, 0.0885, 0.2215, 0.1817, 0.0826, 0.1407, 0.0144)),
  boundary = list(source = "constructed; REML Fisher scoring stops below the likelihood at tau^2 = 0",
                  yi = c(0.045, -0.0688, 0.0895, -0.0162, 3.5604, 3.1722, 1.4508, 4.0603),
                  vi = c(0.0088, 0.003, 0.0033, 0.0095, 2.3334, 0.8161, 5.8631, 9.2931))
)

cases <- lapply(names(datasets), function(name) {
  d <- datasets[[name]]
  tau2 <- lapply(TAU2_METHODS, function(m) suppressWarnings(rma(d$yi, d$vi, method = m, control = TIGHT))$tau2)
  names(tau2) <- TAU2_METHODS
  # the Q-profile interval does not depend on the estimator; 95 % (the default level) and 80 %
  qp <- function(level) {
    ci <- confint(rma(d$yi, d$vi, method = "DL", level = level), control = list(tol = 1e-12, tau2.max = 1e7))
    unname(ci$random["tau^2", c("ci.lb", "ci.ub")])
  }
  # (RE)ML with metafor's default control: where its Fisher scoring from the HE value stops (|change| < 1e-5);
  # sysrev's scoring stage must stop at the same point before it solves the likelihood equation exactly.
  # Left out (null) where metafor then sets tau^2 = 0 because the likelihood at 0 is higher.
  scoring <- lapply(c(REML = "REML", ML = "ML"), function(m) {
    res <- suppressWarnings(rma(d$yi, d$vi, method = m))
    if (res$tau2 > 0) res$tau2 else NA
  })
  list(dataset = name, source = d$source, yi = d$yi, vi = d$vi, tau2 = tau2,
       tau2_ci_95 = qp(95), tau2_ci_80 = qp(80), fisher_scoring_default = scoring)
})

reference <- list(
  generated_by = "validation/metafor/make_edge_reference.R",
  R = R.version.string,
  metafor = as.character(packageVersion("metafor")),
  control = paste("rma control threshold=1e-12, maxiter=10000, tol=1e-12; confint tol=1e-12, tau2.max=1e7;",
                  "fisher_scoring_default: rma's default control"),
  cases = cases
)
writeLines(toJSON(reference, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = 1), out_path)
cat(sprintf("wrote %s: %d cases\n", out_path, length(cases)))
