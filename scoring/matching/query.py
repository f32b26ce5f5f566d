"""What a learner types, read as one of three things: a register code, a web address or a name.

"RTO 0029", "CRICOS 00122A", "ABN 49 781 030 034", "10007798" (a UKPRN) or "PRV12057" are
codes; "rmit.edu.au" or "https://www.rmit.edu.au/study" a web address; anything else a name
(misspelt, an acronym, a trading name). `match_query` answers each with the same
`MatchResult` the name matcher gives, so `credwatch check` and the lookup page show one shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from credwatch.core.identity import hostname, registrable_domain
from scoring.matching.decide import match_provider, settle
from scoring.matching.index import RegisterIndex, id_key
from scoring.matching.result import EntryMatch, MatchResult

# Words a code is prefixed with, and the register(s) each one names ("abn" is any register).
CODE_PREFIXES = {
    "rto": "rto",
    "cricos": "cricos",
    "teqsa": "teqsa",
    "ukprn": "ukprn",
    "unitid": "ipeds",
    "ipeds": "ipeds",
    "abn": "abn",
}
_CODE = re.compile(
    r"^(?:(?P<prefix>rto|cricos|teqsa|ukprn|unitid|ipeds|abn)\b[\s:#.-]*"
    r"(?:(?:provider\s+)?(?:code|no\.?|number|id)\b[\s:#.-]*)?)?"
    r"(?P<code>prv\s*\d{5}|\d[\d ]{1,16}[a-z]?)$",
    re.IGNORECASE,
)
_WEB = re.compile(r"^(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[:/?#]\S*)?$", re.I)


@dataclass(frozen=True)
class Query:
    """One input, read: `kind` is code | web | name; `value` the code, domain or name."""

    text: str
    kind: str
    value: str
    register: str | None = None  # the register a code's prefix names ("abn": an ABN)


def read_query(text: str, index: RegisterIndex | None = None) -> Query:
    """Classify one input; a name is the fallback, so nothing typed is ever refused. With the
    `index`, a web address that a register lists is read without the public-suffix list."""
    stripped = " ".join(text.split())
    if code := _CODE.match(stripped):
        prefix = (code["prefix"] or "").lower()
        value = "".join(code["code"].split()).upper()
        register = CODE_PREFIXES.get(prefix) or ("abn" if len(value) == 11 else None)
        return Query(stripped, "code", value, register)
    if _WEB.match(stripped) and (domain := _domain(stripped, index)):
        return Query(stripped, "web", domain)
    return Query(stripped, "name", stripped)


def _domain(text: str, index: RegisterIndex | None) -> str | None:
    """The registrable domain of a typed address. The longest suffix of its host that some
    register lists as a website is that domain (the registers' domains are registrable ones),
    and finding it costs a few dictionary lookups; only an address no register lists needs
    tldextract's public-suffix list, which takes ~0.2 s to load in a fresh process."""
    host = hostname(_as_url(text))
    if index is not None and host:
        labels = host.split(".")
        for at in range(len(labels) - 1):
            if (suffix := ".".join(labels[at:])) in index.by_domain:
                return suffix
    return registrable_domain(_as_url(text))


def _as_url(text: str) -> str:
    return text if "://" in text else f"https://{text}"


def match_query(text: str, index: RegisterIndex, url: str | None = None) -> MatchResult:
    """Match one input of any kind; `url` (a name's website) helps tell namesakes apart."""
    query = read_query(text, index)
    if query.kind == "code":
        return _match_code(query, index)
    if query.kind == "web":
        return _match_website(query, index)
    return match_provider(query.value, url, index=index)


def _match_code(query: Query, index: RegisterIndex) -> MatchResult:
    result = MatchResult(name=query.text, url=None)
    found: dict[int, EntryMatch] = {}
    for number in index.by_id.get(id_key(query.value), []):
        entry = index.entries[number]
        is_abn = entry.abn is not None and id_key(entry.abn) == id_key(query.value)
        if query.register == "abn" and not is_abn:
            continue
        if query.register not in (None, "abn") and (entry.register != query.register or is_abn):
            continue
        what = f"ABN {entry.abn}" if is_abn else f"the register id of {entry.label}"
        found[number] = EntryMatch(
            number,
            entry,
            "id",
            entry.legal_name,
            100.0,
            id_match=True,
            reason=f"'{query.text}' is {what} ({entry.legal_name})",
        )
    result.accepted = settle(found, index, None)
    if not found:
        result.unmatched = _no_such_code(query, index)
    return result


def _no_such_code(query: Query, index: RegisterIndex) -> str:
    """Why a code found nothing; an ABN on registers that list none says so, not "no such"."""
    if query.register == "abn" and not index.abn_registers:
        return (
            f"{query.value} is an ABN, and none of the registers we searched lists ABNs: "
            "try the provider's name or its RTO or CRICOS code"
        )
    if query.register == "abn":
        return f"no register we searched lists the ABN {query.value}"
    where = f"the {query.register.upper()} register" if query.register else "any register"
    return f"no entry of {where} we searched has the code {query.value}"


def _match_website(query: Query, index: RegisterIndex) -> MatchResult:
    result = MatchResult(name=query.text, url=_as_url(query.text))
    found: dict[int, EntryMatch] = {}
    for number in index.by_domain.get(query.value, []):
        entry = index.entries[number]
        found[number] = EntryMatch(
            number,
            entry,
            "domain+name",
            entry.legal_name,
            100.0,
            domain_match=True,
            reason=f"'{query.text}' is a web address",
        )
    result.accepted = settle(found, index, query.value)
    if not found:
        result.unmatched = f"no register we searched lists the website {query.value}"
    return result
