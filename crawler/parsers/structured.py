"""Read schema.org data (JSON-LD, microdata and RDFa) and map it onto offering fields.

JSON-LD is read with parsel + json (about 1,300 pages/s on 50 KB pages), leniently where
strict JSON fails (comments, trailing commas, HTML entities, several objects in one block,
as browsers' and search engines' readers accept them); microdata and RDFa go through
extruct's extractors on the tree parsel already built, and only on pages that carry
`itemscope` or `typeof`. Objects come back JSON-LD shaped whatever their source: `@type`
without the schema.org prefix, `@graph` expanded, `{"@id": ...}` references replaced by the
object they name, so callers never care how a site embedded its data.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from extruct.rdfa import RDFaExtractor
from extruct.utils import parse_xmldom_html
from extruct.w3cmicrodata import LxmlMicrodataExtractor
from lxml import etree
from parsel import Selector

from crawler.parsers.duration import Duration, parse_duration
from crawler.parsers.price import Price, parse_price
from crawler.parsers.text import page_text

COURSE_TYPES = frozenset(
    {
        "Course",
        "CourseInstance",
        "EducationalOccupationalProgram",
        "WorkBasedProgram",  # schema.org's one subtype of EducationalOccupationalProgram
        "EducationalOccupationalCredential",
    }
)
ORGANIZATION_TYPES = frozenset(
    {"Organization", "EducationalOrganization", "CollegeOrUniversity", "LocalBusiness"}
)
_SCHEMA_PREFIX = re.compile(r"^(?:https?://schema\.org/|schema:)", re.IGNORECASE)
_JSONLD_XPATH = "//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]/text()"
_WRAPPERS = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[)|(?:-->|//\s*\]\]>)\s*$")
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_MICRODATA = LxmlMicrodataExtractor()
_RDFA = RDFaExtractor()
_SCHEMA_IRI = re.compile(r"^https?://schema\.org/")


@dataclass
class StructuredData:
    """Objects read from one page; JSON-LD blocks read only leniently (`repaired`) and
    unreadable even so (`malformed`), for the provider's outcome."""

    objects: list[dict] = field(default_factory=list)
    malformed: int = 0
    repaired: int = 0


def extract_structured(html_page: str | bytes, url: str) -> list[dict]:
    """All schema.org objects on a page; a malformed JSON-LD block is skipped."""
    if isinstance(html_page, bytes):
        selector = Selector(body=html_page, type="html")
    else:
        selector = Selector(text=html_page, type="html")
    return read_structured(selector, url).objects


def read_structured(selector: Selector, url: str, body: bytes | None = None) -> StructuredData:
    """Like `extract_structured`, on a parsed page, counting unreadable JSON-LD blocks.

    With the page's `body`, a byte search (far cheaper than an XPath over the tree) first
    rules out microdata and RDFa on the many pages that carry neither.
    """
    data = StructuredData()
    body = body.lower() if body is not None else None
    for block in selector.xpath(_JSONLD_XPATH).getall():
        text = _WRAPPERS.sub("", block)
        if not text.strip():
            continue
        try:
            parsed = json.loads(text, strict=False)
        except ValueError:
            parsed = lenient_json(text)
            if parsed is None:
                data.malformed += 1
                continue
            data.repaired += 1
        data.objects.extend(_top_level(parsed))
    if _may_carry(body, b"itemscope") and selector.xpath("//*[@itemscope][@itemtype]"):
        items = _MICRODATA.extract_items(selector.root, base_url=url)
        data.objects.extend(_from_microdata(item) for item in items)
    if _may_carry(body, b"typeof") and selector.xpath("//*[@typeof]"):
        data.objects.extend(_from_rdfa(_rdfa_items(selector, url)))
    _resolve_references(data.objects)
    _attach_offers(data.objects)
    return data


def _may_carry(lowered_body: bytes | None, attribute: bytes) -> bool:
    return lowered_body is None or attribute in lowered_body


