# Pinned reference values for sysrev's cumulative meta-analysis (sysrev/meta/cumulative.py), from metafor's cumul().
#
# Usage (from the repository root):  Rscript validation/metafor/make_cumulative_reference.R [OUTPUT.json]
# Needs the Debian packages r-cran-metafor, r-cran-metadat and r-cran-jsonlite.
#
# Each case records the input rows (so the Python test needs neither R nor metadat), the sysrev arguments,
# the column the studies are ordered by, and cumul()'s rows under sysrev's field names, on the analysis scale
# (log for ratio measures; cumul() is called without transf). Iterative estimators run to tight tolerances
# (threshold 1e-12) so that the pinned numbers are exact solutions, as in make_reference.R.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[1] else "validation/metafor/cumulative_reference.json"

TIGHT <- list(threshold = 1e-12, maxiter = 10000, tol = 1e-12)
TAU2_METHODS <- c("DL", "REML", "PM", "ML", "HS", "SJ", "HE", "EB")

binary_rows <- function(study, e1, n1, e2, n2, ...) {
  data.frame(study = study, events1 = e1, n1 = n1, events2 = e2, n2 = n2, ..., stringsAsFactors = FALSE)
}

bcg <- dat.bcg
nor <- dat.normand1999
bd <- dat.bangertdrowns2004[!is.na(dat.bangertdrowns2004$yi), ]

datasets <- list(
  # two trials of 1973 (Comstock & Webster, Coetzee & Berjak): ties keep their order in the table
  bcg = list(source = "metadat::dat.bcg (BCG vaccine trials 1948-1980, Colditz 1994)", type = "binary",
             rows = binary_rows(paste(bcg$author, bcg$year), bcg$tpos, bcg$tpos + bcg$tneg,
                                bcg$cpos, bcg$cpos + bcg$cneg, year = bcg$year)),
  egger2001 = list(source = "metadat::dat.egger2001 (magnesium after myocardial infarction, Egger 2001)",
                   type = "binary",
                   rows = with(dat.egger2001, binary_rows(paste(study, year), ai, n1i, ci, n2i, year = year))),
  normand1999 = list(source = "metadat::dat.normand1999 (stroke units; ordered by n1, largest first)",
                     type = "continuous",
                     rows = data.frame(study = nor$source, n1 = nor$n1i, mean1 = nor$m1i, sd1 = nor$sd1i,
                                       n2 = nor$n2i, mean2 = nor$m2i, sd2 = nor$sd2i, stringsAsFactors = FALSE)),
  bangertdrowns2004 = list(source = "metadat::dat.bangertdrowns2004 (writing-to-learn; yi, vi as given)",
                           type = "generic",
                           rows = data.frame(study = paste(bd$id, bd$author), yi = bd$yi, vi = bd$vi,
                                             year = bd$year, stringsAsFactors = FALSE))
)

fit_full <- function(rows, type, a) {
  if (a$method == "MH")
    return(rma.mh(ai = rows$events1, n1i = rows$n1, ci = rows$events2, n2i = rows$n2, measure = a$measure))
  if (a$method == "PETO")
    return(rma.peto(ai = rows$events1, n1i = rows$n1, ci = rows$events2, n2i = rows$n2))
  method <- if (a$model == "fixed") "FE" else a$tau2
  test <- if (!is.null(a$ci) && a$ci == "hksj") "knha" else "z"
  level <- if (is.null(a$level)) 95 else a$level
  if (type == "binary")
    return(rma(measure = a$measure, ai = rows$events1, n1i = rows$n1, ci = rows$events2, n2i = rows$n2,
               method = method, test = test, level = level, control = TIGHT))
  if (type == "continuous")
    return(rma(measure = a$measure, m1i = rows$mean1, sd1i = rows$sd1, n1i = rows$n1, m2i = rows$mean2,
               sd2i = rows$sd2, n2i = rows$n2, method = method, test = test, level = level, control = TIGHT))
  rma(yi = rows$yi, vi = rows$vi, method = method, test = test, level = level, control = TIGHT)
}

