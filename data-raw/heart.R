# Builds data/heart.rda from the shipped CSV, exactly as the tutorial reads it:
# no header line, "?" marks a missing value, the 14 documented column names.
# Run from the package root: Rscript data-raw/heart.R

heart <- utils::read.csv("inst/extdata/heart.csv", header = FALSE, na.strings = "?")
names(heart) <- c("age", "sex", "cp", "trestbps", "chol", "fbs", "restecg",
                  "thalach", "exang", "oldpeak", "slope", "ca", "thal", "num")
stopifnot(nrow(heart) == 303L, sum(is.na(heart$ca)) == 4L, sum(is.na(heart$thal)) == 2L)
save(heart, file = "data/heart.rda", compress = "bzip2", version = 2)
