"""Scope: may this provider deliver the very course it advertises?

A CRICOS course code is checked against the provider's own CRICOS registration; a national
code against its CRICOS courses (for overseas students) and, where an RTO scope source is
configured (training.gov.au's web services, which need an access grant), against its own
RTO's current scope. A national code neither can answer is said to be not verifiable from
the registers held, never false, and the sentence names the registers that were used.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from scoring.claim_checks import ProviderEvidence, Row, claim_evidence
from scoring.rules.book import Finding, RuleBook
from scoring.scope import AdvertisedCourse, advertised_cricos_courses

family = RuleBook()

CRICOS_SOURCES = (
    "https://cricos.education.gov.au/",
    "https://data.gov.au/data/dataset/cricos",
)
TGA_SCOPE = "https://training.gov.au/"
SCOPE_REGISTERS_NOTE = (
    "the CRICOS course list is the only course register held; an RTO's full scope is on "
    "training.gov.au, whose web services need an access grant"
)
NO_SCOPE_OF_ITS_RTO = (
    "the CRICOS course list and the training.gov.au scope loaded were used, and the scope "
    "loaded holds nothing about its RTO"
)
SCOPE_CHECKED_APART = "its RTO's training.gov.au scope, loaded, is checked for it separately"


@dataclass(frozen=True)
class _CourseVerdict:
    """A CRICOS course code it advertises and the course the register holds under it."""

    advertised: AdvertisedCourse
    course: Row | None
    own: bool  # the course is on one of the provider's own CRICOS registrations


def _own_cricos(ev: ProviderEvidence) -> set[str]:
    return {match["entry_id"].upper() for match in ev.matches if match["register"] == "cricos"}


def _holder(ev: ProviderEvidence, provider_code: str) -> str:
    entry = ev.lookup("cricos", provider_code)
    name = entry["legal_name"] if entry else "a provider not in the institutions list"
    return f"{name} (CRICOS {provider_code})"


def _course_verdicts(ev: ProviderEvidence) -> Iterator[_CourseVerdict]:
    own = _own_cricos(ev)
    for advertised in advertised_cricos_courses(ev.offerings):
        course = ev.courses.by_code.get(advertised.code)
        holder = (course or {}).get("provider_code", "").upper()
        yield _CourseVerdict(advertised, course, bool(course) and holder in own)


def _course_finding(ev: ProviderEvidence, verdict: _CourseVerdict) -> Finding:
    course = verdict.course or {}
    name = course.get("course_name") or ""
    return Finding(
        {
            "code": verdict.advertised.code,
            "course": name,
            "what": f"CRICOS course {verdict.advertised.code} {name}",
            "holder": _holder(ev, course.get("provider_code", "")) if course else "",
            "provider": ev.name,
            "snapshot": course.get("snapshot_date") or ev.snapshots.get("cricos", "unknown"),
        },
        evidence_url=verdict.advertised.url,
        evidence_text=verdict.advertised.text,
        register="cricos",
        entry_id=verdict.advertised.code,
        snapshot_date=course.get("snapshot_date") or "",
    )


@family.rule(
    "SCOPE_COURSE_CONFIRMED",
    applies_to="provider",
    points=3,
    cap=6,
    template="It advertises {what}, which CRICOS lists as a current course of its own "
    "registration (snapshot of {snapshot}).",
    meaning="A CRICOS course code (or a national code) it advertises is a current course on "
    "its own CRICOS registration: it is registered to deliver that course.",
    guidance="R2 the course advertised is on the provider's own registration",
    sources=CRICOS_SOURCES,
)
def course_confirmed(ev: ProviderEvidence) -> Iterator[Finding]:
    """Its own current CRICOS course, by course code or by national code."""
    for verdict in _course_verdicts(ev):
        if verdict.own and not (verdict.course or {}).get("expired"):
            yield _course_finding(ev, verdict)
    for code, claim, courses in _national_codes(ev):
        own = [c for c in courses if c["provider_code"].upper() in _own_cricos(ev)]
        current = [c for c in own if not c.get("expired")]
        if current:
            course = current[0]
            what = f"{code} ({course['course_name']}, CRICOS course {course['course_code']})"
            snapshot = course.get("snapshot_date") or ""
            yield Finding(
                {"what": what, "snapshot": snapshot or "unknown"},
                **claim_evidence(claim),
                register="cricos",
                entry_id=course["course_code"],
                snapshot_date=snapshot,
            )


@family.rule(
    "SCOPE_COURSE_OF_OTHER_PROVIDER",
    applies_to="provider",
    points=-15,
    cap=30,
    template="It advertises CRICOS course {code} ({course}), which belongs to {holder}, not "
    "to {provider} (CRICOS courses of {snapshot}).",
    meaning="A CRICOS course code it advertises is registered to a different provider: it "
    "cannot enrol overseas students in that course itself.",
    guidance="R2 third-party brokers advertising another provider's courses",
    sources=CRICOS_SOURCES,
)
def course_of_other_provider(ev: ProviderEvidence) -> Iterator[Finding]:
    for verdict in _course_verdicts(ev):
        if verdict.course and not verdict.own:
            yield _course_finding(ev, verdict)


@family.rule(
    "SCOPE_COURSE_EXPIRED",
    applies_to="provider",
    points=-10,
    cap=20,
    template="It advertises CRICOS course {code} ({course}) of {holder}, which CRICOS lists "
    "as expired (snapshot of {snapshot}).",
    meaning="A CRICOS course code it advertises is expired (on its own registration or, "
    "besides being another provider's, on that one's): overseas students can no longer be "
    "enrolled in it.",
    guidance="R16 not registered to deliver when enrolling",
    sources=CRICOS_SOURCES,
)
def course_expired(ev: ProviderEvidence) -> Iterator[Finding]:
    for verdict in _course_verdicts(ev):
        if (verdict.course or {}).get("expired"):
            yield _course_finding(ev, verdict)


def _national_codes(ev: ProviderEvidence) -> Iterator[tuple[str, Row, list[Row]]]:
    """Each national code it advertises, its first claim, and the CRICOS courses under it."""
    seen: set[str] = set()
    for claim in ev.claims_of("national_code"):
        code = claim["value"]
        if code not in seen:
            seen.add(code)
            yield code, claim, ev.courses.by_national_code.get(code, [])


@family.rule(
    "SCOPE_NATIONAL_CODE_NOT_ON_OWN_CRICOS",
    applies_to="provider",
    points=0,
    cap=None,
    template="It shows a CRICOS registration and advertises {code}, which CRICOS lists only "
    "for other providers ({holders}), not among its own courses; it may still teach it to "
    "domestic students ({note}).",
    meaning="A national code advertised by a CRICOS-registered provider that is not among its "
    "own CRICOS courses (but is another provider's): not offered to overseas students under "
    "its registration. Shown, not scored: domestic delivery is not in the registers held.",
    guidance="R2 the course advertised to overseas students is on its CRICOS registration",
    sources=CRICOS_SOURCES,
)
def national_code_not_on_own_cricos(ev: ProviderEvidence) -> Iterator[Finding]:
    own = _own_cricos(ev)
    if not own:
        return
    checked = {check.code for check in _scope_checks(ev)}
    for code, claim, courses in _national_codes(ev):
        if courses and not any(c["provider_code"].upper() in own for c in courses):
            holders = sorted({_holder(ev, c["provider_code"]) for c in courses})
            more = f" and {len(holders) - 2} more" if len(holders) > 2 else ""
            named = "; ".join(holders[:2]) + more
            yield Finding(
                {"code": code, "holders": named, "note": _registers_note(ev, code in checked)},
                **claim_evidence(claim),
            )


def _registers_note(ev: ProviderEvidence, checked_on_scope: bool) -> str:
    """Which registers a scope sentence could use: the CRICOS list alone, or also a loaded
    training.gov.au scope (which may hold nothing about this provider's RTO)."""
    if checked_on_scope:
        return SCOPE_CHECKED_APART
    return NO_SCOPE_OF_ITS_RTO if ev.courses.scope else SCOPE_REGISTERS_NOTE


@family.rule(
    "SCOPE_NOT_VERIFIABLE",
    applies_to="provider",
    points=0,
    cap=None,
    template="The national codes {codes} it advertises are on no provider's CRICOS course, so "
    "whether it may deliver them is not verifiable from the registers held ({note}).",
    meaning="National codes on no CRICOS course at all: neither confirmed nor refuted, never "
    "read as false. Units of competency and domestic-only courses are never on CRICOS.",
    guidance="never score what the registers held do not say",
    sources=(TGA_SCOPE, *CRICOS_SOURCES),
)
def scope_not_verifiable(ev: ProviderEvidence) -> Iterator[Finding]:
    if not ev.courses and not ev.courses.scope:
        return
    checked = {check.code for check in _scope_checks(ev)}
    unknown = [
        (code, claim)
        for code, claim, courses in _national_codes(ev)
        if not courses and code not in checked
    ]
    if unknown:
        yield Finding(
            {"codes": ", ".join(code for code, _ in unknown), "note": _registers_note(ev, False)},
            **claim_evidence(unknown[0][1]),
        )


@dataclass(frozen=True)
class _ScopeCheck:
    """A national code it advertises, checked on the loaded scope of its own current RTO."""

    code: str
    claim: Row
    rto: Row
    item: Row | None  # the scope item under that code, None when not on its scope
    snapshot: str  # the scope snapshot's date


def _scope_checks(ev: ProviderEvidence) -> Iterator[_ScopeCheck]:
    """Every national code it advertises, for a provider whose own current RTO's scope is
    loaded (the current item first when several of its RTOs list the code)."""
    scoped = [(rto, ev.courses.scope.of_rto(rto["entry_id"])) for rto in ev.current_matches("rto")]
    scoped = [(rto, items) for rto, items in scoped if items]
    if not scoped:
        return
    for code, claim, _ in _national_codes(ev):
        found = [(rto, items, items.get(code)) for rto, items in scoped]
        found.sort(key=lambda pair: not (pair[2] or {}).get("is_current"))
        rto, items, item = next((pair for pair in found if pair[2]), found[0])
        snapshot = max(row.get("snapshot_date") or "" for row in items.values()) or "unknown"
        yield _ScopeCheck(code, claim, rto, item, snapshot)


def _scope_finding(check: _ScopeCheck) -> Finding:
    return Finding(
        {
            "code": check.code,
            "rto": f"RTO {check.rto['entry_id']}",
            "snapshot": check.snapshot,
            "state": _scope_state(check.item),
        },
        **claim_evidence(check.claim),
        register="tga_scope",
        entry_id=f"{check.rto['entry_id']}/{check.code}",
        snapshot_date=check.snapshot if check.snapshot != "unknown" else "",
    )


def _scope_state(item: Row | None) -> str:
    """Why a scope item does not allow delivery, in the register's terms."""
    if item is None:
        return "is not on its scope"
    if item.get("is_refused"):
        return "was refused on its scope"
    if item.get("end_date"):
        return f"left its scope on {item['end_date']}"
    return f"is on its scope only from {item.get('start_date') or 'an unstated date'}"


@family.rule(
    "SCOPE_ON_RTO_SCOPE",
    applies_to="provider",
    points=2,
    cap=6,
    template="It advertises {code}, which is on the current scope of its own {rto} on "
    "training.gov.au (scope snapshot of {snapshot}).",
    meaning="A national code it advertises is on the current scope of registration of its "
    "own RTO: it is registered to deliver and assess it.",
    guidance="R2 the course advertised is on the provider's own registration",
    sources=(TGA_SCOPE,),
)
def on_rto_scope(ev: ProviderEvidence) -> Iterator[Finding]:
    for check in _scope_checks(ev):
        if check.item is not None and check.item.get("is_current"):
            yield _scope_finding(check)


@family.rule(
    "SCOPE_NOT_ON_RTO_SCOPE",
    applies_to="provider",
    points=-8,
    cap=24,
    template="It advertises {code}, which {state} as its own {rto} (training.gov.au scope "
    "snapshot of {snapshot}): it may not issue that qualification or unit itself.",
    meaning="A national code it advertises is not on the current scope of its own RTO (absent, "
    "ended or refused) in the training.gov.au scope loaded: an RTO may only issue "
    "qualifications and statements of attainment on its scope.",
    guidance="R16 not registered to deliver when enrolling; Standards for RTOs (scope)",
    sources=(TGA_SCOPE,),
)
def not_on_rto_scope(ev: ProviderEvidence) -> Iterator[Finding]:
    for check in _scope_checks(ev):
        if check.item is None or not check.item.get("is_current"):
            yield _scope_finding(check)
