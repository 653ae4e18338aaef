"""One module per CLI command; shared output helpers in `output`."""
