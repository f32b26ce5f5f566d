"""TEQSA's list of blocked illegal academic-cheating websites: one bare domain or URL a line.

A domain risk signal, not a provider list. `domain` is the lower-case host without `www.`
(the key other stages look up); `listed_as` keeps the line exactly as TEQSA published it;
`registrable_domain` lets a provider on `au.example.com` be caught by `example.com`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from credwatch.core.identity import hostname, registrable_domain
from registry_data.declaration import Download, FileFormat, Register

_DOMAIN_LINE = re.compile(r"^(https?://)?[a-z0-9]([a-z0-9-]*\.)+[a-z]{2,}(:\d+)?(/\S*)?$", re.I)


def is_domain_line(line: str) -> bool:
    return bool(_DOMAIN_LINE.match(line.strip()))


def looks_like_domain_list(content: str) -> bool:
    """Every non-blank line is a bare domain or a URL (and there is at least one)."""
    lines = [line for line in content.splitlines() if line.strip()]
    return bool(lines) and all(is_domain_line(line) for line in lines)


def normalised_domain(listed_as: str) -> str | None:
    host = hostname(listed_as.strip())
    return host.removeprefix("www.") if host else None


def blocked_rows(lines: Iterable[str], source_file: str, snapshot_date: str) -> list[dict]:
    """One row per distinct domain; the first line naming a domain is kept as `listed_as`."""
    rows: dict[str, dict] = {}
    for line in lines:
        listed_as = line.strip()
        domain = normalised_domain(listed_as) if listed_as else None
        if domain and domain not in rows:
            rows[domain] = {
                "domain": domain,
                "listed_as": listed_as,
                "registrable_domain": registrable_domain(domain),
                "source_file": source_file,
                "snapshot_date": snapshot_date,
            }
    return list(rows.values())


REGISTER = Register(
    id="teqsa_blocked",
    label="TEQSA's list of blocked illegal cheating websites",
    abbreviation="TEQSA blocked",
    jurisdiction="AU",
    about=(
        "Websites TEQSA has had blocked in Australia as illegal academic-cheating services: "
        "a risk signal for domains, not a list of education providers."
    ),
    licence="CC BY 3.0 AU, TEQSA © Commonwealth of Australia",
    licence_url="https://creativecommons.org/licenses/by/3.0/au/",
    source_page="https://www.teqsa.gov.au/blocked-illegal-cheating-websites",
    # TEQSA publishes the list as a web page; this daily mirror keeps it as a text file.
    fetch=Download(
        "https://raw.githubusercontent.com/elliotwutingfeng/TEQSA-illegal-cheating-websites/HEAD/urls.txt",
        "teqsa_blocked_illegal_cheating_websites_{date}.txt",
    ),
    formats=(
        FileFormat(
            "teqsa_blocked",
            "TEQSA blocked cheating websites",
            "blocked_sites",
            blocked_rows,
            rows_label="TEQSA blocked domains",
            text_shape=looks_like_domain_list,
        ),
    ),
)
