"""What a provider may deliver, as far as the registers held can tell: CRICOS courses and,
where a source is configured, the RTO scope from training.gov.au.

The CRICOS course list (`registry_courses`) says which provider registered each course for
overseas students, its VET national code and whether it has expired. An RTO's scope of
registration (`registry_scopes`, training.gov.au's web services, which need an access grant)
says what it may deliver to anyone. A course code or national code a provider advertises is
checked against both; a national code neither can answer is "not verifiable from the
registers held", never false.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from scoring.matching.index import id_key

Row = dict[str, Any]
COURSES_TABLE = "registry_courses"
SCOPES_TABLE = "registry_scopes"
# "CRICOS Course Code: 079123G" or "0101337" (six digits and a check letter or digit). The
# phrase belongs with the other code wording in credwatch/core/wording.py once that is merged.
CRICOS_COURSE_CODE = re.compile(
    r"\bCRICOS\s+Course\s*(?:Code|No\.?|Number|ID)?\s*[:#.-]?\s*(\d{6}[0-9A-Z])\b",
    re.IGNORECASE,
)
OFFERING_TEXT = ("title", "description", "certificate_text")


@dataclass
class RtoScope:
    """Each RTO's scope items by national code, for the RTOs the scope source holds."""

    by_rto: dict[str, dict[str, Row]] = field(default_factory=dict)

    @classmethod
    def from_db(cls, db: sqlite_utils.Database) -> RtoScope:
        """The loaded scope, or an empty one when no scope source is configured."""
        if not db[SCOPES_TABLE].exists():
            return cls()
        return cls.of(db.query(f"select * from {SCOPES_TABLE}"))

    @classmethod
    def of(cls, rows: Iterable[Row]) -> RtoScope:
        scope = cls()
        for row in rows:
            scope.by_rto.setdefault(id_key(row["rto_code"]), {})[row["nrt_code"].upper()] = row
        return scope

    def of_rto(self, rto_code: str) -> dict[str, Row] | None:
        """Its scope items by national code; None when the source holds nothing about it."""
        return self.by_rto.get(id_key(rto_code))

    def current_codes(self, rto_codes: Iterable[str]) -> frozenset[str]:
        """The national codes currently on the scope of any of these RTOs."""
        return frozenset(
            code
            for rto in rto_codes
            for code, row in (self.of_rto(rto) or {}).items()
            if row.get("is_current")
        )

    def __bool__(self) -> bool:
        return bool(self.by_rto)


@dataclass
class CourseRegister:
    """CRICOS courses by course code and by VET national code, and the RTO scope held."""

    by_code: dict[str, Row] = field(default_factory=dict)
    by_national_code: dict[str, list[Row]] = field(default_factory=dict)
    scope: RtoScope = field(default_factory=RtoScope)

    @classmethod
    def from_db(cls, db: sqlite_utils.Database) -> CourseRegister:
        scope = RtoScope.from_db(db)
        if not db[COURSES_TABLE].exists():
            return cls(scope=scope)
        columns = "course_code, provider_code, course_name, vet_national_code, expired"
        rows = db.query(f"select {columns}, snapshot_date from {COURSES_TABLE}")
        return cls.of(rows, scope)

    @classmethod
    def of(cls, rows: Iterable[Row], scope: RtoScope | None = None) -> CourseRegister:
        register = cls(scope=scope or RtoScope())
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
