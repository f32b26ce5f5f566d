"""Guidance sources several rules cite (regulators' checklists, frameworks, diploma-mill notes).

The "R" numbers in the rules' guidance refer to the red-flag table the project's research notes
keep (red-flags.md).
"""

from __future__ import annotations

MICROCREDENTIALS_FRAMEWORK = (
    "https://ontargetworkskills.com/2022/03/29/national-microcredentials-framework/",
    "https://vdc.edu.au/?p=16851",
    "https://www.voced.edu.au/content/ngv%3A93222",
)
OFQUAL_REGULATED = (
    "http://webarchive.nationalarchives.gov.uk/+/https:/www.gov.uk/"
    "apply-to-have-your-qualifications-regulated",
)
ASQA_CHECKLIST = (
    "http://www.legislation.nsw.gov.au/fragview/inforce/act+100+2005+pt.3-div.1+0+Y?tocnav=y",
    "https://old.insources.com.au/blog/blog-category/article-category-blog/94-quality-and-"
    "compliance/467-choosing-a-training-provider-asqa-s-consumer-checklist",
)
DIPLOMA_MILLS = (
    "http://www.Chea.org/important-questions-about-degree-mills",
    "http://www.maine.gov/doe/highered/nonaccredited/mills/identify.html",
)
# Correction and a fair opportunity to reply (Australian Press Council, General Principles 2 and 4).
RIGHT_OF_REPLY = ("https://junctionjournalism.com/2020/05/24/apc-statements-of-principles/",)
