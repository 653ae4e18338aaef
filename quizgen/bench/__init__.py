"""`quizgen bench`: a synthetic corpus, the library floor, and the build measured against it."""
