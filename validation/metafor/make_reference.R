# Pinned reference values for sysrev's meta-analysis engine, computed with R's metafor.
#
# Usage (from the repository root):  Rscript validation/metafor/make_reference.R [OUTPUT.json]
# Needs the Debian packages r-cran-metafor, r-cran-metadat and r-cran-jsonlite.
#
# Every case records the input rows (so the Python tests need neither R nor the metadat package), the
# sysrev arguments that must reproduce it, and metafor's numbers under the name sysrev reports them by.
# Iterative estimators are run to tight tolerances (threshold 1e-12, uniroot tol 1e-12) so that the pinned
# numbers are the exact solutions, not metafor's default stopping point (|change in tau^2| < 1e-5), and the
# Q-profile search for the tau^2 interval may go up to 1e7: by default metafor stops at max(100, 10 * tau^2)
# and reports that limit, printed as ">limit", where the upper bound lies beyond it.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[1] else "validation/metafor/reference.json"

TIGHT <- list(threshold = 1e-12, maxiter = 10000, tol = 1e-12)
TAU2_METHODS <- c("DL", "REML", "PM", "ML", "HS", "SJ", "HE", "EB")

# ---------------------------------------------------------------------------------------------- datasets
binary_rows <- function(study, e1, n1, e2, n2, ...) {
  data.frame(study = study, events1 = e1, n1 = n1, events2 = e2, n2 = n2, ..., stringsAsFactors = FALSE)
}

bcg <- dat.bcg
yus <- dat.yusuf1985[dat.yusuf1985$table == "6" & !is.na(dat.yusuf1985$ai), ]
col <- dat.collins1985a[!is.na(dat.collins1985a$b.xti) & !is.na(dat.collins1985a$b.xci), ]
nor <- dat.normand1999
rau <- dat.raudenbush1985

datasets <- list(
  bcg = list(source = "metadat::dat.bcg (BCG vaccine, Colditz 1994)", type = "binary",
             rows = binary_rows(paste(bcg$author, bcg$year), bcg$tpos, bcg$tpos + bcg$tneg,
                                bcg$cpos, bcg$cpos + bcg$cneg, alloc = bcg$alloc)),
  hine1989 = list(source = "metadat::dat.hine1989 (lidocaine, Hine 1989)", type = "binary",
                  rows = with(dat.hine1989, binary_rows(source, ai, n1i, ci, n2i))),
  egger2001 = list(source = "metadat::dat.egger2001 (magnesium, Egger 2001)", type = "binary",
                   rows = with(dat.egger2001, binary_rows(paste(study, year), ai, n1i, ci, n2i))),
  lee2004 = list(source = "metadat::dat.lee2004 (acupoint stimulation, Lee & Done 2004)", type = "binary",
                 rows = with(dat.lee2004, binary_rows(paste(study, year), ai, n1i, ci, n2i))),
  yusuf1985 = list(source = "metadat::dat.yusuf1985, table 6 (beta blockers; part = id before the dot), rows with data",
                   type = "binary",
                   rows = binary_rows(paste0(yus$trial, " (", yus$id, ")"), yus$ai, yus$n1i, yus$ci, yus$n2i,
                                      part = sub("\\..*$", "", yus$id))),
  collins1985a = list(source = "metadat::dat.collins1985a (outcome b.x*, rows with data; ctrl = control type)",
                      type = "binary",
                      rows = binary_rows(paste(col$trial, col$year), col$b.xti, col$nti, col$b.xci, col$nci,
                                         ctrl = col$ctrl)),
  normand1999 = list(source = "metadat::dat.normand1999 (stroke units, Normand 1999)", type = "continuous",
                     rows = data.frame(study = nor$source, n1 = nor$n1i, mean1 = nor$m1i, sd1 = nor$sd1i,
                                       n2 = nor$n2i, mean2 = nor$m2i, sd2 = nor$sd2i, stringsAsFactors = FALSE)),
  raudenbush1985 = list(source = "metadat::dat.raudenbush1985 (teacher expectancy; yi, vi as given)",
                        type = "generic",
                        rows = data.frame(study = paste(rau$author, rau$year, rau$study), yi = rau$yi,
                                          vi = rau$vi, tester = rau$tester, stringsAsFactors = FALSE)),
  # simulated (benchmarks/meta_speed.py, seed 1, analysis 354, rounded): the REML likelihood decreases from
  # tau^2 = 0 and has its maximum at tau^2 = 0.069, so "g(0) < 0 means tau^2 = 0" would be wrong here
  two_modes = list(source = "simulated; REML likelihood with a local maximum at 0 and the maximum at 0.069",
                   type = "generic",
                   rows = data.frame(study = paste("Study", 1:10),
                                     yi = c(0.5219, 0.2505, 0.0349, 1.4733, 0.2793, 0.7502, 0.9299, -0.2869, 0.1311, 0.2685),
                                     vi = c(0.2887, 0.0164, 0.0563, 0.1669, 0.0885, 0.2215, 0.1817, 0.0826, 0.1407, 0.0144),
                                     stringsAsFactors = FALSE)),
  # constructed (issue 19): four precise studies near 0 and four imprecise ones near 3; metafor's Fisher
  # scoring stops at a point whose likelihood is below that at tau^2 = 0, so it reports tau^2 = 0 (REML)
  boundary = list(source = "constructed; REML Fisher scoring stops below the likelihood at tau^2 = 0",
                  type = "generic",
                  rows = data.frame(study = paste("Study", 1:8),
                                    yi = c(0.045, -0.0688, 0.0895, -0.0162, 3.5604, 3.1722, 1.4508, 4.0603),
                                    vi = c(0.0088, 0.003, 0.0033, 0.0095, 2.3334, 0.8161, 5.8631, 9.2931),
                                    stringsAsFactors = FALSE))
)

