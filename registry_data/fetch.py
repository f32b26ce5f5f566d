"""Download current register files from their official addresses (`credwatch registers fetch`).

Each register declares how it is fetched (`registry_data.declaration`): a plain download, a
CKAN `package_show` call (CRICOS resource ids change with every monthly release), a crawl
(registers with no file, which the crawler's register spiders write; not fetched here), or
not at all (saved copies only). Each download goes to `NAME.part` and is renamed when
complete, so an interrupted fetch never leaves a half file for `registers load` to trip on.
Hosts can be redirected (`--base-url` or `CREDWATCH_REGISTERS_BASE_URL`) so tests serve the
snapshot files from 127.0.0.1; the defaults are the real addresses.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from credwatch.core.errors import CredwatchError
from registry_data.declaration import (
    CkanPackage,
    Configured,
    Crawled,
    Download,
    NotFetched,
    Register,
)
from registry_data.registers import REGISTERS

BASE_URL_ENV = "CREDWATCH_REGISTERS_BASE_URL"
TIMEOUT_SECONDS = 60
USER_AGENT = "credwatch/0.1 (government register fetch)"
_CHUNK = 1 << 16


def how_fetched(register: Register) -> str:
    """One line for people: where a register's files come from (or why they do not)."""
    match register.fetch:
        case Download(url=url) | CkanPackage(url=url):
            return f"{register.id}: {url} ({register.licence})"
        case Crawled() as crawled:
            return f"{register.id}: read by a spider, not downloaded here: run `{crawled.command}`"
        case Configured(setting=setting, reason=reason):
            if os.environ.get(setting):
                return f"{register.id}: from the address in {setting} ({register.licence})"
            return f"{register.id}: not fetched ({setting} is not set): {reason}"
        case NotFetched(reason=reason):
            return f"{register.id}: not fetched: {reason}"


def fetch_registers(to_dir: Path, base_url: str | None = None) -> list[Path]:
    """Download every register that has an address into `to_dir`; returns the files written."""
    to_dir.mkdir(parents=True, exist_ok=True)
    base_url = base_url or os.environ.get(BASE_URL_ENV) or None
    today = datetime.now(UTC).date().isoformat()
    written = []
    for register in REGISTERS.values():
        match register.fetch:
            case CkanPackage(url=url):
                for resource_url in ckan_latest_files(rebase(url, base_url)):
                    written.append(download(resource_url, to_dir / _url_name(resource_url)))
            case Download(url=url, saved_as=saved_as):
                url = rebase(url, base_url)
                name = saved_as.format(date=today) if saved_as else _url_name(url)
                written.append(download(url, to_dir / name))
            case Configured(setting=setting) as configured if os.environ.get(setting):
                target = to_dir / configured.saved_as.format(date=today)
                written.append(download(os.environ[setting], target, _credentials(configured)))
    return written


def _credentials(configured: Configured) -> tuple[str, str] | None:
    """The access grant's user and password from the environment, when both are set."""
    user, password = (os.environ.get(name, "") for name in configured.credentials)
    return (user, password) if user and password else None


def rebase(url: str, base_url: str | None) -> str:
    """`url` with its scheme and host replaced by `base_url`'s (path and query kept)."""
    if not base_url:
        return url
    base = urlsplit(base_url.rstrip("/"))
    parts = urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, base.path + parts.path, parts.query, ""))


def ckan_latest_files(package_url: str) -> list[str]:
    """The newest xlsx export listed by a CKAN `package_show` answer, else its CSV resources."""
    try:
        package = json.loads(_get(package_url))
        resources = package["result"]["resources"]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise CredwatchError(f"{package_url}: not a CKAN package_show answer ({error})") from error
    workbooks = [r for r in resources if _format(r) == "xlsx"]
    if workbooks:
        return [max(workbooks, key=_resource_date)["url"]]
    tables = [r["url"] for r in resources if _format(r) == "csv"]
    if not tables:
        raise CredwatchError(f"{package_url}: no xlsx or CSV resource listed")
    return tables


def download(url: str, target: Path, credentials: tuple[str, str] | None = None) -> Path:
    """Stream `url` to `target` through `target.part`, renamed only once complete; with
    `credentials` (user, password) sent as HTTP basic authentication."""
    partial = target.with_name(target.name + ".part")
    try:
        with _open(url, credentials) as response, partial.open("wb") as out:
            shutil.copyfileobj(response, out, _CHUNK)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CredwatchError(f"{url}: download interrupted ({error})") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return target


def _get(url: str) -> bytes:
    with _open(url) as response:
        return response.read()


def _open(url: str, credentials: tuple[str, str] | None = None):
    headers = {"User-Agent": USER_AGENT}
    if credentials:
        token = base64.b64encode(":".join(credentials).encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    request = urllib.request.Request(url, headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)
    except urllib.error.HTTPError as error:
        raise CredwatchError(
            f"{url}: download failed (HTTP {error.code} {error.reason})"
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise CredwatchError(f"{url}: download failed ({reason})") from error


def _format(resource: dict) -> str:
    declared = str(resource.get("format") or "").strip().lower()
    return declared or Path(urlsplit(str(resource.get("url", ""))).path).suffix.lstrip(".").lower()


def _resource_date(resource: dict) -> str:
    """Newest by the API's own timestamps, falling back to the `as-at-YYYY-M-D` file name."""
    stamp = resource.get("last_modified") or resource.get("created") or ""
    named = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(resource.get("url", "")))
    from_name = "-".join(part.zfill(2) for part in named.groups()) if named else ""
    return max(str(stamp)[:10], from_name)


def _url_name(url: str) -> str:
    name = Path(urlsplit(url).path).name
    if not name:
        raise CredwatchError(f"{url}: cannot name the downloaded file (URL has no file name)")
    return name
