# A chunk function, as fit_chunked() reads them, over the rows of `d` in
# pieces of `size` rows.
chunk_function <- function(d, size) {
  pieces <- split(d, ceiling(seq_len(nrow(d)) / size))
  i <- 0
  function(reset = FALSE) {
    if (reset) {
      i <<- 0
      return(invisible(NULL))
    }
    i <<- i + 1
    if (i > length(pieces)) NULL else pieces[[i]]
  }
}

