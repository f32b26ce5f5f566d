"""Registration rules: what the registers say about this provider and the codes it shows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from registry_data.registers import is_sanction, register_label
from scoring.claim_checks import (
    REGISTRATION_CLAIMS,
    VAGUE_RECOGNITION,
    ProviderEvidence,
    Row,
    claim_evidence,
    entry_evidence,
    entry_label,
)
from scoring.rules.book import Finding, RuleBook
from scoring.rules.sources import ASQA_CHECKLIST, DIPLOMA_MILLS

family = RuleBook()

# Claim kinds that quote a register code, and the register each code belongs to.
CODE_CLAIMS = (("rto_code", "rto"), ("cricos_code", "cricos"))
# What a not-current entry means, by whether it is suspended: said in the same sentence.
NOT_CURRENT_NOTES = {
    True: "Suspended is a regulator's sanction.",
    False: "The register does not say why: many 'Cancelled' or 'Non-Current' entries are "
    "voluntary withdrawals, not sanctions.",
}


def _suspended(entry: Row) -> bool:
    """A status word the register declares a regulator's sanction ("Current (Suspended)")."""
    return is_sanction(entry["register"], entry.get("status"))


@family.rule(
    "REGISTERED",
    applies_to="provider",
    points=20,
    cap=25,
    template="Listed on {entry} with status '{status}' in the snapshot of {snapshot}.",
    meaning="A current register entry is this provider (matched by name, website domain or a "
    "register id it shows). Points for being registered; the entry and its snapshot date "
    "are the evidence.",
    guidance="R1 check registration; data-sources (registers and their snapshots)",
    sources=ASQA_CHECKLIST,
)
def registered(ev: ProviderEvidence) -> Iterator[Finding]:
    """A current register entry that is this provider."""
    for match in ev.current_matches():
        yield Finding(
            {
                "entry": entry_label(match),
                "status": match.get("status") or "listed",
                "snapshot": match.get("snapshot_date") or "unknown date",
            },
            evidence_text=match.get("reason") or "",
            **entry_evidence(match),
        )


def not_current_points(finding: Finding) -> float:
    """-25 when the entry is suspended (a regulator's sanction), -10 when it is cancelled,
    non-current or withdrawn (often a voluntary exit)."""
    return -25 if finding.facts["suspended"] else -10


@family.rule(
    "REGISTRATION_NOT_CURRENT",
    applies_to="provider",
    points=not_current_points,
    cap=25,
    template="Its entry on {entry} has status '{status}'{ended}. {note}",
    meaning="This provider's own entry is suspended, cancelled, non-current or withdrawn. "
    "Suspension is a sanction; 'Cancelled' and 'Non-Current' often are voluntary exits "
    "(e.g. the Australian Taxation Office, RTO 0029), so those cost less and say so.",
    guidance="R16 not registered when a qualification is issued; R17 active sanctions",
    sources=("https://www.teqsa.gov.au/national-register/about-national-register",),
)
def registration_not_current(ev: ProviderEvidence) -> Iterator[Finding]:
    """This provider's own register entry is suspended, cancelled or no longer current."""
    for match in ev.matches:
        status = (match.get("status") or "").strip()
        suspended = _suspended(match)
        if match.get("is_current") and not suspended:
            continue
        yield Finding(
            {
                "entry": entry_label(match),
                "status": status,
                "ended": f" (registration ended {match['end_date']})"
                if match.get("end_date")
                else "",
                "note": NOT_CURRENT_NOTES[suspended],
                "suspended": suspended,
            },
            evidence_text=match.get("reason") or "",
            **entry_evidence(match),
        )


@dataclass(frozen=True)
class _CodeVerdict:
    """A code shown on the site, and the register entry it names (None: not on the register)."""

    claim: Row
    register: str
    entry: Row | None
    own: Row | None  # the provider's own accepted match to that entry


def _code_verdicts(ev: ProviderEvidence) -> Iterator[_CodeVerdict]:
    """RTO and CRICOS codes shown on the site, each looked up on its register."""
    for kind, register in CODE_CLAIMS:
        for claim in ev.claims_of(kind):
            entry = ev.lookup(register, claim["value"])
            own = ev.matched(register, entry["entry_id"]) if entry else None
            yield _CodeVerdict(claim, register, entry, own)


