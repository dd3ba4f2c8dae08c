#' Cleveland heart-disease data
#'
#' The Cleveland Clinic Foundation records of the UCI Machine Learning
#' Repository "Heart Disease" data set (file `processed.cleveland.data`):
#' 303 patients referred for coronary angiography. This is the data set of
#' the package's tutorial example, `fit(thalach ~ age + exang + oldpeak,
#' heart)`. The raw file ships unchanged as
#' `system.file("extdata", "heart.csv", package = "mleglm")` (no header line,
#' `?` for missing values); `data-raw/heart.R` in the sources builds this
#' data frame from it, reading `?` as `NA`.
#'
#' @format A data frame with 303 rows and 14 numeric columns:
#' \describe{
#'   \item{age}{Age in years.}
#'   \item{sex}{1 = male, 0 = female.}
#'   \item{cp}{Chest pain type: 1 typical angina, 2 atypical angina,
#'     3 non-anginal pain, 4 asymptomatic.}
#'   \item{trestbps}{Resting blood pressure (mm Hg).}
#'   \item{chol}{Serum cholesterol (mg/dl).}
#'   \item{fbs}{Fasting blood sugar above 120 mg/dl (1 true, 0 false).}
#'   \item{restecg}{Resting electrocardiogram: 0 normal, 1 ST-T wave
#'     abnormality, 2 left ventricular hypertrophy.}
#'   \item{thalach}{Maximum heart rate achieved.}
#'   \item{exang}{Exercise-induced angina (1 yes, 0 no).}
#'   \item{oldpeak}{ST depression induced by exercise relative to rest.}
#'   \item{slope}{Slope of the peak exercise ST segment: 1 up, 2 flat, 3 down.}
#'   \item{ca}{Number of major vessels (0-3) coloured by fluoroscopy;
#'     4 missing.}
#'   \item{thal}{3 normal, 6 fixed defect, 7 reversible defect; 2 missing.}
#'   \item{num}{Diagnosis of heart disease: 0 less than 50 percent diameter
#'     narrowing, 1-4 more than 50 percent narrowing.}
#' }
#' @source Janosi, A., Steinbrunn, W., Pfisterer, M. and Detrano, R. (1988).
#'   Heart Disease. UCI Machine Learning Repository, \doi{10.24432/C52P4X}.
#'   Licence CC BY 4.0. Collected at the Cleveland Clinic Foundation
#'   (principal investigator Robert Detrano, M.D., Ph.D.).
#' @references Detrano, R. et al. (1989). International application of a new
#'   probability algorithm for the diagnosis of coronary artery disease.
#'   *American Journal of Cardiology* 64, 304-310.
#' @examples
#' str(heart)
#' fit(thalach ~ age + exang + oldpeak, heart)
"heart"
