"""FutureLearn's course feed (https://www.futurelearn.com/feeds/courses)."""

from crawler.platforms.futurelearn import FutureLearnPlatformSpider


class FuturelearnSpider(FutureLearnPlatformSpider):
    name = "futurelearn"
