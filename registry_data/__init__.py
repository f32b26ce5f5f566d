"""Loaders for government registers in their official formats (one module per source)."""
