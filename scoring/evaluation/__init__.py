"""Measure matching and flags against labelled sets (`make eval`)."""
