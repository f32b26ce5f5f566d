"""The TEQSA National Register of higher education providers (register entries, not courses)."""

from crawler.platforms.teqsa import TeqsaRegisterSpider


class TeqsaSpider(TeqsaRegisterSpider):
    name = "teqsa"
    feed_name = "teqsa-national-register"
