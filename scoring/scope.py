"""What a provider may deliver, as far as the registers held can tell: CRICOS courses.

The CRICOS course list (`registry_courses`) says which provider registered each course for
overseas students, its VET national code and whether it has expired. A course code or a
national code a provider advertises is checked against it; training.gov.au's RTO scope (the
only source for domestic delivery) needs a web-services access grant and is not loaded, so a
national code on no CRICOS course is "not verifiable from the registers held", never false.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

Row = dict[str, Any]
COURSES_TABLE = "registry_courses"
# "CRICOS Course Code: 079123G" or "0101337" (six digits and a check letter or digit). The
# phrase belongs with the other code wording in credwatch/core/wording.py once that is merged.
CRICOS_COURSE_CODE = re.compile(
    r"\bCRICOS\s+Course\s*(?:Code|No\.?|Number|ID)?\s*[:#.-]?\s*(\d{6}[0-9A-Z])\b",
    re.IGNORECASE,
)
OFFERING_TEXT = ("title", "description", "certificate_text")


@dataclass
class CourseRegister:
    """CRICOS courses by course code and by VET national code."""

    by_code: dict[str, Row] = field(default_factory=dict)
    by_national_code: dict[str, list[Row]] = field(default_factory=dict)

    @classmethod
    def from_db(cls, db: sqlite_utils.Database) -> CourseRegister:
        if not db[COURSES_TABLE].exists():
            return cls()
        columns = "course_code, provider_code, course_name, vet_national_code, expired"
        return cls.of(db.query(f"select {columns}, snapshot_date from {COURSES_TABLE}"))

    @classmethod
    def of(cls, rows: Iterable[Row]) -> CourseRegister:
        register = cls()
        for row in rows:
            register.by_code[row["course_code"].upper()] = row
            if row["vet_national_code"]:
                register.by_national_code.setdefault(row["vet_national_code"], []).append(row)
        return register

    def __bool__(self) -> bool:
        return bool(self.by_code)


@dataclass(frozen=True)
class AdvertisedCourse:
    """A CRICOS course code an offering shows, and where."""

    code: str
    url: str
    text: str


def advertised_cricos_courses(offerings: list[Row]) -> Iterator[AdvertisedCourse]:
    """Each CRICOS course code in the offerings' text, first place it appears."""
    seen: set[str] = set()
    for offering in offerings:
        text = " ".join(str(offering.get(key) or "") for key in OFFERING_TEXT)
        for match in CRICOS_COURSE_CODE.finditer(text):
            code = match.group(1).upper()
            if code not in seen:
                seen.add(code)
                quote = " ".join(text[max(0, match.start() - 60) : match.end() + 10].split())
                yield AdvertisedCourse(code, offering.get("url") or "", quote)
