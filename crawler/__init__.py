"""The credwatch Scrapy project: spiders that record what course providers say about themselves."""