def type_names(obj: Any) -> set[str]:
    """`{"@type": ["schema:Course", "Product"]}` -> {"Course", "Product"}."""
    if not isinstance(obj, dict):
        return set()
    types = obj.get("@type", ())
    types = [types] if isinstance(types, str) else types
    return {_SCHEMA_PREFIX.sub("", t) for t in types if isinstance(t, str)}


def find_objects(objects: list[dict], types: Collection[str]) -> list[dict]:
    """Objects of the given types, top-level or nested (an ItemList's items, an Offer's
    `itemOffered`), without descending into a found one: its CourseInstance stays its own."""
    found: list[dict] = []
    seen: set[int] = set()
    stack: list[Any] = list(reversed(objects))
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict) and id(value) not in seen:
            seen.add(id(value))
            if type_names(value) & set(types):
                found.append(value)
            else:
                stack.extend(reversed(list(value.values())))
    return found


def course_fields(obj: dict, page_url: str = "") -> dict[str, Any]:
    """Offering field values from a Course, CourseInstance or EducationalOccupationalCredential.

    Keys are `crawler.items.Offering` field names; what the object does not say is None.
    """
    instances = _objects(obj.get("hasCourseInstance"))
    price, other_prices = _best_price(obj, instances)
    duration = _duration(obj, instances)
    url = _text(obj.get("url"))  # not `@id`: often an identifier, not the course's page
    extra: dict[str, Any] = {"schema_type": sorted(type_names(obj))}
    if other_prices:
        extra["other_prices"] = other_prices
    for key, name in (("courseCode", "course_code"), ("inLanguage", "language")):
        if _text(obj.get(key)):
            extra[name] = _text(obj.get(key))
    if obj.get("isAccessibleForFree") is not None:
        extra["is_accessible_for_free"] = _is_true(obj["isAccessibleForFree"])
    recognized_by = _names(obj.get("recognizedBy"))
    if recognized_by:
        extra["recognized_by"] = recognized_by
    return {
        "title": _text(obj.get("name")),
        "url": urljoin(page_url, url) if url else page_url or None,
        "description": clean_description(_text(obj.get("description"))),
        "provider_name": next(iter(_names(obj.get("provider"))), None),
        "price": price.amount if price else None,
        "currency": price.currency if price else None,
        "price_text": price.text if price else None,
        "duration_hours": duration.hours,
        "duration_min_hours": duration.min_hours,
        "duration_max_hours": duration.max_hours,
        "duration_text": duration.text,
        "certificate_text": _certificate_text(obj),
        "delivery_mode": _delivery_mode(obj, instances),
        "extra": extra,
    }


def organization_fields(obj: dict, page_url: str = "") -> dict[str, Any]:
    """Name, site, legal name, ABN and other identifiers (RTO, CRICOS) an Organization gives."""
    identifiers = _identifiers(obj)
    abn = identifiers.pop("ABN", None)
    for key in ("taxID", "vatID"):
        digits = re.sub(r"\D", "", _text(obj.get(key)) or "")
        if abn is None and len(digits) == 11:
            abn = digits
    url = _text(obj.get("url"))
    return {
        "name": _text(obj.get("name")),
        "url": urljoin(page_url, url) if url else None,
        "legal_name": _text(obj.get("legalName")),
        "abn": abn,
        "identifiers": identifiers,
    }


def item_list_urls(obj: dict, page_url: str = "") -> list[str]:
    """The URLs an ItemList points at (`itemListElement` strings, ListItems, or items)."""
    urls: list[str] = []
    for element in _as_list(obj.get("itemListElement")):
        target = element.get("item", element) if isinstance(element, dict) else element
        url = _text(target.get("url") or target.get("@id")) if isinstance(target, dict) else None
        url = url or (_text(element.get("url")) if isinstance(element, dict) else _text(target))
        if url:
            urls.append(urljoin(page_url, url))
    return urls


