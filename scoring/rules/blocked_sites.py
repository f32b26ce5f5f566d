"""TEQSA's blocked cheating-website list: the provider's own site, or a site it links to."""

from __future__ import annotations

from collections.abc import Iterator

from scoring.claim_checks import ProviderEvidence
from scoring.rules.book import Finding, RuleBook

family = RuleBook()


def blocked_points(finding: Finding) -> float:
    """-60 when the provider's own site is on the list, -30 when one of its pages links to a
    listed site."""
    return -30 if finding.facts["link"] else -60


@family.rule(
    "BLOCKED_CHEATING_SITE",
    applies_to="provider",
    points=blocked_points,
    cap=60,
    template="{where}, which is on TEQSA's list of blocked illegal cheating websites.",
    meaning="The provider's website or a course page's host is on TEQSA's list of blocked "
    "illegal academic-cheating websites.",
    guidance="TEQSA blocked illegal cheating websites",
    sources=("https://www.teqsa.gov.au/blocked-illegal-cheating-websites",),
)
def blocked_site(ev: ProviderEvidence) -> Iterator[Finding]:
    """Its website, or a site it links to, is on TEQSA's blocked cheating-website list."""
    for row in ev.blocked:
        link = row.get("link") or ""
        yield Finding(
            {
                "where": f"A page links to {link}"
                if link
                else f"The provider's own site ({row['domain']})",
                "link": link,
            },
            evidence_url=row.get("page_url") or ev.url,
            evidence_text=link or row.get("listed_as") or row["domain"],
            register="teqsa_blocked",
            entry_id=row["domain"],
            snapshot_date=row.get("snapshot_date") or "",
        )
