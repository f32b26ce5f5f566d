"""Any Open edX site's course catalogue API (edX's own LMS is courses.edx.org)."""

from crawler.platforms.openedx import OpenEdxPlatformSpider


class OpenedxSpider(OpenEdxPlatformSpider):
    name = "openedx"
