library(stats)

area <- function(shape) {
  switch(shape$kind,
    circle = pi * shape$r^2,
    rect = shape$w * shape$h,
    stop("unknown shape: ", shape$kind)
  )
}

shapes <- list(
  list(kind = "circle", r = 1),
  list(kind = "rect", w = 2, h = 3)
)

areas <- vapply(shapes, area, numeric(1))
df <- data.frame(kind = sapply(shapes, `[[`, "kind"), area = areas)
df <- df[order(-df$area), ]
for (i in seq_len(nrow(df))) {
  cat(sprintf("%s: %.2f\n", df$kind[i], df$area[i]))
}
squares <- \(x) x^2
print(squares(1:3) |> sum())