def clean_description(text: str | None) -> str | None:
    """Descriptions often carry HTML or entities; BeautifulSoup's forgiving parse is not
    needed for a fragment, lxml via parsel is enough and stays fast."""
    if not text:
        return None
    if _TAG.search(text):
        text = page_text(Selector(text=f"<body>{text}</body>", type="html"))
    else:
        text = html.unescape(text)
    text = "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    return text or None


_JSON_NOISE = re.compile(
    r'"(?:[^"\\]|\\.)*"'  # a string, kept whole
    r"|//[^\n]*|/\*.*?\*/"  # a comment
    r"|,(?=\s*[}\]])",  # a trailing comma
    re.S,
)


def lenient_json(text: str) -> Any:
    """JSON as a forgiving reader takes it: `//` and `/* */` comments and trailing commas
    dropped, HTML entities decoded (a CMS escaping the block), objects written one after
    another read as a list. None when it still is not JSON."""
    for candidate in (text, html.unescape(text)):
        cleaned = _JSON_NOISE.sub(lambda m: m.group() if m.group()[0] == '"' else "", candidate)
        values = _json_values(cleaned)
        if values is not None:
            return values[0] if len(values) == 1 else values
    return None


def _json_values(text: str) -> list[Any] | None:
    """Every JSON value in `text`, one after another (whitespace between), or None."""
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    position, end = 0, len(text)
    while True:
        while position < end and text[position] in " \t\r\n;":
            position += 1
        if position >= end:
            return values or None
        try:
            value, position = decoder.raw_decode(text, position)
        except ValueError:
            return None
        values.append(value)


def _top_level(parsed: Any) -> Iterator[dict]:
    for value in _as_list(parsed):
        if not isinstance(value, dict):
            continue
        graph = value.get("@graph")
        if isinstance(graph, list | dict):
            yield from (item for item in _as_list(graph) if isinstance(item, dict))
        if type_names(value) or not graph:
            yield value


def _from_microdata(item: Any) -> Any:
    """extruct's `{"type": url, "properties": {...}}` to JSON-LD's `{"@type": name, ...}`."""
    if isinstance(item, list):
        return [_from_microdata(value) for value in item]
    if not isinstance(item, dict) or ("properties" not in item and "type" not in item):
        return item
    obj: dict[str, Any] = {}
    types = item.get("type")
    if types:
        names = [_SCHEMA_PREFIX.sub("", t) for t in _as_list(types)]
        obj["@type"] = names[0] if len(names) == 1 else names
    if item.get("id"):
        obj["@id"] = item["id"]
    for key, value in item.get("properties", {}).items():
        obj[key] = _from_microdata(value)
    if "value" in item and not obj.get("name"):
        obj["name"] = item["value"]
    return obj


def _rdfa_items(selector: Selector, url: str) -> list[dict]:
    """pyRdfa walks an xml.dom-like tree, not parsel's: re-parse the page (RDFa pages only)."""
    page = etree.tostring(selector.root, encoding="utf-8")
    return _RDFA.extract_items(parse_xmldom_html(page, "utf-8"), base_url=url)


def _from_rdfa(nodes: list[dict]) -> list[dict]:
    """extruct's RDFa output is expanded JSON-LD, flat: every node top-level, full IRIs,
    values in `[{"@value": ...}]`. Compact it and keep as top-level only the nodes no other
    node refers to (a course's provider stays inside the course)."""
    compact = [_compact_rdfa(node) for node in nodes if isinstance(node, dict)]
    described = {node.get("@id") for node in compact if len(node) > 1}
    for node in compact:  # a link to a page (`url`, `sameAs`) is its address, not a node
        for key, value in node.items():
            if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] not in described:
                node[key] = value["@id"]
    _resolve_references(compact)
    referred = {
        value["@id"]
        for node in compact
        for child in node.values()
        for value in _as_list(child)
        if isinstance(value, dict) and isinstance(value.get("@id"), str) and value is not node
    }
    top = [node for node in compact if node.get("@id") not in referred and len(node) > 1]
    return top if top else compact


