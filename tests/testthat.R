library(testthat)
library(mleglm)

test_check("mleglm")