# ---------------------------------------------------------------------------------------------- helpers
effect_sizes <- function(rows, type, measure) {
  if (type == "binary") return(escalc(measure, ai = rows$events1, n1i = rows$n1, ci = rows$events2, n2i = rows$n2))
  if (type == "continuous") return(escalc(measure, m1i = rows$mean1, sd1i = rows$sd1, n1i = rows$n1,
                                          m2i = rows$mean2, sd2i = rows$sd2, n2i = rows$n2))
  data.frame(yi = rows$yi, vi = rows$vi)
}

has_double_zero <- function(rows) {
  any((rows$events1 == 0 & rows$events2 == 0) | (rows$events1 == rows$n1 & rows$events2 == rows$n2))
}
has_zero_cell <- function(rows) {
  any(rows$events1 == 0 | rows$events2 == 0 | rows$events1 == rows$n1 | rows$events2 == rows$n2)
}

na_to_null <- function(x) if (is.null(x) || length(x) == 0 || all(is.na(x))) NA else x

# metafor's numbers under sysrev's field names; estimate/CI/PI on the reporting scale (exp for ratios)
summarise_fit <- function(res, ratio, random) {
  tr <- if (ratio) exp else identity
  k <- if (!is.null(res$k.yi)) res$k.yi else res$k
  out <- list(k = k, estimate = tr(c(res$beta)), ci_low = tr(res$ci.lb), ci_high = tr(res$ci.ub), se = res$se,
              z = res$zval, p = res$pval, Q = res$QE, Q_df = k - 1, Q_p = res$QEp, I2 = res$I2, H2 = res$H2,
              I2_revman = max(0, (res$QE - (k - 1)) / res$QE) * 100,
              tau2 = NA, tau2_ci_low = NA, tau2_ci_high = NA, pi_low = NA, pi_high = NA,
              I2_ci_low = NA, I2_ci_high = NA, H2_ci_low = NA, H2_ci_high = NA)
  if (random) {
    ci <- confint(res, control = list(tol = 1e-12, tau2.max = 1e7))$random
    pr <- predict(res)
    out$tau2 <- res$tau2
    out$tau2_ci_low <- ci["tau^2", "ci.lb"]
    out$tau2_ci_high <- ci["tau^2", "ci.ub"]
    out$I2_ci_low <- ci["I^2(%)", "ci.lb"]
    out$I2_ci_high <- ci["I^2(%)", "ci.ub"]
    out$H2_ci_low <- ci["H^2", "ci.lb"]
    out$H2_ci_high <- ci["H^2", "ci.ub"]
    out$pi_low <- tr(pr$pi.lb)
    out$pi_high <- tr(pr$pi.ub)
  }
  yi <- if (!is.null(res$yi.f)) res$yi.f else res$yi
  vi <- if (!is.null(res$vi.f)) res$vi.f else res$vi
  out$studies <- list(yi = c(yi), vi = c(vi), weight = unname(c(weights(res))))
  out
}

fit <- function(rows, type, args) {
  ratio <- args$measure %in% c("RR", "OR", "PETO")
  random <- args$model == "random"
  if (args$method == "MH") {
    res <- rma.mh(ai = rows$events1, n1i = rows$n1, ci = rows$events2, n2i = rows$n2, measure = args$measure)
  } else if (args$method == "PETO") {
    res <- rma.peto(ai = rows$events1, n1i = rows$n1, ci = rows$events2, n2i = rows$n2)
  } else {
    measure <- if (args$measure == "GEN") NA else args$measure
    es <- effect_sizes(rows, type, measure)
    res <- rma(es$yi, es$vi, method = if (random) args$tau2 else "FE",
               test = if (args$ci == "hksj") "knha" else "z", control = TIGHT)
  }
  list(res = res, summary = summarise_fit(res, ratio, random))
}

