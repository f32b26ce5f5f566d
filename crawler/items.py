"""Items the spiders yield. Spiders only record what a site says; judging is scoring's job."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Claim:
    """One statement a registration or value check needs, quoted exactly.

    kind: rto_code | cricos_code | abn | national_code | nationally_recognised | accredited |
    government_approved | internationally_recognised | university | regulator |
    free_certificate | same_day_certificate | life_experience | guarantee
    """

    kind: str
    value: str  # normalised value: the code, the regulator's acronym, the phrase's canonical form
    text: str  # the exact surrounding text on the page
    url: str = ""  # the page it was read from


@dataclass
class Offering:
    """One course/credential offered by a provider, as the provider's site states it."""

    provider_name: str
    provider_url: str  # the provider's home page, as given in the providers file
    title: str
    url: str
    spider: str = ""
    description: str | None = None
    price: float | None = None  # 0.0 for free
    currency: str | None = None  # ISO 4217
    price_text: str | None = None
    duration_hours: float | None = None  # best single figure (midpoint of a range)
    duration_min_hours: float | None = None
    duration_max_hours: float | None = None
    duration_text: str | None = None
    certificate_text: str | None = None
    delivery_mode: str | None = None  # online | in_person | blended
    issuer: str | None = None  # the institution behind a platform course (Coursera partner...)
    claims: list[Claim] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ProviderPage:
    """What a provider page says beyond its courses: claims on pages that are not a course
    (home, about, footer), and links leading off the site."""

    provider_name: str
    provider_url: str
    url: str
    spider: str = ""
    claims: list[Claim] = field(default_factory=list)
    # Off-site links first met on this page: a link to a blocked cheating site is a red flag.
    outbound_links: list[str] = field(default_factory=list)


@dataclass
class RegisterEntry:
    """One entry as a register's own website shows it (TEQSA publishes no bulk file).

    Register spiders write these to a JSON lines feed, one object a line with these fields;
    `registers load` recognises that file by its records and reads the status words with the
    register's own vocabulary, so nothing here judges whether an entry is current.
    """

    register: str
    entry_id: str
    legal_name: str
    trading_names: list[str] = field(default_factory=list)
    status: str | None = None
    category: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    website: str | None = None
    abn: str | None = None
    state: str | None = None
    source_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class RegulatoryDecision:
    """One regulator's decision about a provider, as its published decision page words it.

    Register spiders write these to a JSON lines feed like `RegisterEntry`; the register
    declaration (`registry_data/registers/asqa_decisions.py`) decides from `status_of_decision`
    whether the decision is still in effect, so nothing here judges it.
    """

    regulator: str
    decision_id: str
    organisation_name: str
    rto_code: str | None = None
    decision_type: str | None = None
    date_of_decision: str | None = None
    date_of_effect: str | None = None
    status_of_decision: str | None = None
    status_of_review: str | None = None
    review_information: str | None = None
    details: str | None = None
    source_url: str = ""
