"""Claim checks: what a provider says about itself, checked against the registers.

One function per rule. Each reads a `ProviderEvidence` (everything known about one provider)
and yields `Contribution`s; `RULES` lists them with the cap on each rule's total. Rule ids,
meanings and the guidance behind them are documented in `scoring/rules.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from scoring.flags import OfferingFlags
from scoring.score import Contribution

Row = dict[str, Any]

# Register statuses that mean "registered now" but under a sanction.
SUSPENDED = "suspended"
# Claim kinds that say "we are a registered/recognised provider" and so need a register match.
REGISTRATION_CLAIMS = ("rto_code", "cricos_code", "national_code", "nationally_recognised")
VAGUE_RECOGNITION = ("internationally_recognised", "government_approved", "accredited")
REGULATOR_REGISTERS = {"ASQA": ("rto",), "TEQSA": ("teqsa", "cricos"), "Ofqual": ("ukprn",)}
REGISTER_LABELS = {
    "rto": "training.gov.au (RTO)",
    "cricos": "CRICOS",
    "teqsa": "the TEQSA National Register",
    "ipeds": "US IPEDS",
    "ukprn": "the UK provider list (UKPRN)",
}
# A look-alike is a name this close to a registered provider's (rapidfuzz 0-100 scale) while
# the provider is not that provider; below it, similarity is ordinary shared vocabulary.
LOOKALIKE_NAME_SCORE = 88.0


@dataclass
class ProviderEvidence:
    """Everything the rules may read about one provider."""

    provider_id: str
    name: str
    url: str
    offerings: list[Row] = field(default_factory=list)
    claims: list[Row] = field(default_factory=list)
    matches: list[Row] = field(default_factory=list)  # accepted matches joined to their entry
    best_rejected: Row | None = None  # the best candidate the matcher rejected
    offering_flags: list[OfferingFlags] = field(default_factory=list)
    blocked: list[Row] = field(default_factory=list)  # blocked_sites rows hit by its domains
    lookup: Callable[[str, str], Row | None] = lambda register, entry_id: None
    snapshots: dict[str, str] = field(default_factory=dict)  # register -> latest snapshot date

    def claims_of(self, *kinds: str) -> list[Row]:
        return [claim for claim in self.claims if claim["kind"] in kinds]

    def current_matches(self, *registers: str) -> list[Row]:
        return [
            match
            for match in self.matches
            if match.get("is_current") and (not registers or match["register"] in registers)
        ]

    def matched(self, register: str, entry_id: str) -> Row | None:
        return next(
            (m for m in self.matches if (m["register"], m["entry_id"]) == (register, entry_id)),
            None,
        )


def _entry_evidence(entry: Row) -> dict[str, str]:
    return {
        "register": entry["register"],
        "entry_id": entry["entry_id"],
        "snapshot_date": entry.get("snapshot_date") or "",
    }


def _claim_evidence(claim: Row) -> dict[str, str]:
    return {"evidence_url": claim.get("url") or "", "evidence_text": claim.get("text") or ""}


def _entry_label(entry: Row) -> str:
    register = REGISTER_LABELS.get(entry["register"], entry["register"])
    return f"{register} {entry['entry_id']} ({entry['legal_name']})"


def registered(ev: ProviderEvidence) -> Iterator[Contribution]:
    """A current register entry that is this provider."""
    for match in ev.current_matches():
        status = match.get("status") or "listed"
        yield Contribution(
            "REGISTERED",
            20,
            f"Listed on {_entry_label(match)} with status '{status}' in the snapshot of "
            f"{match.get('snapshot_date') or 'unknown date'}.",
            evidence_text=match.get("reason") or "",
            **_entry_evidence(match),
        )


def registration_not_current(ev: ProviderEvidence) -> Iterator[Contribution]:
    """This provider's own register entry is suspended, cancelled or no longer current."""
    for match in ev.matches:
        status = (match.get("status") or "").strip()
        suspended = SUSPENDED in status.lower()
        if match.get("is_current") and not suspended:
            continue
        ended = f" (registration ended {match['end_date']})" if match.get("end_date") else ""
        note = (
            "Suspended is a regulator's sanction."
            if suspended
            else "The register does not say why: many 'Cancelled' or 'Non-Current' entries are "
            "voluntary withdrawals, not sanctions."
        )
        yield Contribution(
            "REGISTRATION_NOT_CURRENT",
            -25 if suspended else -10,
            f"Its entry on {_entry_label(match)} has status '{status}'{ended}. {note}",
            evidence_text=match.get("reason") or "",
            **_entry_evidence(match),
        )