def _compact_rdfa(node: dict) -> dict:
    obj: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@type":
            names = [_SCHEMA_IRI.sub("", t) for t in _as_list(value)]
            obj["@type"] = names[0] if len(names) == 1 else names
        elif key == "@id":
            obj["@id"] = value
        elif _SCHEMA_IRI.match(key):
            values = [v.get("@value", v) if isinstance(v, dict) else v for v in _as_list(value)]
            obj[_SCHEMA_IRI.sub("", key)] = values[0] if len(values) == 1 else values
    return obj


def _resolve_references(objects: list[dict]) -> None:
    """Replace `{"@id": x}` stubs (Yoast and Rank Math `@graph`s) by the object with @id x."""
    nodes = list(_walk(objects))
    index: dict[str, dict] = {}
    for node in nodes:
        if isinstance(node.get("@id"), str) and len(node) > 1:
            index.setdefault(node["@id"], node)
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = [_dereference(v, index) for v in value]
            else:
                node[key] = _dereference(value, index)


def _attach_offers(objects: list[dict]) -> None:
    """`{"@type": "Offer", "price": ..., "itemOffered": Course}` puts the price outside the
    course; give such a course its offer, so a course always carries its own prices."""
    for node in list(_walk(objects)):
        if "Offer" not in type_names(node) and "AggregateOffer" not in type_names(node):
            continue
        for offered in _objects(node.get("itemOffered")):
            if type_names(offered) & COURSE_TYPES and "offers" not in offered:
                offered["offers"] = {k: v for k, v in node.items() if k != "itemOffered"}


def _dereference(value: Any, index: dict[str, dict]) -> Any:
    if isinstance(value, dict) and set(value) == {"@id"} and isinstance(value["@id"], str):
        return index.get(value["@id"], value)
    return value


def _walk(value: Any) -> Iterator[dict]:
    """Every dict in a JSON value once, cycles (resolved `@id` references) included."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, dict) and id(current) not in seen:
            seen.add(id(current))
            yield current
            stack.extend(current.values())


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _objects(value: Any) -> list[dict]:
    return [v for v in _as_list(value) if isinstance(v, dict)]


def _text(value: Any) -> str | None:
    """A plain string from a schema.org value: str, number, `{"@value"}`, a named object."""
    for item in _as_list(value):
        if isinstance(item, dict):
            item = item.get("@value", item.get("name"))
        if isinstance(item, bool) or item is None:
            continue
        text = " ".join(str(item).split())
        if text:
            return html.unescape(text) if "&" in text else text  # WordPress escapes twice
    return None


def _names(value: Any) -> list[str]:
    """Names in a `provider`-like value (str, dict, list), organisations before people:
    a course listing its instructor and its school is the school's."""
    items = sorted(_as_list(value), key=lambda item: not (type_names(item) & ORGANIZATION_TYPES))
    names = [_text(item) for item in items]
    return [name for name in names if name]


def _offer_price(offer: dict) -> Price | None:
    currency = _text(offer.get("priceCurrency"))
    amount = offer.get("price", offer.get("lowPrice"))
    for spec in _objects(offer.get("priceSpecification")):
        amount = amount if amount is not None else spec.get("price")
        currency = currency or _text(spec.get("priceCurrency"))
    if isinstance(amount, list | dict):
        amount = _text(amount)
    price = parse_price(amount, currency)
    if price.amount is None and (_text(offer.get("category")) or "").lower() == "free":
        return Price(0.0, price.currency, _text(offer.get("category")), True)
    return price if price.amount is not None else None


def _best_price(obj: dict, instances: list[dict]) -> tuple[Price | None, list[float]]:
    """The lowest stated price (what a learner can pay to start), and the other prices."""
    offers = _objects(obj.get("offers"))
    for instance in instances:
        offers.extend(_objects(instance.get("offers")))
    prices = [price for price in map(_offer_price, offers) if price is not None]
    if not prices:
        if _is_true(obj.get("isAccessibleForFree")):
            return Price(0.0, None, None, True), []
        return None, []
    prices.sort(key=lambda price: price.amount)
    others = sorted({p.amount for p in prices[1:] if p.amount != prices[0].amount})
    return prices[0], others


