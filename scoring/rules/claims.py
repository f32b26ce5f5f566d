"""Claim rules: recognition, business identity, titles and names a register does not back."""

from __future__ import annotations

from collections.abc import Iterator

from scoring.claim_checks import VAGUE_RECOGNITION, ProviderEvidence, claim_evidence
from scoring.rules.book import Finding, RuleBook
from scoring.rules.sources import ASQA_CHECKLIST, OFQUAL_REGULATED

family = RuleBook()

# The registers each regulator keeps: naming the regulator claims a place on one of them.
REGULATOR_REGISTERS = {"ASQA": ("rto",), "TEQSA": ("teqsa", "cricos"), "Ofqual": ("ukprn",)}
# A look-alike is a name this close to a registered provider's (rapidfuzz 0-100 scale) while
# the provider is not that provider; below it, similarity is ordinary shared vocabulary.
LOOKALIKE_NAME_SCORE = 88.0


@family.rule(
    "NATIONAL_RECOGNITION_UNBACKED",
    applies_to="provider",
    points=-25,
    cap=25,
    template="It offers nationally recognised training (or a national course code), but no "
    "current registered training organisation on training.gov.au matches it.",
    meaning="'Nationally recognised' or a national course/unit code (e.g. HLTAID011) with no "
    "current registered training organisation matching the provider.",
    guidance="R1 claims to issue recognised qualifications without registration",
    sources=ASQA_CHECKLIST,
)
def unbacked_recognition(ev: ProviderEvidence) -> Iterator[Finding]:
    """Says 'nationally recognised' or shows national course codes with no current RTO."""
    if ev.current_matches("rto"):
        return
    # A broker may sell a partner RTO's course codes while naming that RTO; the code itself is
    # then judged by the code rules, so a bare national code is not counted twice.
    names_current_rto = any(
        (ev.lookup("rto", c["value"]) or {}).get("is_current") for c in ev.claims_of("rto_code")
    )
    for claim in ev.claims_of("nationally_recognised", "national_code"):
        if claim["kind"] == "national_code" and names_current_rto:
            continue
        yield Finding(**claim_evidence(claim))


@family.rule(
    "INVALID_ABN",
    applies_to="provider",
    points=-10,
    cap=10,
    template="It shows ABN {abn}, which fails the ABN checksum: no business can hold that number.",
    meaning="An Australian Business Number shown on the site fails the official checksum "
    "(weights 10,1,3,...,19 after subtracting 1 from the first digit; divisible by 89).",
    guidance="R14 no verifiable business identity",
    sources=("https://abr.business.gov.au/Help/AbnFormat",),
)
def invalid_abn(ev: ProviderEvidence) -> Iterator[Finding]:
    """An ABN that fails the official checksum cannot belong to any business."""
    for claim in ev.claims_of("abn_invalid"):
        yield Finding({"abn": claim["value"]}, **claim_evidence(claim))


@family.rule(
    "UNIVERSITY_TITLE_UNBACKED",
    applies_to="provider",
    points=-20,
    cap=20,
    template="'{name}' calls itself a university, but no register searched lists it as one "
    "(in Australia 'university' is a protected title under the TEQSA Act).",
    meaning="The provider's name says 'university' but no register searched lists it as one.",
    guidance="R9 misuse of 'university' (TEQSA Act 2011)",
    sources=(
        "https://www.legislation.gov.au/C2011A00073/2023-10-17/2023-10-17/text/original/"
        "epub/OEBPS/document_1/document_1.html",
    ),
)
def university_title(ev: ProviderEvidence) -> Iterator[Finding]:
    """Uses 'university' for itself while no register lists it as a university."""
    if "university" not in ev.name.lower():
        return
    if any("university" in (m.get("legal_name") or "").lower() for m in ev.current_matches()):
        return
    yield Finding({"name": ev.name}, evidence_url=ev.url, evidence_text=ev.name)


@family.rule(
    "REGULATOR_NAMED_UNREGISTERED",
    applies_to="provider",
    points=-15,
    cap=15,
    template="It names the regulator {regulator}, but it is not on the register {regulator} keeps.",
    meaning="Names a regulator (ASQA, TEQSA, Ofqual) while not on the register that regulator "
    "keeps.",
    guidance="R8 regulator logo or 'regulated' claim without registration",
    sources=OFQUAL_REGULATED,
)
def regulator_named(ev: ProviderEvidence) -> Iterator[Finding]:
    """Names a regulator (ASQA, TEQSA, Ofqual) without being on that regulator's register."""
    for claim in ev.claims_of("regulator"):
        registers = REGULATOR_REGISTERS.get(claim["value"], ())
        if registers and not ev.current_matches(*registers):
            yield Finding({"regulator": claim["value"]}, **claim_evidence(claim))


@family.rule(
    "VAGUE_RECOGNITION",
    applies_to="provider",
    points=-10,
    cap=20,
    template="It claims to be '{claimed}', but names no body that a register backs, and it is "
    "on no register searched.",
    meaning="'Internationally recognised', 'government approved' or 'accredited' from a "
    "provider on no register searched: a recognition no register backs.",
    guidance="R11 accreditation by an unrecognised body; R15 unbacked claims",
    sources=("https://scamencyclopedia.org/compare/real-online-course-vs-fake-certificate-scam",),
)
def vague_recognition(ev: ProviderEvidence) -> Iterator[Finding]:
    """'Internationally recognised', 'government approved', 'accredited' with no registration."""
    if ev.current_matches():
        return
    for claim in ev.claims_of(*VAGUE_RECOGNITION):
        yield Finding({"claimed": claim["text"][:80]}, **claim_evidence(claim))


@family.rule(
    "LOOKALIKE_NAME",
    applies_to="provider",
    points=-20,
    cap=20,
    template="Its name is very close to '{matched_name}' ({register} {entry_id}, {site}), but "
    "the register entry does not match this site.",
    meaning="The name is very close to a registered provider's while the register entry does "
    "not match this site (different website domain, no shared id).",
    guidance="R10 name imitates a known institution",
    sources=(
        "https://thehrdirector.com/business-news/graduates-and-employment/government-"
        "launches-service-to-combat-fake-universities",
    ),
)
def lookalike_name(ev: ProviderEvidence) -> Iterator[Finding]:
    """A name very close to a registered provider's, on a different website."""
    best = ev.best_rejected
    if ev.matches or not best or (best.get("name_score") or 0) < LOOKALIKE_NAME_SCORE:
        return
    if best.get("domain_match"):
        return
    yield Finding(
        {
            "matched_name": best["matched_name"],
            "register": best["register"],
            "entry_id": best["entry_id"],
            "site": best.get("website_domain") or "a different website",
        },
        evidence_url=ev.url,
        evidence_text=ev.name,
        register=best["register"],
        entry_id=best["entry_id"],
        snapshot_date=best.get("snapshot_date") or "",
    )
