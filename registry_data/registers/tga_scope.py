"""training.gov.au RTO scope: what each RTO is registered to deliver, from its web services.

The only source of an RTO's current scope of registration is training.gov.au, and its web
services need an access grant (tga@education.gov.au). The OrganisationService `GetDetails`
call answers with one organisation (`GetDetailsResult`, of type `Rto`): its `Codes`
(`OrganisationCode/Code`, the RTO code), `ResponsibleLegalPersons` (`Name`) and `Scopes`,
each `Scope` an NRT component with `StartDate`, `EndDate`, `ExtentCode`, `IsImplicit`,
`IsRefused`, `NrtCode` and `TrainingComponentType` (the schema the service's WSDL declares,
namespace `http://training.gov.au/services/`). A file holding one such SOAP response, or
several `GetDetailsResult` elements gathered for one day (what `registers fetch` saves from
the configured address), is recognised by that content and loaded into `registry_scopes`,
one row per RTO and component, each with the snapshot date of the file.

A scope item is current on the snapshot date when it is not refused, has started and has not
ended; the rows keep the service's own dates so a reader can check.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from credwatch.core.errors import CredwatchError
from registry_data.declaration import Configured, FileFormat, Register
from registry_data.values import iso_date

SERVICES = "http://training.gov.au/services/"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
TABLE = "registry_scopes"
# Operators who hold an access grant set these (never a tracked file); see
# registry_data/tga-scope.example.env.
URL_SETTING = "CREDWATCH_TGA_SCOPE_URL"
CREDENTIAL_SETTINGS = ("CREDWATCH_TGA_USERNAME", "CREDWATCH_TGA_PASSWORD")


def looks_like_scope_response(content: str) -> bool:
    """A training.gov.au GetDetails answer: the services namespace and a result element."""
    head = content[:20000]
    return SERVICES in head and "GetDetailsResult" in content


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((child for child in element if _local(child.tag) == name), None)


def _value(element: ET.Element, name: str) -> str | None:
    """The text of a direct child, None when absent, nil (`i:nil="true"`) or empty."""
    child = _child(element, name)
    if child is None or child.get(XSI_NIL) == "true":
        return None
    return " ".join((child.text or "").split()) or None


def _items(element: ET.Element, array: str) -> list[ET.Element]:
    found = _child(element, array)
    return list(found) if found is not None else []


def _results(content: str, source_file: str) -> Iterator[ET.Element]:
    """Every GetDetailsResult in the document; a DTD (entity expansion) is refused: a SOAP
    response never carries one."""
    if "<!DOCTYPE" in content or "<!ENTITY" in content:
        raise CredwatchError(f"{source_file}: a scope response with a DTD is not read")
    try:
        root = ET.fromstring(content)
    except ET.ParseError as error:
        message = f"{source_file}: not a readable XML scope response ({error})"
        raise CredwatchError(message) from error
    for element in root.iter():
        if _local(element.tag) == "GetDetailsResult" and element.get(XSI_NIL) != "true":
            yield element


def _is_current(scope: ET.Element, snapshot_date: str | None) -> int:
    """1 when the item applies on the snapshot date: not refused, started, not ended."""
    if _value(scope, "IsRefused") == "true":
        return 0
    start, end = iso_date(_value(scope, "StartDate")), iso_date(_value(scope, "EndDate"))
    dated = bool(snapshot_date) and len(snapshot_date) == 10
    if dated and ((start and start > snapshot_date) or (end and end < snapshot_date)):
        return 0
    return 1


def _rto_code(result: ET.Element, source_file: str) -> str:
    codes = [_value(code, "Code") for code in _items(result, "Codes")]
    code = next((code for code in codes if code), None)
    if code is None:
        raise CredwatchError(f"{source_file}: a GetDetailsResult without an RTO code (Codes/Code)")
    return code


def scope_rows(lines: Iterable[str], source_file: str, snapshot_date: str) -> list[dict]:
    """`registry_scopes` rows: one per (RTO code, NRT code) of every result in the file."""
    rows: dict[tuple[str, str], dict] = {}
    for result in _results("\n".join(lines), source_file):
        code = _rto_code(result, source_file)
        people = [_value(person, "Name") for person in _items(result, "ResponsibleLegalPersons")]
        name = next((person for person in people if person), None)
        for scope in _items(result, "Scopes"):
            nrt_code = _value(scope, "NrtCode")
            if not nrt_code:
                continue
            rows[(code, nrt_code)] = {
                "register": REGISTER.id,
                "rto_code": code,
                "organisation_name": name,
                "nrt_code": nrt_code.upper(),
                "component_type": _value(scope, "TrainingComponentType"),
                "extent": _value(scope, "ExtentCode"),
                "is_implicit": int(_value(scope, "IsImplicit") == "true"),
                "is_refused": int(_value(scope, "IsRefused") == "true"),
                "start_date": iso_date(_value(scope, "StartDate")),
                "end_date": iso_date(_value(scope, "EndDate")),
                "is_current": _is_current(scope, snapshot_date),
                "source_file": source_file,
                "snapshot_date": snapshot_date,
            }
    return list(rows.values())


REGISTER = Register(
    id="tga_scope",
    label="training.gov.au RTO scope (web services)",
    abbreviation="RTO scope",
    jurisdiction="AU",
    about=(
        "Each RTO's scope of registration on training.gov.au, the National Register of VET: "
        "the qualifications, skill sets, units and accredited courses it may deliver and "
        "assess, as the OrganisationService GetDetails web service returns them (an access "
        "grant is needed), with each item's start and end dates."
    ),
    licence=(
        "Commonwealth data from training.gov.au web services, used under the access grant's "
        "terms; check them before redistribution"
    ),
    source_page="https://training.gov.au/",
    fetch=Configured(
        URL_SETTING,
        CREDENTIAL_SETTINGS,
        saved_as="tga-scope-{date}.xml",
        reason="training.gov.au's web services need an access grant (tga@education.gov.au): "
        f"set {URL_SETTING} to the address serving your GetDetails responses and "
        f"{' / '.join(CREDENTIAL_SETTINGS)} to the grant's credentials, or save the "
        "responses and load the saved file",
    ),
    formats=(
        FileFormat(
            "tga_scope",
            "training.gov.au GetDetails scope response",
            TABLE,
            scope_rows,
            rows_label="training.gov.au scope items",
            text_shape=looks_like_scope_response,
        ),
    ),
    entry_page="https://training.gov.au/Organisation/Details/{entry_id}",
)
