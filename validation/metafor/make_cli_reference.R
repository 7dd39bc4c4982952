# metafor's numbers for the `sysrev meta pool --json` contract, on metadat datasets that make_reference.R
# does not use (the issue's acceptance check: "compares these fields with metafor on data beyond the
# validation set").
#
# Usage (from the repository root):  Rscript validation/metafor/make_cli_reference.R [OUTPUT.json]
# Needs the Debian packages r-cran-metafor, r-cran-metadat and r-cran-jsonlite.
#
# Each case records the CSV rows, the `sysrev meta pool` options and, under the --json field names, every
# field the issue lists: the overall result, each study (yi, vi, estimate, ci_low, ci_high, weight), each
# subgroup and the test for subgroup differences. Fields the contract says do not apply (tau2, its interval
# and the prediction interval of a fixed-effect model) are recorded as null. Besides what make_reference.R
# covers, these cases check the per-study intervals, confidence levels other than 95%, RevMan's rule of
# leaving double-zero studies out of RR/OR (metafor's escalc(drop00 = TRUE)), RevMan's SMD and RevMan's
# Mantel-Haenszel random-effects model. metafor has neither of the last two; they are written out here
# from their definitions (docs/meta.md, Conventions) with metafor doing the pooling.

suppressPackageStartupMessages({
  library(metafor)
  library(metadat)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[1] else "validation/metafor/cli_reference.json"

TIGHT <- list(threshold = 1e-12, maxiter = 10000, tol = 1e-12)
CONFINT <- list(tol = 1e-12, tau2.max = 1e7)

# ---------------------------------------------------------------------------------------------- datasets
# study names must be unique within a subgroup for sysrev: repeated names get their row number
unique_names <- function(s) {
  s <- as.character(s)
  repeated <- duplicated(s) | duplicated(s, fromLast = TRUE)
  s[repeated] <- paste0(s[repeated], " (row ", seq_along(s)[repeated], ")")
  s
}
binary_rows <- function(study, e1, n1, e2, n2, ...) {
  data.frame(study = unique_names(study), events1 = e1, n1 = n1, events2 = e2, n2 = n2, ...,
             stringsAsFactors = FALSE)
}

gib <- dat.gibson2002[!is.na(dat.gibson2002$m1i), ]
lao <- dat.laopaiboon2015
hack <- dat.hackshaw1998
bd <- dat.bangertdrowns2004

datasets <- list(
  li2007 = list(source = "metadat::dat.li2007 (magnesium, Li 2007; two single-zero trials)", type = "binary",
                rows = with(dat.li2007, binary_rows(study, ai, n1i, ci, n2i))),
  anand1999 = list(source = "metadat::dat.anand1999 (oral anticoagulants, Anand 1999; one double-zero trial)",
                   type = "binary",
                   rows = with(dat.anand1999, binary_rows(study, ai, n1i, ci, n2i,
                                                          intensity = as.character(intensity)))),
  laopaiboon2015 = list(source = "metadat::dat.laopaiboon2015 (azithromycin, Laopaiboon 2015)", type = "binary",
                        rows = binary_rows(paste(lao$author, lao$year), lao$ai, lao$n1i, lao$ci, lao$n2i,
                                           ctrl = as.character(lao$ctrl))),
  gibson2002 = list(source = "metadat::dat.gibson2002 (asthma education, Gibson 2002), rows with means",
                    type = "continuous",
                    rows = data.frame(study = paste(gib$author, gib$year), n1 = gib$n1i, mean1 = gib$m1i,
                                      sd1 = gib$sd1i, n2 = gib$n2i, mean2 = gib$m2i, sd2 = gib$sd2i,
                                      stringsAsFactors = FALSE)),
  hackshaw1998 = list(source = "metadat::dat.hackshaw1998 (passive smoking, Hackshaw 1998; log OR, vi)",
                      type = "generic",
                      rows = data.frame(study = unique_names(paste(hack$author, hack$year)), yi = hack$yi,
                                        vi = hack$vi, design = as.character(hack$design),
                                        stringsAsFactors = FALSE)),
  bangertdrowns2004 = list(source = "metadat::dat.bangertdrowns2004 (writing to learn; yi and se = sqrt(vi))",
                           type = "generic",
                           rows = data.frame(study = unique_names(paste(bd$author, bd$year)), yi = bd$yi,
                                             se = sqrt(bd$vi), grade = paste("grade", bd$grade),
                                             stringsAsFactors = FALSE))
)

# ---------------------------------------------------------------------------------------------- effects
# RevMan 5's Hedges' g (Deeks & Higgins 2010): J = 1 - 3/(4N - 9), var = N/(n1 n2) + g^2/(2(N - 3.94))
revman_smd <- function(r) {
  N <- r$n1 + r$n2
  sp <- sqrt(((r$n1 - 1) * r$sd1^2 + (r$n2 - 1) * r$sd2^2) / (N - 2))
  g <- (r$mean1 - r$mean2) / sp * (1 - 3 / (4 * N - 9))
  data.frame(yi = g, vi = N / (r$n1 * r$n2) + g^2 / (2 * (N - 3.94)))
}

study_effects <- function(r, type, a) {
  if (type == "binary") {
    # RevMan: a double-zero study is not estimable for RR and OR; otherwise 0.5 is added to a zero cell
    drop00 <- a$zero == "revman" && a$measure %in% c("RR", "OR")
    return(escalc(a$measure, ai = r$events1, n1i = r$n1, ci = r$events2, n2i = r$n2, drop00 = drop00))
  }
  if (type == "continuous") {
    if (a$measure == "SMD" && a$smd == "revman") return(revman_smd(r))
    return(escalc(a$measure, m1i = r$mean1, sd1i = r$sd1, n1i = r$n1, m2i = r$mean2, sd2i = r$sd2, n2i = r$n2))
  }
  data.frame(yi = r$yi, vi = if (!is.null(r$vi)) r$vi else r$se^2)
}

# ---------------------------------------------------------------------------------------------- one analysis
tau2_interval <- function(res) confint(res, control = CONFINT)$random["tau^2", c("ci.lb", "ci.ub")]
prediction_interval <- function(res) { pr <- predict(res); c(pr$pi.lb, pr$pi.ub) }

analyse <- function(r, type, a) {
  ratio <- a$measure %in% c("RR", "OR", "PETO")
  report <- if (ratio) exp else identity
  random <- a$model == "random"
  test <- if (a$ci == "hksj") "knha" else "z"
  out <- list(tau2 = NA, tau2_ci = c(NA, NA), pi = c(NA, NA))
  if (a$method == "MH" && random) {
    # RevMan's "M-H, Random": DL tau^2 from the Mantel-Haenszel Q, then inverse-variance pooling
    mh <- rma.mh(ai = r$events1, n1i = r$n1, ci = r$events2, n2i = r$n2, measure = a$measure, level = a$level)
    es <- data.frame(yi = mh$yi.f, vi = mh$vi.f)
    k <- mh$k.yi
    w <- 1 / es$vi
    tau2 <- max(0, (mh$QE - (k - 1)) / (sum(w) - sum(w^2) / sum(w)))
    res <- rma(es$yi, es$vi, tau2 = tau2, level = a$level, test = test)
    weight <- weights(res)
    out$tau2 <- tau2
    out$tau2_ci <- tau2_interval(rma(es$yi, es$vi, method = "DL", level = a$level))
    out$pi <- prediction_interval(res)
    het <- list(Q = mh$QE, Q_p = mh$QEp, I2 = max(0, (mh$QE - (k - 1)) / mh$QE) * 100, H2 = mh$QE / (k - 1))
  } else if (a$method %in% c("MH", "PETO")) {
    res <- if (a$method == "MH") {
      rma.mh(ai = r$events1, n1i = r$n1, ci = r$events2, n2i = r$n2, measure = a$measure, level = a$level)
    } else {
      rma.peto(ai = r$events1, n1i = r$n1, ci = r$events2, n2i = r$n2, level = a$level)
    }
    es <- data.frame(yi = res$yi.f, vi = res$vi.f)
    k <- res$k.yi
    weight <- weights(res)
    het <- list(Q = res$QE, Q_p = res$QEp, I2 = res$I2, H2 = res$H2)
  } else {
    es <- study_effects(r, type, a)
    res <- rma(es$yi, es$vi, method = if (random) a$tau2 else "FE", test = test, level = a$level, control = TIGHT)
    k <- res$k
    weight <- rep(0, nrow(r))  # a study that is not estimable has weight 0
    weight[!is.na(es$yi)] <- weights(res)
    het <- list(Q = res$QE, Q_p = res$QEp, I2 = res$I2, H2 = res$H2)
    if (random) {
      out$tau2 <- res$tau2
      out$tau2_ci <- tau2_interval(res)
      out$pi <- prediction_interval(res)
    }
  }
  crit <- qnorm(1 - (1 - a$level / 100) / 2)  # per-study intervals are normal, also under HKSJ
  yi <- c(es$yi)
  vi <- c(es$vi)
  list(
    fit = res,
    fields = list(
      measure = a$measure, method = a$method, model = a$model, tau2_method = if (random) a$tau2 else NA,
      k = k, estimate = report(c(res$beta)), ci_low = report(res$ci.lb), ci_high = report(res$ci.ub),
      se = res$se, z = res$zval, p = res$pval,
      tau2 = out$tau2, tau2_ci_low = unname(out$tau2_ci[1]), tau2_ci_high = unname(out$tau2_ci[2]),
      I2 = het$I2, H2 = het$H2, Q = het$Q, Q_df = k - 1, Q_p = het$Q_p,
      pi_low = report(unname(out$pi[1])), pi_high = report(unname(out$pi[2])),
      studies = data.frame(study = r$study, yi = yi, vi = vi, estimate = report(yi),
                           ci_low = report(yi - crit * sqrt(vi)), ci_high = report(yi + crit * sqrt(vi)),
                           weight = unname(c(weight)), stringsAsFactors = FALSE)))
}

# ---------------------------------------------------------------------------------------------- cases
cases <- list()
add <- function(dsname, measure, method = "IV", model = "fixed", tau2 = "DL", ci = "z", smd = "exact",
                zero = "revman", level = 95, subgroup = NULL) {
  ds <- datasets[[dsname]]
  a <- list(measure = measure, method = method, model = model, tau2 = tau2, ci = ci, smd = smd, zero = zero,
            level = level, subgroup = if (is.null(subgroup)) NA else subgroup)
  expected <- analyse(ds$rows, ds$type, a)$fields
  if (!is.null(subgroup)) {
    # RevMan's layout: each subgroup on its own; the test for differences on the subgroup estimates
    expected$subgroups <- list()
    est <- c()
    se <- c()
    for (g in unique(ds$rows[[subgroup]])) {
      s <- analyse(ds$rows[ds$rows[[subgroup]] == g, ], ds$type, a)
      expected$subgroups[[g]] <- s$fields
      est <- c(est, c(s$fit$beta))
      se <- c(se, s$fit$se)
    }
    test <- rma(est, sei = se, method = "FE")
    df <- length(est) - 1
    expected$subgroup_test <- list(Q = test$QE, df = df, p = test$QEp, I2 = max(0, (test$QE - df) / test$QE) * 100)
  }
  id <- paste(c(dsname, measure, method, model, if (model == "random") tau2, ci,
                if (measure == "SMD") smd, zero, paste0(level, "%"), if (!is.null(subgroup)) paste0("by-", subgroup)),
              collapse = "-")
  cases[[length(cases) + 1]] <<- list(id = id, dataset = dsname, args = a, expected = expected)
}

# dichotomous, single zero cells (RevMan's and metafor's 0.5 rule agree for inverse variance)
add("li2007", "RR")
for (m in c("DL", "REML", "PM", "ML", "HS", "SJ", "HE", "EB")) add("li2007", "OR", model = "random", tau2 = m)
add("li2007", "RD", model = "random", tau2 = "REML", ci = "hksj")
add("li2007", "OR", model = "random", tau2 = "DL", ci = "hksj", level = 90)
# Mantel-Haenszel and Peto pool the raw counts in metafor: zero = "metafor"
add("li2007", "RR", method = "MH", zero = "metafor")
add("li2007", "OR", method = "MH", model = "random", zero = "metafor")
add("li2007", "RD", method = "MH", zero = "metafor")
add("li2007", "PETO", method = "PETO", zero = "metafor")
# a double-zero trial: RevMan leaves it out of RR/OR, metafor's rma.uni keeps it (0.5 added)
add("anand1999", "RR")
add("anand1999", "OR", model = "random", tau2 = "REML")
add("anand1999", "OR", model = "random", tau2 = "DL", zero = "metafor")
add("anand1999", "RR", subgroup = "intensity")
add("anand1999", "RR", model = "random", tau2 = "DL", subgroup = "intensity")
add("anand1999", "OR", model = "random", tau2 = "REML", ci = "hksj", subgroup = "intensity")
add("anand1999", "PETO", method = "PETO", zero = "metafor", subgroup = "intensity")
add("anand1999", "OR", method = "MH", zero = "metafor", subgroup = "intensity")
add("laopaiboon2015", "OR", model = "random", tau2 = "PM", level = 99)
add("laopaiboon2015", "RR", method = "MH", model = "random", zero = "metafor", subgroup = "ctrl")
# continuous
add("gibson2002", "MD")
add("gibson2002", "MD", model = "random", tau2 = "REML", ci = "hksj")
add("gibson2002", "SMD", model = "random", tau2 = "DL")
add("gibson2002", "SMD", model = "random", tau2 = "SJ", level = 90)
add("gibson2002", "SMD", smd = "revman")
add("gibson2002", "SMD", smd = "revman", model = "random", tau2 = "REML")
# generic inverse variance, with vi and with se
add("hackshaw1998", "GEN")
add("hackshaw1998", "GEN", model = "random", tau2 = "HE")
add("hackshaw1998", "GEN", subgroup = "design")
add("hackshaw1998", "GEN", model = "random", tau2 = "REML", ci = "hksj", subgroup = "design")
add("bangertdrowns2004", "GEN", model = "random", tau2 = "ML", ci = "hksj")
add("bangertdrowns2004", "GEN", model = "random", tau2 = "EB", subgroup = "grade")

reference <- list(
  generated_by = "validation/metafor/make_cli_reference.R",
  R = R.version.string,
  metafor = as.character(packageVersion("metafor")),
  metadat = as.character(packageVersion("metadat")),
  control = "rma control threshold=1e-12, maxiter=10000, tol=1e-12; confint tol=1e-12, tau2.max=1e7",
  datasets = datasets,
  cases = cases
)
writeLines(toJSON(reference, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = 1,
                  dataframe = "rows"), out_path)
cat(sprintf("wrote %s: %d cases on %d datasets\n", out_path, length(cases), length(datasets)))