def _code_facts(ev: ProviderEvidence, verdict: _CodeVerdict) -> dict[str, str]:
    entry = verdict.entry or {}
    return {
        "code": verdict.claim["value"],
        "entry_id": entry.get("entry_id", ""),
        "holder": entry.get("legal_name", ""),
        "label": register_label(verdict.register),
        "status_note": _status_note(entry),
        "provider": ev.name,
        "snapshot": ev.snapshots.get(verdict.register, "unknown date"),
    }


def _status_note(entry: Row) -> str:
    status = entry.get("status")
    if not status:
        return ""
    ended = f", ended {entry['end_date']}" if entry.get("end_date") else ""
    return f" (status {status}{ended})"


def _found_code(ev: ProviderEvidence, verdict: _CodeVerdict, entry: Row) -> Finding:
    """A finding on a code that is on its register: the claim and the entry it names."""
    return Finding(
        _code_facts(ev, verdict), **claim_evidence(verdict.claim), **entry_evidence(entry)
    )


@family.rule(
    "CODE_NOT_ON_REGISTER",
    applies_to="provider",
    points=-25,
    cap=30,
    template="The site shows code {code}, but {label} has no entry with that code "
    "(snapshot of {snapshot}).",
    meaning="An RTO or CRICOS code shown on the site is not on the register snapshot at all. "
    "The reason names the snapshot date: a provider registered after it is not found.",
    guidance="R1 claims registration without being registered",
    sources=ASQA_CHECKLIST,
)
def code_not_on_register(ev: ProviderEvidence) -> Iterator[Finding]:
    """A code shown on the site that its register has no entry for."""
    for verdict in _code_verdicts(ev):
        if verdict.entry is None:
            yield Finding(
                _code_facts(ev, verdict),
                register=verdict.register,
                entry_id=verdict.claim["value"],
                **claim_evidence(verdict.claim),
            )


@family.rule(
    "CODE_OF_OTHER_ORGANISATION",
    applies_to="provider",
    points=-30,
    cap=35,
    template="Code {entry_id} belongs to '{holder}' on {label}{status_note}, not to {provider}.",
    meaning="An RTO or CRICOS code shown on the site belongs to a different organisation.",
    guidance="R1; R2 third-party brokers advertising another RTO's courses",
    sources=(
        "http://waterproof-coating.com/guilty-verdict-reinforces-importance-of-"
        "transparency-for-third-party-rto-agreements",
    ),
)
def code_of_other_organisation(ev: ProviderEvidence) -> Iterator[Finding]:
    """A code shown on the site whose entry is not this provider."""
    for verdict in _code_verdicts(ev):
        if verdict.entry is not None and verdict.own is None:
            yield _found_code(ev, verdict, verdict.entry)


@family.rule(
    "CODE_CONFIRMED",
    applies_to="provider",
    points=10,
    cap=10,
    template="The code {entry_id} it shows is its own current entry on {label}.",
    meaning="An RTO or CRICOS code shown on the site is this provider's own current entry.",
    guidance="R1, R2 (name and code shown, and they agree)",
    sources=ASQA_CHECKLIST,
)
def code_confirmed(ev: ProviderEvidence) -> Iterator[Finding]:
    """A code shown on the site that is this provider's own current, unsuspended entry."""
    for verdict in _code_verdicts(ev):
        own, entry = verdict.own, verdict.entry
        if own and entry and own.get("is_current") and not _suspended(own):
            yield _found_code(ev, verdict, entry)


@family.rule(
    "UNREGISTERED_NO_CLAIMS",
    applies_to="provider",
    points=0,
    cap=None,
    template="It is on no register searched and does not claim to be; most online course "
    "sellers are legitimately unregistered, so this costs nothing.",
    meaning="On no register and claims no registration: costs nothing (most online sellers are "
    "legitimately unregistered); shown so the reader knows registers were searched.",
    guidance="red-flags notes: 'unregistered is not bad by itself'",
    sources=DIPLOMA_MILLS,
)
def unregistered_without_claims(ev: ProviderEvidence) -> Iterator[Finding]:
    """Say plainly that being unregistered is fine when nothing claims otherwise."""
    if ev.matches or ev.claims_of(*REGISTRATION_CLAIMS, *VAGUE_RECOGNITION, "regulator"):
        return
    yield Finding(evidence_url=ev.url)
