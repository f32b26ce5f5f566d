"""Udemy topic listings: the provider URL's listing, or these topics from the home page."""

from crawler.platforms.udemy import UdemyPlatformSpider


class UdemySpider(UdemyPlatformSpider):
    name = "udemy"
    topics = (
        "python",
        "data-science",
        "project-management",
        "first-aid",
        "workplace-health-and-safety",
        "forklift",
    )
    queries = ("free certificate", "accredited certificate")