def claimed_codes(ev: ProviderEvidence) -> Iterator[Contribution]:
    """RTO and CRICOS codes shown on the site, checked against the register."""
    for kind, register in (("rto_code", "rto"), ("cricos_code", "cricos")):
        for claim in ev.claims_of(kind):
            yield from _check_code(ev, claim, register)


def _check_code(ev: ProviderEvidence, claim: Row, register: str) -> Iterator[Contribution]:
    code = claim["value"]
    entry = ev.lookup(register, code)
    label = REGISTER_LABELS[register]
    if entry is None:
        yield Contribution(
            "CODE_NOT_ON_REGISTER",
            -25,
            f"The site shows code {code}, but {label} has no entry with that code "
            f"(snapshot of {ev.snapshots.get(register, 'unknown date')}).",
            register=register,
            entry_id=code,
            **_claim_evidence(claim),
        )
        return
    own = ev.matched(register, entry["entry_id"])
    if own is None:
        yield Contribution(
            "CODE_OF_OTHER_ORGANISATION",
            -30,
            f"Code {entry['entry_id']} belongs to '{entry['legal_name']}' on {label}"
            f"{_status_note(entry)}, not to {ev.name}.",
            **_claim_evidence(claim),
            **_entry_evidence(entry),
        )
    elif own.get("is_current") and SUSPENDED not in (own.get("status") or "").lower():
        yield Contribution(
            "CODE_CONFIRMED",
            10,
            f"The code {entry['entry_id']} it shows is its own current entry on {label}.",
            **_claim_evidence(claim),
            **_entry_evidence(entry),
        )


def _status_note(entry: Row) -> str:
    status = entry.get("status")
    if not status:
        return ""
    ended = f", ended {entry['end_date']}" if entry.get("end_date") else ""
    return f" (status {status}{ended})"


def unbacked_recognition(ev: ProviderEvidence) -> Iterator[Contribution]:
    """Says 'nationally recognised' or shows national course codes with no current RTO."""
    if ev.current_matches("rto"):
        return
    # A broker may sell a partner RTO's course codes while naming that RTO; the code itself is
    # then judged by `claimed_codes`, so a bare national code is not counted twice.
    names_current_rto = any(
        (ev.lookup("rto", c["value"]) or {}).get("is_current") for c in ev.claims_of("rto_code")
    )
    for claim in ev.claims_of("nationally_recognised", "national_code"):
        if claim["kind"] == "national_code" and names_current_rto:
            continue
        yield Contribution(
            "NATIONAL_RECOGNITION_UNBACKED",
            -25,
            "It offers nationally recognised training (or a national course code), but no "
            "current registered training organisation on training.gov.au matches it.",
            **_claim_evidence(claim),
        )


def invalid_abn(ev: ProviderEvidence) -> Iterator[Contribution]:
    """An ABN that fails the official checksum cannot belong to any business."""
    for claim in ev.claims_of("abn_invalid"):
        yield Contribution(
            "INVALID_ABN",
            -10,
            f"It shows ABN {claim['value']}, which fails the ABN checksum: no business can "
            "hold that number.",
            **_claim_evidence(claim),
        )


def university_title(ev: ProviderEvidence) -> Iterator[Contribution]:
    """Uses 'university' for itself while no register lists it as a university."""
    if "university" not in ev.name.lower():
        return
    if any("university" in (m.get("legal_name") or "").lower() for m in ev.current_matches()):
        return
    yield Contribution(
        "UNIVERSITY_TITLE_UNBACKED",
        -20,
        f"'{ev.name}' calls itself a university, but no register searched lists it as one "
        "(in Australia 'university' is a protected title under the TEQSA Act).",
        evidence_url=ev.url,
        evidence_text=ev.name,
    )


def regulator_named(ev: ProviderEvidence) -> Iterator[Contribution]:
    """Names a regulator (ASQA, TEQSA, Ofqual) without being on that regulator's register."""
    for claim in ev.claims_of("regulator"):
        registers = REGULATOR_REGISTERS.get(claim["value"], ())
        if registers and not ev.current_matches(*registers):
            yield Contribution(
                "REGULATOR_NAMED_UNREGISTERED",
                -15,
                f"It names the regulator {claim['value']}, but it is not on the register "
                f"{claim['value']} keeps.",
                **_claim_evidence(claim),
            )