case <- function(dsname, measure, method = "IV", model = "fixed", tau2 = "DL", ci = "z", subgroup = NULL,
                 zero = NULL) {
  ds <- datasets[[dsname]]
  rows <- ds$rows
  if (is.null(zero)) {
    # sysrev's default RevMan rule equals metafor's whenever no study is double-zero (IV) or no study has a
    # zero cell (MH/Peto pool raw counts in metafor); otherwise the case asks for zero = "metafor".
    if (ds$type != "binary") zero <- "revman"
    else if (method == "IV" && measure != "PETO") zero <- if (has_double_zero(rows)) "metafor" else "revman"
    else if (method == "MH" && measure == "RD") zero <- "metafor"   # Sato-Greenland-Robins variance
    else zero <- if (has_zero_cell(rows)) "metafor" else "revman"
  }
  args <- list(measure = measure, method = method, model = model, tau2 = tau2, ci = ci,
               smd = if (measure == "SMD") "exact" else "revman", zero = zero,
               subgroup = if (is.null(subgroup)) NA else subgroup, level = 95)
  expected <- fit(rows, ds$type, args)$summary
  if (!is.null(subgroup)) {
    groups <- list()
    est <- c()
    se <- c()
    for (g in unique(rows[[subgroup]])) {
      s <- fit(rows[rows[[subgroup]] == g, ], ds$type, args)
      groups[[g]] <- s$summary
      est <- c(est, c(s$res$beta))
      se <- c(se, s$res$se)
    }
    test <- rma(est, sei = se, method = "FE")
    expected$subgroups <- groups
    expected$subgroup_test <- list(Q = test$QE, df = length(est) - 1, p = test$QEp,
                                   I2 = max(0, (test$QE - (length(est) - 1)) / test$QE) * 100)
  }
  label <- paste(c(dsname, measure, method, model, if (model == "random") tau2, ci, zero,
                   if (!is.null(subgroup)) paste0("by-", subgroup)), collapse = "-")
  list(id = label, dataset = dsname, args = args, expected = expected)
}

# ---------------------------------------------------------------------------------------------- pooling cases
cases <- list()
add <- function(x) cases[[length(cases) + 1]] <<- x

iv_grid <- function(dsname, measure) {
  add(case(dsname, measure))
  for (m in TAU2_METHODS) add(case(dsname, measure, model = "random", tau2 = m))
  for (m in c("DL", "REML", "PM")) add(case(dsname, measure, model = "random", tau2 = m, ci = "hksj"))
}

for (ds in c("bcg", "egger2001", "lee2004", "yusuf1985", "collins1985a")) {
  for (measure in c("RR", "OR", "RD")) iv_grid(ds, measure)
  for (measure in c("RR", "OR", "RD")) add(case(ds, measure, method = "MH"))
  add(case(ds, "PETO", method = "PETO"))
  add(case(ds, "PETO", method = "IV"))
  add(case(ds, "PETO", method = "IV", model = "random", tau2 = "REML"))
}
for (measure in c("RR", "OR")) add(case("bcg", measure, method = "MH", zero = "metafor"))
for (measure in c("RD", "RR")) iv_grid("hine1989", measure)
add(case("hine1989", "RD", method = "MH"))
for (measure in c("MD", "SMD")) iv_grid("normand1999", measure)
iv_grid("raudenbush1985", "GEN")
iv_grid("two_modes", "GEN")
for (m in c("REML", "ML")) add(case("boundary", "GEN", model = "random", tau2 = m))

# subgroups (RevMan layout: each subgroup on its own, test on the subgroup estimates)
for (spec in list(list("bcg", "alloc"), list("yusuf1985", "part"), list("collins1985a", "ctrl"))) {
  ds <- spec[[1]]
  sg <- spec[[2]]
  add(case(ds, "RR", subgroup = sg))
  add(case(ds, "RR", model = "random", tau2 = "DL", subgroup = sg))
  add(case(ds, "RR", model = "random", tau2 = "REML", subgroup = sg))
  add(case(ds, "OR", method = "MH", subgroup = sg))
  add(case(ds, "RR", model = "random", tau2 = "REML", ci = "hksj", subgroup = sg))
}
add(case("raudenbush1985", "GEN", model = "random", tau2 = "REML", subgroup = "tester"))
add(case("raudenbush1985", "GEN", subgroup = "tester"))

