#' Likelihood-ratio tests and analysis of deviance for mleglm fits
#'
#' With several fits, `anova()` compares them in the order given, each
#' against the one before, as [stats::anova.glm()] does. With one fit it
#' gives the sequential analysis of deviance, adding the terms of the
#' formula one at a time (each submodel refitted by the C++ solver, started
#' from the previous one).
#'
#' `test = "LRT"` (or its alias `"Chisq"`) is the likelihood-ratio test:
#' \eqn{2(\ell_1 - \ell_0)}{2 (logLik_1 - logLik_0)} against a chi-square on the difference in the
#' number of parameters. For the binomial and Poisson families that
#' statistic is the difference in deviance, shown once, as `Deviance`, so
#' the table equals `anova(glm, test = "Chisq")`. For families with a dispersion the
#' dispersion is re-estimated by maximum likelihood in each model (for the
#' Gaussian the statistic is \eqn{n \log(RSS_0 / RSS_1)}{n log(RSS_0 / RSS_1)}), whereas
#' `anova.glm()` divides the difference in deviance by the Pearson
#' dispersion of the largest model; the `Deviance` column is the same in
#' both, the `LR stat` column is the likelihood ratio. `test = "F"`, for
#' families with a dispersion, is glm's F test: the difference in deviance
#' per degree of freedom over the Pearson dispersion of the largest model,
#' on its residual degrees of freedom; it equals `anova(glm, test = "F")`.
#'
#' For [negbin()] and [custom_family()] fits the extra parameter (theta, or
#' the custom family's, unless `phi_fixed = TRUE` holds it) is re-estimated
#' in every submodel, so the `LR stat`
#' column is the likelihood-ratio statistic of `MASS::anova.negbin()` for
#' separately fitted models. Each model's deviance is taken at its own value
#' of the extra parameter, so deviances of different models are not
#' comparable: the tables show the log-likelihoods (`logLik`) instead (for a
#' custom family the deviance is \eqn{-2\ell}{-2 logLik} in any case).
#' `test = "F"` is refused for them (class `mleglm_error_unsupported`).
#' `Df` is the difference in the number of estimated parameters (the `df` of
#' [logLik()]): a custom family's parameter held fixed (`phi_fixed = TRUE`)
#' is not counted, so comparing such a fit with the same model that
#' estimates the parameter tests the fixed value on 1 degree of freedom,
#' although both have the same `Resid. Df`.
#'
#' Fits must use the same rows, response, prior weights and family; otherwise
#' an error of class `mleglm_error_incompatible` is raised. Models that are
#' not nested (one model matrix not in the span of the other's) give a
#' warning of class `mleglm_warning_not_nested`.
#'
#' @param object An `"mleglm"` object.
#' @param ... Further `"mleglm"` objects.
#' @param test `"LRT"`, `"Chisq"` (the same), `"F"` or `"none"`.
#' @return A data frame of class `"anova"`.
#' @examples
#' f0 <- fit(num > 0 ~ age + sex, heart, family = binomial())
#' f1 <- fit(num > 0 ~ age + sex + thalach + oldpeak, heart, family = binomial())
#' anova(f0, f1)
#' anova(f1)
#' @export
anova.mleglm <- function(object, ..., test = c("LRT", "Chisq", "F", "none")) {
  test <- match_choice(test, c("LRT", "Chisq", "F", "none"), "test")
  if (test == "Chisq") test <- "LRT"
  others <- list(...)
  if (length(others) == 0L) return(anova_sequential(object, test))
  fits <- c(list(object), others)
  if (!all(vapply(fits, inherits, TRUE, "mleglm"))) {
    abort("input", "Every argument of anova() must be an mleglm fit.")
  }
  check_compatible(fits)
  check_test(fits[[which.max(vapply(fits, `[[`, 0, "rank"))]], test)
  resdf <- vapply(fits, `[[`, 0, "df.residual")
  resdev <- vapply(fits, `[[`, 0, "deviance")
  ll <- vapply(fits, function(f) as.numeric(stats::logLik(f)), 0)
  # Df is the difference in the number of estimated parameters, logLik()'s
  # df: a custom family's extra parameter counts where it is estimated and
  # not where it is held fixed, though both fits have the same Resid. Df.
  npar <- vapply(fits, function(f) as.numeric(attr(stats::logLik(f), "df")), 0)
  big <- fits[[order(resdf, -npar)[1L]]]
  check_nested(fits)
  table <- data.frame(resdf, resdev, c(NA, diff(npar)), c(NA, -diff(resdev)), c(NA, 2 * diff(ll)))
  dimnames(table) <- list(seq_along(fits), c("Resid. Df", "Resid. Dev", "Df", "Deviance", "LR stat"))
  table <- add_test(table, test, big)
  table <- anova_columns(table, big, ll)
  formulas <- vapply(fits, describe_model, "")
  fixed <- any(vapply(fits, function(f) isTRUE(f$extra_fixed[[1L]]), TRUE))
  estimated <- any(vapply(fits, extra_estimated, TRUE))
  structure(table, heading = c(anova_title(test, big, fixed, estimated),
                               paste0("Model ", seq_along(fits), ": ", formulas, collapse = "\n")),
            class = c("anova", "data.frame"))
}