def vague_recognition(ev: ProviderEvidence) -> Iterator[Contribution]:
    """'Internationally recognised', 'government approved', 'accredited' with no registration."""
    if ev.current_matches():
        return
    for claim in ev.claims_of(*VAGUE_RECOGNITION):
        yield Contribution(
            "VAGUE_RECOGNITION",
            -10,
            f"It claims to be '{claim['text'][:80]}', but names no body that a register "
            "backs, and it is on no register searched.",
            **_claim_evidence(claim),
        )


MILL_PHRASES: dict[str, tuple[str, float, str]] = {
    "life_experience": (
        "LIFE_EXPERIENCE_CREDENTIAL",
        -25,
        "It offers credentials for life or work experience, a diploma-mill hallmark.",
    ),
    "same_day_certificate": (
        "SAME_DAY_CERTIFICATE",
        -15,
        "It promises a certificate the same day, which leaves no time for real assessment.",
    ),
    "guarantee": (
        "GUARANTEED_OUTCOME",
        -15,
        "It guarantees a pass or a job, an inducement regulators warn about.",
    ),
}


def mill_phrases(ev: ProviderEvidence) -> Iterator[Contribution]:
    """Life-experience credentials, same-day certificates, guaranteed passes or jobs."""
    for claim in ev.claims_of(*MILL_PHRASES):
        rule_id, points, reason = MILL_PHRASES[claim["kind"]]
        yield Contribution(rule_id, points, reason, **_claim_evidence(claim))


def blocked_site(ev: ProviderEvidence) -> Iterator[Contribution]:
    """Its website, or a site it links to, is on TEQSA's blocked cheating-website list."""
    for row in ev.blocked:
        where = (
            f"A page links to {row['link']}"
            if row.get("link")
            else f"The provider's own site ({row['domain']})"
        )
        yield Contribution(
            "BLOCKED_CHEATING_SITE",
            -30 if row.get("link") else -60,
            f"{where}, which is on TEQSA's list of blocked illegal cheating websites.",
            evidence_url=row.get("page_url") or ev.url,
            evidence_text=row.get("link") or row.get("listed_as") or row["domain"],
            register="teqsa_blocked",
            entry_id=row["domain"],
            snapshot_date=row.get("snapshot_date") or "",
        )


def lookalike_name(ev: ProviderEvidence) -> Iterator[Contribution]:
    """A name very close to a registered provider's, on a different website."""
    best = ev.best_rejected
    if ev.matches or not best or (best.get("name_score") or 0) < LOOKALIKE_NAME_SCORE:
        return
    if best.get("domain_match"):
        return
    site = best.get("website_domain") or "a different website"
    yield Contribution(
        "LOOKALIKE_NAME",
        -20,
        f"Its name is very close to '{best['matched_name']}' ({best['register']} "
        f"{best['entry_id']}, {site}), but the register entry does not match this site.",
        evidence_url=ev.url,
        evidence_text=ev.name,
        register=best["register"],
        entry_id=best["entry_id"],
        snapshot_date=best.get("snapshot_date") or "",
    )


def free_certificates(ev: ProviderEvidence) -> Iterator[Contribution]:
    """Free certificates: backed (fee-free from a registered body), plain, or sold as accredited."""
    backed = bool(ev.current_matches())
    accredited_words = bool(ev.claims_of(*VAGUE_RECOGNITION, "nationally_recognised"))
    for flags, offering in _flagged(ev, lambda f: f.free_certificate.raised):
        hit = flags.free_certificate
        if backed:
            points, note = 0, "it is a registered provider, so a free statement is backed"
        elif accredited_words:
            points, note = -15, "it is sold as accredited or recognised by an unregistered seller"
        else:
            points, note = -5, "nothing on a register backs the certificate"
        yield Contribution(
            "FREE_CERTIFICATE",
            points,
            f"'{offering.get('title')}' promises a free certificate; {note}.",
            evidence_url=offering.get("url") or "",
            evidence_text=hit.evidence_text,
        )


def over_niche(ev: ProviderEvidence) -> Iterator[Contribution]:
    """Credentials that certify one trivial micro-behaviour signal little skill."""
    for flags, offering in _flagged(ev, lambda f: f.over_niche.raised):
        yield Contribution(
            "OVER_NICHE",
            -4,
            f"'{offering.get('title')}' certifies a very narrow behaviour "
            f"(niche score {flags.niche_score:.2f}).",
            evidence_url=offering.get("url") or "",
            evidence_text=flags.over_niche.evidence_text or flags.over_niche.reason,
        )


# A value flag read from the listing alone is answered by what the course page itself states.
ANSWERED_BY_PAGE = {
    "NO_ASSESSMENT_OR_OUTCOMES": ("learning_outcomes", "assessment"),
    "ATTENDANCE_CERTIFICATE": ("assessment",),
}