def _is_true(value: Any) -> bool:
    """schema.org booleans arrive as true, "True", "true" or "https://schema.org/True"."""
    return value is True or str(value).strip().lower().rsplit("/", 1)[-1] == "true"


def _duration(obj: dict, instances: list[dict]) -> Duration:
    """The first stated duration that converts to hours, else the first stated text."""
    texts = [_text(obj.get("timeRequired")), _text(obj.get("timeToComplete"))]
    for instance in instances:
        texts.append(_text(instance.get("courseWorkload")))
        texts.append(_text(instance.get("timeRequired")))
    texts.append(_text(obj.get("courseWorkload")))
    durations = [parse_duration(text) for text in texts if text]
    durations += [
        _scheduled(schedule) for i in instances for schedule in _objects(i.get("courseSchedule"))
    ]
    for duration in durations:
        if duration.hours is not None:
            return duration
    return durations[0] if durations else Duration(None, None, None, None)


def _scheduled(schedule: dict) -> Duration:
    """Google's Course info markup: a `courseSchedule` of `duration` x `repeatCount`
    sessions ("PT2H", 8, "Weekly" -> 16 hours); no count, no total."""
    session = parse_duration(_text(schedule.get("duration")))
    count = _text(schedule.get("repeatCount"))
    frequency = _text(schedule.get("repeatFrequency"))
    text = " x ".join(filter(None, [session.text, count and f"{count} {frequency or ''}".strip()]))
    if session.hours is None or not count or not count.replace(".", "", 1).isdigit():
        return Duration(None, None, None, text or None)
    times = float(count)
    return Duration(
        round(session.hours * times, 4),
        round(session.min_hours * times, 4),
        round(session.max_hours * times, 4),
        text,
    )


def _certificate_text(obj: dict) -> str | None:
    if "EducationalOccupationalCredential" in type_names(obj):
        return _text(obj.get("credentialCategory")) or _text(obj.get("name"))
    awarded = obj.get("educationalCredentialAwarded")
    for credential in _as_list(awarded):
        if isinstance(credential, dict):
            text = _text(credential.get("name")) or _text(credential.get("credentialCategory"))
        else:
            text = _text(credential)
        if text:
            return text
    return None


_MODES = (
    ("blended", re.compile(r"blended|mixed|hybrid", re.IGNORECASE)),
    ("online", re.compile(r"online|distance|remote|virtual|e-?learning", re.IGNORECASE)),
    ("in_person", re.compile(r"onsite|on-site|in[\s-]person|campus|offline|classroom|face", re.I)),
)


def _delivery_mode(obj: dict, instances: list[dict]) -> str | None:
    """online, in_person or blended; online and in-person instances together are blended."""
    values = [obj.get("courseMode"), obj.get("educationalProgramMode")]
    values += [i.get("courseMode") for i in instances]
    values += [
        i.get("location", {}).get("@type") for i in instances if isinstance(i.get("location"), dict)
    ]
    modes = set()
    for value in values:
        for text in filter(None, (_text(v) for v in _as_list(value))):
            text = "VirtualLocation online" if text == "VirtualLocation" else text
            modes.update(mode for mode, pattern in _MODES if pattern.search(text))
    if "blended" in modes or {"online", "in_person"} <= modes:
        return "blended"
    return next(iter(modes), None)


def _identifiers(obj: dict) -> dict[str, str]:
    """`identifier` PropertyValues keyed by their upper-cased propertyID (ABN, RTO, CRICOS)."""
    identifiers: dict[str, str] = {}
    for item in _objects(obj.get("identifier")):
        name = (_text(item.get("propertyID")) or _text(item.get("name")) or "").upper()
        value = _text(item.get("value"))
        if name and value:
            identifiers[name] = re.sub(r"\s", "", value) if name == "ABN" else value
    return identifiers