#' @rdname anova.mleglm
#' @param scope For `drop1()`: terms to drop, as for [stats::drop1()]; by
#'   default every term that can be dropped respecting marginality. For
#'   `add1()`: the terms to add, as a formula (`~ . + oldpeak + exang`) or
#'   their labels.
#' @param k The penalty per parameter of the AIC column.
#' @details `drop1()` refits the model without each term in turn (warm
#'   started from the full fit) and reports the change in deviance, the AIC
#'   (as [extractAIC.mleglm()] computes it, so that [stats::step()] can use
#'   the table) and, with
#'   `test = "LRT"`, the likelihood-ratio test; these equal
#'   `drop1(glm, test = "LRT")` for the Gaussian, binomial and Poisson
#'   families (glm's Gaussian LRT is also \eqn{n \log(RSS_0/RSS_1)}{n log(RSS_0 / RSS_1)}).
#'   For fits with an estimated extra parameter ([negbin()]'s theta, a
#'   [custom_family()]'s), re-estimated in each model, the `drop1()` and
#'   `add1()` tables show each model's `logLik` in place of `Deviance`, as
#'   `anova()` does: deviances at different values of the parameter are not
#'   comparable, and their differences are not the `LRT` column.
#' @export
drop1.mleglm <- function(object, scope, test = c("none", "LRT", "Chisq", "F"), k = 2, ...) {
  test <- match_choice(test, c("none", "LRT", "Chisq", "F"), "test")
  if (test == "Chisq") test <- "LRT"
  check_test(object, test)
  check_number(k, "k", lower = 0, upper = Inf, kind = "input")
  mt <- formula_terms(object, "drop1()")
  labels <- attr(mt, "term.labels")
  scope <- if (missing(scope)) {
    stats::drop.scope(object)
  } else {
    if (!is.character(scope)) scope <- attr(stats::terms(stats::update.formula(object, scope)), "term.labels")
    scope
  }
  if (!all(scope %in% labels)) {
    abort("input", sprintf("`scope` must be terms of the model (%s).", paste(labels, collapse = ", ")))
  }
  assign <- attr(stats::model.matrix(object), "assign")[!object$aliased]
  full <- coef(object, complete = FALSE)
  # Each term dropped: its coefficients held at zero, the rest (and any
  # dispersion or extra parameter) re-estimated, warm started from the fit.
  fits <- lapply(match(scope, labels), function(term) {
    keep <- assign != term
    submodel_fit(object, keep, start = unname(full[keep]))
  })
  rank <- c(object$rank, vapply(fits, `[[`, 0, "rank"))
  dev <- c(object$deviance, vapply(fits, `[[`, 0, "deviance"))
  ll <- c(object$loglik, vapply(fits, `[[`, 0, "loglik"))
  # extractAIC()'s convention, so that step() orders the rows by the AIC it
  # then compares: k per coefficient, 2 per glm dispersion (as glm's AIC
  # counts it), k per extra parameter of a joint fit.
  aic <- aic_value(object, -2 * ll, rank, k)
  table <- data.frame(Df = c(NA, object$rank - rank[-1L]), Deviance = dev, AIC = aic,
                      row.names = c("<none>", scope), check.names = FALSE)
  if (test == "LRT") {
    lr <- c(NA, pmax(0, 2 * (ll[1L] - ll[-1L])))
    table[["LRT"]] <- lr
    table[["Pr(>Chi)"]] <- stats::pchisq(lr, table$Df, lower.tail = FALSE)
  } else if (test == "F") {
    # drop1.glm's F: deviance change per df over the full model's deviance per df.
    rms <- object$deviance / object$df.residual
    f_value <- c(NA, pmax(0, dev[-1L] - dev[1L]) / table$Df[-1L] / rms)
    table[["F value"]] <- f_value
    table[["Pr(>F)"]] <- stats::pf(f_value, table$Df, object$df.residual, lower.tail = FALSE)
  }
  joint_term_table(table, ll, "Single term deletions\n", object)
}

