"""Everything after the crawl: matching, flags, claim checks and scores (no Scrapy imports)."""