# ---------------------------------------------------------------------------------------------- other analyses
# leave-one-out (leave1out), Egger (regtest, models "rma" and "lm"), Begg (ranktest), fail-safe N (fsn,
# Rosenthal), trim-and-fill (trimfill)
rma_for <- function(dsname, measure, tau2, ci = "z") {
  rows <- datasets[[dsname]]$rows
  es <- effect_sizes(rows, datasets[[dsname]]$type, if (measure == "GEN") NA else measure)
  rma(es$yi, es$vi, method = if (is.na(tau2)) "FE" else tau2, test = if (ci == "hksj") "knha" else "z",
      control = TIGHT)
}
spec_args <- function(dsname, measure, tau2, ci = "z") {
  zero <- if (datasets[[dsname]]$type == "binary" && has_double_zero(datasets[[dsname]]$rows)) "metafor" else "revman"
  list(measure = measure, method = "IV", model = if (is.na(tau2)) "fixed" else "random",
       tau2 = if (is.na(tau2)) "DL" else tau2, ci = ci, smd = if (measure == "SMD") "exact" else "revman",
       zero = zero, level = 95)
}

loo_specs <- list(list("bcg", "RR", "REML", "z"), list("bcg", "RR", "DL", "hksj"), list("normand1999", "MD", NA, "z"),
                  list("raudenbush1985", "GEN", "REML", "z"), list("lee2004", "OR", "PM", "z"))
leave_one_out <- lapply(loo_specs, function(s) {
  l <- leave1out(rma_for(s[[1]], s[[2]], s[[3]], s[[4]]))
  list(dataset = s[[1]], args = spec_args(s[[1]], s[[2]], s[[3]], s[[4]]),
       expected = list(estimate = l$estimate, se = l$se, z = if (is.null(l$zval)) l$tval else l$zval, p = l$pval, ci_low = l$ci.lb,
                       ci_high = l$ci.ub, Q = l$Q, Q_p = l$Qp, tau2 = l$tau2, I2 = l$I2, H2 = l$H2))
})

bias_specs <- list(list("egger2001", "OR", "REML"), list("egger2001", "OR", NA), list("bcg", "RR", "DL"),
                   list("raudenbush1985", "GEN", "REML"), list("lee2004", "OR", "DL"),
                   list("normand1999", "MD", NA), list("collins1985a", "OR", "PM"), list("bcg", "RR", "REML", "hksj"))
bias <- lapply(bias_specs, function(s) {
  ci <- if (length(s) >= 4) s[[4]] else "z"
  res <- rma_for(s[[1]], s[[2]], s[[3]], ci)
  reg <- regtest(res)
  reg_lm <- regtest(res, model = "lm")
  rank <- ranktest(res)
  tf <- trimfill(res, control = TIGHT)
  tf_r0 <- trimfill(res, estimator = "R0", control = TIGHT)
  fs <- fsn(res$yi, res$vi)
  list(dataset = s[[1]], args = spec_args(s[[1]], s[[2]], s[[3]], ci),
       expected = list(
         egger = list(z = reg$zval, p = reg$pval, df = if (ci == "hksj") reg$dfs else NA, limit_estimate = reg$est),
         egger_lm = list(t = reg_lm$zval, p = reg_lm$pval, df = reg_lm$dfs, limit_estimate = reg_lm$est),
         begg = list(tau = unname(rank$tau), p = rank$pval),
         fail_safe_n = list(n = fs$fsnum, p = fs$pval),
         trimfill = list(k0 = tf$k0, side = tf$side, estimate = c(tf$beta), se = tf$se, ci_low = tf$ci.lb,
                         ci_high = tf$ci.ub, tau2 = tf$tau2, filled_yi = c(tf$yi[tf$fill]),
                         filled_vi = c(tf$vi[tf$fill])),
         trimfill_R0 = list(k0 = tf_r0$k0, side = tf_r0$side, estimate = c(tf_r0$beta), se = tf_r0$se,
                            ci_low = tf_r0$ci.lb, ci_high = tf_r0$ci.ub, tau2 = tf_r0$tau2,
                            filled_yi = c(tf_r0$yi[tf_r0$fill]), filled_vi = c(tf_r0$vi[tf_r0$fill]))))
})

reference <- list(
  generated_by = "validation/metafor/make_reference.R",
  R = R.version.string,
  metafor = as.character(packageVersion("metafor")),
  metadat = as.character(packageVersion("metadat")),
  control = "rma/trimfill control threshold=1e-12, maxiter=10000, tol=1e-12; confint tol=1e-12, tau2.max=1e7",
  datasets = datasets,
  cases = cases,
  leave_one_out = leave_one_out,
  bias = bias
)
writeLines(toJSON(reference, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = 1,
                  dataframe = "rows"), out_path)
cat(sprintf("wrote %s: %d pooling cases, %d leave-one-out, %d bias analyses\n", out_path, length(cases),
            length(leave_one_out), length(bias)))
