"""Coursera's catalogue (courses.v1 API at api.coursera.org, partner names included)."""

from crawler.platforms.coursera import CourseraPlatformSpider


class CourseraSpider(CourseraPlatformSpider):
    name = "coursera"