# ---- helpers ----------------------------------------------------------------

anova_sequential <- function(object, test) {
  check_test(object, test)
  mt <- formula_terms(object, "anova() of a single fit")
  labels <- attr(mt, "term.labels")
  assign <- attr(stats::model.matrix(object), "assign")[!object$aliased]
  # Each submodel starts from the previous one's coefficients, zero for the
  # new columns: the same linear predictor, so a valid start. Dispersions
  # and extra parameters (theta) are re-estimated in each.
  fits <- vector("list", length(labels) + 1L)
  start <- NULL
  for (i in 0:length(labels)) {
    keep <- assign <= i
    res <- submodel_fit(object, keep, start = if (i == 0L) NULL else c(start, numeric(sum(assign == i))))
    start <- unname(res$par[seq_along(keep)][keep])
    fits[[i + 1L]] <- res
  }
  rank <- vapply(fits, `[[`, 0, "rank")
  resdf <- object$nobs - rank
  resdev <- vapply(fits, `[[`, 0, "deviance")
  ll <- vapply(fits, `[[`, 0, "loglik")
  table <- data.frame(c(NA, diff(rank)), c(NA, -diff(resdev)), resdf, resdev, c(NA, 2 * diff(ll)))
  dimnames(table) <- list(c("NULL", labels), c("Df", "Deviance", "Resid. Df", "Resid. Dev", "LR stat"))
  table <- add_test(table, test, object)
  table <- anova_columns(table, object, ll)
  structure(table, heading = c(anova_title(test, object),
                               paste0("Terms added sequentially (first to last) to ",
                                      describe_model(object), "\n")),
            class = c("anova", "data.frame"))
}

# Test columns as stats::stat.anova() computes them; negative statistics
# (a model compared with a larger one listed before it) give NA.
add_test <- function(table, test, big) {
  dfs <- table[["Df"]]
  if (test == "LRT") {
    stat <- table[["LR stat"]] * sign(dfs)
    stat[dfs %in% 0 | (!is.na(stat) & stat < 0)] <- NA
    table[["Pr(>Chi)"]] <- stats::pchisq(stat, abs(dfs), lower.tail = FALSE)
  } else if (test == "F") {
    f_value <- table[["Deviance"]] / dfs / big$dispersion_pearson
    f_value[dfs %in% 0 | (!is.na(f_value) & f_value < 0)] <- NA
    table[["F"]] <- f_value
    table[["Pr(>F)"]] <- stats::pf(f_value, abs(dfs), big$df.residual, lower.tail = FALSE)
  }
  table
}

# One number under one name. Without a dispersion the likelihood-ratio
# statistic is the change in deviance, shown once, as "Deviance" (the column
# of anova.glm()). For fits with an extra parameter the deviance depends on
# it, and deviances at different values (a negative binomial's theta) are not
# comparable: the log-likelihoods are shown, and their doubled differences.
anova_columns <- function(table, big, ll) {
  if (inherits(big, "mleglm_joint")) {
    table[["Deviance"]] <- NULL
    table[["Resid. Dev"]] <- NULL
    at <- match("Resid. Df", names(table))
    table <- cbind(table[seq_len(at)], logLik = ll, table[-seq_len(at)])
  } else if (!has_dispersion(big$family)) {
    table[["LR stat"]] <- NULL
  }
  table
}

anova_columns_note <- function(big, estimated = extra_estimated(big)) {
  if (inherits(big, "mleglm_joint") && !estimated) {
    return(paste0(
      "LR stat = 2 (logLik - logLik of the model before). A custom family has no\n",
      "saturated model; its deviance is -2 logLik, so the table shows logLik.\n"))
  }
  if (inherits(big, "mleglm_joint")) {
    what <- if (length(big$extra) > 0L) names(big$extra)[1L] else "extra parameter"
    return(sprintf(paste0(
      "LR stat = 2 (logLik - logLik of the model before). Each deviance is taken at\n",
      "its model's own %s, so deviances are not comparable and are not shown.\n"), what))
  }
  if (!has_dispersion(big$family)) {
    return(sprintf(paste0(
      "Deviance: the change in residual deviance, which for the %s family is\n",
      "the likelihood-ratio statistic 2 (logLik - logLik of the model before).\n"), big$family$family))
  }
  paste0("Deviance: the change in residual deviance (as in anova.glm()); LR stat:\n",
         "2 (logLik - logLik of the model before), the likelihood-ratio statistic.\n")
}