cases <- list()
add_case <- function(id, dataset, a, order_by, descending = FALSE) {
  d <- datasets[[dataset]]
  # sysrev's zero="metafor": escalc's 0.5 for tables with a zero cell, rma.mh/rma.peto on the raw counts
  if (d$type == "binary") a$zero <- "metafor"
  res <- fit_full(d$rows, d$type, a)
  # cumul() (metafor 3.8) looks its `order` up in the model's data or the global environment, not here
  assign("cumul_order", d$rows[[order_by]], envir = globalenv())
  cm <- cumul(res, order = cumul_order, decreasing = descending)
  stat <- if (!is.null(cm$zval)) cm$zval else cm$tval
  expected <- list(study = d$rows$study[order(d$rows[[order_by]], decreasing = descending)],
                   estimate = unname(cm$estimate), se = unname(cm$se), z = unname(stat), p = unname(cm$pval),
                   ci_low = unname(cm$ci.lb), ci_high = unname(cm$ci.ub), Q = unname(cm$Q), Q_p = unname(cm$Qp),
                   I2 = unname(cm$I2), H2 = unname(cm$H2))
  if (!is.null(cm$tau2)) expected$tau2 <- unname(cm$tau2)
  cases[[length(cases) + 1]] <<- list(id = id, dataset = dataset, args = a, order_by = order_by,
                                      descending = descending, expected = expected)
}

add_case("bcg-RR-IV-fixed", "bcg", list(measure = "RR", method = "IV", model = "fixed"), "year")
for (m in TAU2_METHODS)
  add_case(paste0("bcg-RR-IV-random-", m), "bcg", list(measure = "RR", method = "IV", model = "random", tau2 = m),
           "year")
add_case("bcg-RR-IV-random-REML-hksj", "bcg",
         list(measure = "RR", method = "IV", model = "random", tau2 = "REML", ci = "hksj"), "year")
add_case("bcg-RR-IV-random-DL-level90-descending", "bcg",
         list(measure = "RR", method = "IV", model = "random", tau2 = "DL", level = 90), "year", descending = TRUE)
add_case("bcg-OR-MH-fixed", "bcg", list(measure = "OR", method = "MH", model = "fixed"), "year")
add_case("bcg-RR-MH-fixed", "bcg", list(measure = "RR", method = "MH", model = "fixed"), "year")
add_case("egger2001-PETO-fixed", "egger2001", list(measure = "PETO", method = "PETO", model = "fixed"), "year")
add_case("egger2001-OR-IV-fixed", "egger2001", list(measure = "OR", method = "IV", model = "fixed"), "year")
for (m in TAU2_METHODS)
  add_case(paste0("egger2001-OR-IV-random-", m), "egger2001",
           list(measure = "OR", method = "IV", model = "random", tau2 = m), "year")
add_case("normand1999-MD-IV-fixed-descending", "normand1999", list(measure = "MD", method = "IV", model = "fixed"),
         "n1", descending = TRUE)
for (m in TAU2_METHODS)
  add_case(paste0("normand1999-MD-IV-random-", m, "-descending"), "normand1999",
           list(measure = "MD", method = "IV", model = "random", tau2 = m), "n1", descending = TRUE)
add_case("bangertdrowns2004-GEN-IV-fixed", "bangertdrowns2004", list(measure = "GEN", method = "IV", model = "fixed"),
         "year")
for (m in TAU2_METHODS)
  add_case(paste0("bangertdrowns2004-GEN-IV-random-", m), "bangertdrowns2004",
           list(measure = "GEN", method = "IV", model = "random", tau2 = m), "year")

out <- list(
  generated_by = "validation/metafor/make_cumulative_reference.R",
  metafor_version = as.character(packageVersion("metafor")),
  metadat_version = as.character(packageVersion("metadat")),
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  datasets = lapply(datasets, function(d) list(source = d$source, type = d$type, rows = d$rows)),
  cases = cases
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE), out_path)
cat(sprintf("wrote %d cases to %s\n", length(cases), out_path))