def value_minimums(ev: ProviderEvidence) -> Iterator[Contribution]:
    """Below micro-credential minimums: under an hour, no assessment, attendance certificates."""
    for flags, offering in _flagged(ev, lambda f: any(h.raised for h in f.value_flags)):
        stated = {c["kind"] for c in ev.claims if c.get("offering_id") == offering.get("id")}
        for hit in flags.value_flags:
            if hit.raised and not stated & set(ANSWERED_BY_PAGE.get(hit.rule_id, ())):
                yield Contribution(
                    hit.rule_id,
                    -2,
                    f"'{offering.get('title')}': {hit.reason}",
                    evidence_url=offering.get("url") or "",
                    evidence_text=hit.evidence_text,
                )


def transparency(ev: ProviderEvidence) -> Iterator[Contribution]:
    """Prices and durations stated up front help a learner compare; reward it."""
    if not ev.offerings:
        return
    stated = [o for o in ev.offerings if o.get("price") is not None and o.get("duration_hours")]
    if len(stated) / len(ev.offerings) >= 0.8:
        yield Contribution(
            "TRANSPARENT_LISTINGS",
            5,
            f"{len(stated)} of {len(ev.offerings)} listings state both price and duration.",
            evidence_url=ev.url,
        )


def unregistered_without_claims(ev: ProviderEvidence) -> Iterator[Contribution]:
    """Say plainly that being unregistered is fine when nothing claims otherwise."""
    if ev.matches or ev.claims_of(*REGISTRATION_CLAIMS, *VAGUE_RECOGNITION, "regulator"):
        return
    yield Contribution(
        "UNREGISTERED_NO_CLAIMS",
        0,
        "It is on no register searched and does not claim to be; most online course sellers "
        "are legitimately unregistered, so this costs nothing.",
        evidence_url=ev.url,
    )


def _flagged(
    ev: ProviderEvidence, wanted: Callable[[OfferingFlags], bool]
) -> Iterator[tuple[OfferingFlags, Row]]:
    by_id = {offering["id"]: offering for offering in ev.offerings}
    for flags in ev.offering_flags:
        if wanted(flags):
            yield flags, by_id.get(flags.offering_id, {})


RuleFn = Callable[[ProviderEvidence], Iterable[Contribution]]

# (rule function, {rule_id: cap on the absolute total of that rule's points})
RULES: tuple[tuple[RuleFn, dict[str, float]], ...] = (
    (registered, {"REGISTERED": 25}),
    (registration_not_current, {"REGISTRATION_NOT_CURRENT": 25}),
    (
        claimed_codes,
        {"CODE_NOT_ON_REGISTER": 30, "CODE_OF_OTHER_ORGANISATION": 35, "CODE_CONFIRMED": 10},
    ),
    (unbacked_recognition, {"NATIONAL_RECOGNITION_UNBACKED": 25}),
    (invalid_abn, {"INVALID_ABN": 10}),
    (university_title, {"UNIVERSITY_TITLE_UNBACKED": 20}),
    (regulator_named, {"REGULATOR_NAMED_UNREGISTERED": 15}),
    (vague_recognition, {"VAGUE_RECOGNITION": 20}),
    (
        mill_phrases,
        {"LIFE_EXPERIENCE_CREDENTIAL": 25, "SAME_DAY_CERTIFICATE": 15, "GUARANTEED_OUTCOME": 15},
    ),
    (blocked_site, {"BLOCKED_CHEATING_SITE": 60}),
    (lookalike_name, {"LOOKALIKE_NAME": 20}),
    (free_certificates, {"FREE_CERTIFICATE": 15}),
    (over_niche, {"OVER_NICHE": 12}),
    (value_minimums, {}),
    (transparency, {"TRANSPARENT_LISTINGS": 5}),
    (unregistered_without_claims, {}),
)

# Value-flag rules may fire on every listing; together they cost at most this much per rule.
VALUE_FLAG_CAP = 6.0


def evaluate(ev: ProviderEvidence) -> tuple[list[Contribution], dict[str, float]]:
    """Run every rule; return the raw contributions and the caps that apply to them."""
    contributions: list[Contribution] = []
    caps: dict[str, float] = {}
    for rule, rule_caps in RULES:
        found = list(rule(ev))
        contributions.extend(found)
        caps.update(rule_caps)
        if rule is value_minimums:
            caps.update({item.rule_id: VALUE_FLAG_CAP for item in found})
    return contributions, caps