# Whether a fit estimates an extra parameter (negbin's theta, a custom
# family's phi not held fixed).
extra_estimated <- function(f) inherits(f, "mleglm_joint") && length(f$par) > f$rank

anova_title <- function(test, big, fixed = FALSE, estimated = extra_estimated(big)) {
  what <- switch(test,
    LRT = if (inherits(big, "mleglm_joint") && !estimated) {
      "Likelihood-ratio tests"
    } else if (inherits(big, "mleglm_joint")) {
      sprintf("Likelihood-ratio tests (%s re-estimated by maximum likelihood in each model%s)",
              names(big$extra)[1L], if (fixed) " not fixing it" else "")
    } else if (has_dispersion(big$family)) {
      "Likelihood-ratio tests (dispersion re-estimated by maximum likelihood in each model)"
    } else "Likelihood-ratio tests (analysis of deviance)",
    F = "Analysis of deviance with F tests (Pearson dispersion of the largest model)",
    none = "Analysis of deviance")
  sprintf("%s\n\n%s family, %s link\n\n%s%s", what, big$family$family, big$family$link,
          anova_columns_note(big, estimated),
          if (fixed) paste0("Df: the change in the number of estimated parameters (a fixed ",
                            names(big$extra)[1L], "\nis not estimated).\n") else "")
}

check_test <- function(object, test) {
  if (test == "F" && inherits(object, "mleglm_joint")) {
    unsupported("`test = \"F\"`", sprintf(
      "the F test needs a glm family with an estimated dispersion; %s has none: use test = \"LRT\"",
      family_label(object$family)))
  }
  if (test == "F" && !has_dispersion(object$family)) {
    abort("input", sprintf("`test = \"F\"` needs a family with an estimated dispersion; the %s family has none: use test = \"LRT\".",
                           object$family$family))
  }
}

formula_terms <- function(object, what) {
  if (is.null(object$terms)) {
    abort("input", sprintf("%s needs a fit from a formula; this one came from fit_matrix().", what))
  }
  object$terms
}

describe_model <- function(object) {
  model <- if (!is.null(object$terms)) {
    paste(deparse(stats::formula(object$terms)), collapse = " ")
  } else paste0("fit_matrix(x = [", paste(names(object$coefficients), collapse = ", "), "])")
  if (isTRUE(object$extra_fixed[[1L]])) {
    model <- sprintf("%s (%s fixed at %s)", model, names(object$extra)[1L],
                     format(signif(object$extra[[1L]], 7)))
  }
  model
}

# The same rows, response, prior weights and family, or a classed error.
check_compatible <- function(fits) {
  first <- fits[[1L]]
  chunked <- vapply(fits, inherits, TRUE, "mleglm_chunked")
  if (any(chunked)) return(check_compatible_chunked(fits, chunked))
  for (i in seq_along(fits)[-1L]) {
    f <- fits[[i]]
    what <- if (length(f$prior.weights) != length(first$prior.weights) || f$nobs != first$nobs) {
      sprintf("numbers of observations (%d against %d)", f$nobs, first$nobs)
    } else if (!isTRUE(all.equal(unname(response_of(f)), unname(response_of(first)), tolerance = 1e-12))) {
      "responses"
    } else if (!isTRUE(all.equal(unname(f$prior.weights), unname(first$prior.weights), tolerance = 1e-12))) {
      "prior weights"
    } else if (f$family$family != first$family$family) {
      sprintf("families (%s against %s)", f$family$family, first$family$family)
    }
    if (!is.null(what)) {
      abort("incompatible", sprintf(
        "Fits 1 and %d have different %s: likelihood-ratio tests need the same data, response and family.",
        i, what))
    }
  }
}

