# Which families and links mleglm fits, and the one function that turns what
# the user typed (a family object, a family function or its name) into a
# validated stats family object.

supported_links <- list(
  gaussian = c("identity", "log", "inverse"),
  binomial = c("logit", "probit", "cauchit", "cloglog", "log"),
  poisson = c("log", "identity", "sqrt"),
  Gamma = c("inverse", "identity", "log"),
  inverse.gaussian = c("1/mu^2", "inverse", "identity", "log")
)

supported_text <- function() {
  paste(sprintf("%s (%s)", names(supported_links),
                vapply(supported_links, paste, "", collapse = ", ")),
        collapse = "; ")
}

resolve_family <- function(family) {
  # `family` is a promise: binomial(link = "foo") fails inside stats when it
  # is first evaluated, here.
  family <- tryCatch(family, error = function(e) {
    abort("family", sprintf("`family` could not be evaluated: %s", conditionMessage(e)))
  })
  if (is.character(family)) {
    if (length(family) != 1L || is.na(family)) {
      abort("family", "`family` must be a single name, a family function or a family object.")
    }
    name <- names(supported_links)[tolower(names(supported_links)) == tolower(family)]
    if (length(name) == 0L) {
      abort("family", c(sprintf("`family` \"%s\" is not supported.", family),
                        paste("Supported families and links:", supported_text())))
    }
    family <- get(name, mode = "function", envir = asNamespace("stats"))
  }
  if (is.function(family)) {
    family <- tryCatch(family(), error = function(e) {
      abort("family", sprintf("`family` could not be called without arguments: %s",
                              conditionMessage(e)))
    })
  }
  # negbin() and custom_family() are validated by their constructors.
  if (is_joint_family(family)) return(family)
  if (!inherits(family, "family") || !is.character(family$family) || !is.character(family$link)) {
    abort("family", c("`family` must be a family object such as binomial(link = \"probit\"), a family function or its name.",
                      paste("Supported families and links:", supported_text())))
  }
  if (!family$family %in% names(supported_links)) {
    reason <- if (startsWith(family$family, "quasi")) {
      " Quasi-likelihood families have no likelihood to maximise."
    } else ""
    abort("family", c(sprintf("`family` %s is not supported.%s", family$family, reason),
                      paste("Supported families and links:", supported_text())))
  }
  links <- supported_links[[family$family]]
  if (!family$link %in% links) {
    abort("family", sprintf("`family` %s does not support the link \"%s\"; use one of: %s.",
                            family$family, family$link, paste(links, collapse = ", ")))
  }
  family
}

has_dispersion <- function(family) {
  family$family %in% c("gaussian", "Gamma", "inverse.gaussian")
}

# Whether each mean lies in the family's parameter space (as validmu()).
valid_mean <- function(mu, family) {
  ok <- is.finite(mu)
  switch(family$family, binomial = ok & mu > 0 & mu < 1, gaussian = ok, ok & mu > 0)
}
