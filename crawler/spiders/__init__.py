"""Spiders, from generic (structured data) to platform-specific to bespoke."""