# Each smaller model's matrix (and offset) in the span of the larger's.
check_nested <- function(fits) {
  if (any(vapply(fits, inherits, TRUE, "mleglm_chunked"))) return(check_nested_terms(fits))
  matrices <- lapply(fits, function(f) refit_data(f))
  for (i in seq_along(fits)[-1L]) {
    a <- matrices[[i - 1L]]
    b <- matrices[[i]]
    small <- if (ncol(a$x) <= ncol(b$x)) a else b
    large <- if (ncol(a$x) <= ncol(b$x)) b else a
    offset_gap <- small$offset - large$offset
    lhs <- cbind(small$x, offset_gap)
    resid <- qr.resid(qr(large$x), lhs)
    scale <- pmax(sqrt(colSums(lhs^2)), 1)
    if (any(sqrt(colSums(resid^2)) > 1e-7 * scale)) {
      warn("not_nested", sprintf("Fits %d and %d are not nested: the smaller model matrix (or offset) is not in the span of the larger; the likelihood-ratio test assumes nesting.",
                                 i - 1L, i))
    }
  }
}

# Fits from fit_chunked() hold no rows: the same data are recognised by their
# summaries (rows, sums of weights and of the per-row likelihood constants).
check_compatible_chunked <- function(fits, chunked) {
  if (!all(chunked)) {
    abort("incompatible", "anova() compares fits from fit_chunked() only with each other.")
  }
  first <- fits[[1L]]
  for (i in seq_along(fits)[-1L]) {
    f <- fits[[i]]
    what <- if (f$family$family != first$family$family) {
      sprintf("families (%s against %s)", f$family$family, first$family$family)
    } else if (f$nobs != first$nobs) {
      sprintf("numbers of observations (%d against %d)", f$nobs, first$nobs)
    } else if (!isTRUE(all.equal(f$data_summary, first$data_summary, tolerance = 1e-10))) {
      "data (their weights or responses differ)"
    }
    if (!is.null(what)) {
      abort("incompatible", sprintf(
        "Fits 1 and %d have different %s: likelihood-ratio tests need the same data, response and family.",
        i, what))
    }
  }
}

# Without the rows, nesting is judged on the terms: the smaller model's term
# labels must be among the larger's.
check_nested_terms <- function(fits) {
  labels <- lapply(fits, function(f) attr(f$terms, "term.labels"))
  for (i in seq_along(fits)[-1L]) {
    a <- labels[[i - 1L]]
    b <- labels[[i]]
    small <- if (length(a) <= length(b)) a else b
    large <- if (length(a) <= length(b)) b else a
    if (!all(small %in% large)) {
      warn("not_nested", sprintf("Fits %d and %d are not nested: the smaller model's terms are not all in the larger; the likelihood-ratio test assumes nesting.",
                                 i - 1L, i))
    }
  }
}

