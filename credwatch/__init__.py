"""credwatch: check micro-credential providers against government registers."""

__version__ = "0.1.0"
