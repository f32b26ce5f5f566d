"""Pure parsing helpers shared by every spider: prices, durations, claims, schema.org data.

Nothing here imports Scrapy, so platform spiders, loaders and tests can reuse them freely.
"""
