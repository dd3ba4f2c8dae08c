# Models fitted over the full parameter vector (beta, tau), where tau is one
# extra parameter shared by all rows (log theta of the negative binomial, the
# log-scale of a user's distribution): the engine generic that fit_engine()
# hands such families to, and the pieces their engines share.

# Families that carry their own engine inherit "mleglm_joint_family";
# methods: joint_engine.mleglm_negbin_family (negbin_engine.R) and
# joint_engine.mleglm_custom_family (custom_engine.R). Each returns the
# components of the fitted object, `subclass` included.
joint_engine <- function(family, x, y, weights, offset, start, method, control) {
  UseMethod("joint_engine")
}

is_joint_family <- function(family) inherits(family, "mleglm_joint_family")

# The components every joint fit shares beyond those of every kind
# (shared_components()): the full estimate `par` (coefficients and the extra
# parameter on its estimation scale), and the counts.
joint_components <- function(run, x, extra_name, weights, method, control, pending) {
  kept <- colnames(x)[run$columns]
  par_names <- c(kept, extra_name)
  out <- shared_components(run, colnames(x), par_names, method, control, pending)
  nobs <- sum(weights > 0)
  c(out, list(par = stats::setNames(as.double(run$res$coefficients), par_names), nobs = nobs,
              df.residual = nobs - out$rank))
}

# "(Intercept) = 1.23, age = -0.5" for error messages.
format_parameters <- function(par, names) {
  paste(sprintf("%s = %s", names, vapply(par, function(v) format(signif(v, 7)), "")),
        collapse = ", ")
}

# The name of the extra parameter on the scale it is estimated on.
scaled_name <- function(name, scale) {
  if (identical(scale, "log")) sprintf("log(%s)", name) else name
}
