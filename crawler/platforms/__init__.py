"""One base spider per course platform (Coursera, FutureLearn, Open edX, Udemy) and register site.

Each module pairs pure parsing functions (data or a selector in, items out; no Scrapy
response needed) with a base spider holding the crawl logic. The spiders in
`crawler/spiders/` subclass these bases with identifiers only, the way alltheplaces'
storefinders do, so a second Open edX site is a few lines.
"""
