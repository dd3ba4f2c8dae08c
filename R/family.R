# Which families and links mleglm fits, read from the family table that the
# C++ core owns (mleglm/registry.hpp), and the one function that turns what
# the user typed (a family object, a family function or its name) into a
# validated stats family object.

# The table, one row per family and link: whether the link is the family's
# canonical one, whether the family has a dispersion, its response support
# in words and whether its responses are counts. Read from C++ once.
family_registry <- local({
  table <- NULL
  function() {
    if (is.null(table)) table <<- call_core(cpp_family_registry())
    table
  }
})

# The supported links of each family, in the table's order (canonical first).
supported_links <- function() {
  registry <- family_registry()
  split(registry$link, factor(registry$family, levels = unique(registry$family)))
}

# The table's row for a family object (NULL for families outside it, such
# as negbin() and custom families).
family_entry <- function(family) {
  registry <- family_registry()
  row <- which(registry$family == family$family & registry$link == family$link)
  if (length(row) != 1L) return(NULL)
  as.list(registry[row, ])
}

supported_text <- function() {
  links <- supported_links()
  paste(sprintf("%s (%s)", names(links), vapply(links, paste, "", collapse = ", ")),
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
    families <- names(supported_links())
    name <- families[tolower(families) == tolower(family)]
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
  if (!family$family %in% names(supported_links())) {
    reason <- if (startsWith(family$family, "quasi")) {
      " Quasi-likelihood families have no likelihood to maximise."
    } else ""
    abort("family", c(sprintf("`family` %s is not supported.%s", family$family, reason),
                      paste("Supported families and links:", supported_text())))
  }
  links <- supported_links()[[family$family]]
  if (!family$link %in% links) {
    abort("family", sprintf("`family` %s does not support the link \"%s\"; use one of: %s.",
                            family$family, family$link, paste(links, collapse = ", ")))
  }
  family
}

has_dispersion <- function(family) {
  isTRUE(family_entry(family)$dispersion)
}

# Whether each mean lies in the family's parameter space (as validmu()), by
# the core's distribution.
valid_mean <- function(mu, family) {
  call_core(cpp_valid_means(as.double(mu), family$family))
}