#' @rdname anova.mleglm
#' @param scale Must be 0 (as `step()` passes it): the dispersion is
#'   estimated by maximum likelihood in each model.
#' @param x Unused; `add1()` builds the larger model matrix from the model
#'   frame, as [stats::add1.glm()] does without `x`.
#' @details `add1()` fits the model with each term of `scope` added (by the
#'   package's solvers, on the rows the larger formula keeps, with a warning
#'   when missing values in the new variables drop some) and reports the
#'   change in deviance, the AIC by [extractAIC.mleglm()]'s convention and,
#'   with `test = "LRT"`, the likelihood-ratio test, with `test = "F"`
#'   [stats::add1.glm()]'s F test (deviance change per df over each larger
#'   model's deviance per df); so [stats::step()] can also add terms. For
#'   the binomial and Poisson families the table equals
#'   `add1(glm, test = "LRT")`, for the Gaussian too (glm's Gaussian LRT is
#'   \eqn{n \log(RSS_0/RSS_1)}{n log(RSS_0 / RSS_1)} as well). When rows are dropped, the AIC
#'   column is each model's own on the rows used (`add1.glm()` shifts it to
#'   the AIC of the fit on all rows).
#' @importFrom stats add1
#' @export
add1.mleglm <- function(object, scope, scale = 0, test = c("none", "LRT", "Chisq", "F"),
                        x = NULL, k = 2, ...) {
  test <- match_choice(test, c("none", "LRT", "Chisq", "F"), "test")
  if (test == "Chisq") test <- "LRT"
  check_test(object, test)
  check_number(k, "k", lower = 0, upper = Inf, kind = "input")
  if (!identical(scale, 0) && !identical(scale, 0L)) {
    abort("input", "`scale` must be 0: the dispersion is estimated by maximum likelihood in each model.")
  }
  if (inherits(object, "mleglm_chunked")) rows_unavailable("add1()")
  mt <- formula_terms(object, "add1()")
  if (missing(scope) || is.null(scope)) {
    abort("input", "`scope` must give the terms to add, as a formula such as ~ . + oldpeak or a character vector.")
  }
  if (!is.character(scope)) scope <- stats::add.scope(object, stats::update.formula(object, scope))
  if (length(scope) == 0L) abort("input", "`scope` has no terms that are not already in the model.")
  new_terms <- stats::terms(stats::update.formula(
    object, stats::as.formula(paste("~ . +", paste(scope, collapse = " + ")))))
  d <- added_design(object, new_terms)
  labels <- attr(new_terms, "term.labels")
  asgn <- attr(d$x, "assign")
  sorted <- function(t) vapply(strsplit(t, ":", fixed = TRUE), function(v) paste(sort(v), collapse = ":"), "")
  old_cols <- asgn %in% c(if (attr(mt, "intercept") == 1L) 0L, match(sorted(attr(mt, "term.labels")), sorted(labels)))
  refit <- function(cols) {
    fit_engine(d$x[, cols, drop = FALSE], d$y, object$family, d$weights, d$offset, NULL,
               object$method, object$control)
  }
  fits <- c(list(refit(old_cols)),
            lapply(sorted(scope), function(term) refit(old_cols | asgn == match(term, sorted(labels)))))
  rank <- vapply(fits, `[[`, 0, "rank")
  ll <- vapply(fits, `[[`, 0, "loglik")
  dev <- vapply(fits, `[[`, 0, "deviance")
  aic <- aic_value(object, -2 * ll, rank, k)
  table <- data.frame(Df = c(NA, rank[-1L] - rank[1L]), Deviance = dev, AIC = aic,
                      row.names = c("<none>", scope), check.names = FALSE)
  if (test == "LRT") {
    lr <- c(NA, pmax(0, 2 * (ll[-1L] - ll[1L])))
    table[["LRT"]] <- lr
    table[["Pr(>Chi)"]] <- stats::pchisq(lr, table$Df, lower.tail = FALSE)
  } else if (test == "F") {
    # add1.glm's F: deviance change per df over the larger model's deviance per df.
    rdf <- object$df.residual
    f_value <- pmax(0, dev[1L] - dev) / table$Df / (dev / (rdf - table$Df))
    f_value[1L] <- NA
    table[["F value"]] <- f_value
    table[["Pr(>F)"]] <- stats::pf(f_value, table$Df, rdf - table$Df, lower.tail = FALSE)
  }
  joint_term_table(table, ll, "Single term additions\n", object)
}

# drop1() and add1() tables. For fits with an extra parameter each model's
# deviance is taken at its own value of it (a negative binomial's theta), so
# differences of those deviances are not the LR statistics beside them: the
# tables show each model's log-likelihood instead, as anova() does.
joint_term_table <- function(table, ll, title, object) {
  heading <- c(title, paste("Model:", describe_model(object)))
  if (inherits(object, "mleglm_joint") && length(object$par) > object$rank) {
    names(table)[names(table) == "Deviance"] <- "logLik"
    table[["logLik"]] <- ll
    what <- if (length(object$extra) > 0L) names(object$extra)[1L] else "extra parameter"
    heading <- c(heading, sprintf(paste0(
      "\n%s re-estimated in each model; LRT = 2 (logLik of the larger model - logLik\n",
      "of the smaller). Deviances, each at its model's own %s, are not comparable\n",
      "and are not shown.\n"),
      what, what))
  }
  structure(table, heading = heading, class = c("anova", "data.frame"))
}

# The model matrix, response, weights and offset of the larger formula
# `new_terms`, from the fit's call (as model.frame() rebuilds it), with
# add1.glm's warning when missing values in the new variables drop rows.
added_design <- function(object, new_terms) {
  shell <- structure(list(call = object$call, terms = new_terms, formula = object$formula),
                     class = "mleglm")
  mf <- model.frame.mleglm(shell)
  fitted_rows <- length(object$fitted.values)
  if (nrow(mf) < fitted_rows) {
    warn("rows_dropped", sprintf(
      "Using the %d rows (of %d fitted) that the larger formulas leave without missing values.",
      nrow(mf), fitted_rows))
  }
  x <- stats::model.matrix(new_terms, mf, contrasts.arg = object$contrasts)
  if (storage.mode(x) != "double") storage.mode(x) <- "double"
  list(x = x, y = model_response(mf), weights = check_weights(stats::model.weights(mf), nrow(mf)),
       offset = check_offset(as.vector(stats::model.offset(mf)), nrow(mf)))
}
