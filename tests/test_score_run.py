"""How the scoring run finds a provider's hosts on TEQSA's blocked list."""

from __future__ import annotations

from scoring.run import _blocked_hits

LISTED = [{"domain": "au.essaymill.test"}, {"domain": "b.sharedhost.test"}, {"domain": "mill.test"}]


def hit_domains(sites: dict) -> list[str]:
    return [row["domain"] for row in _blocked_hits(sites, LISTED)]


def test_own_site_matches_itself_its_parent_of_a_listed_subdomain_and_a_listed_parent():
    assert hit_domains({"www.mill.test": ("http://www.mill.test/", "")}) == ["mill.test"]
    assert hit_domains({"essaymill.test": ("http://essaymill.test/", "")}) == ["au.essaymill.test"]
    assert hit_domains({"shop.mill.test": ("http://shop.mill.test/", "")}) == ["mill.test"]


def test_sibling_subdomains_on_shared_hosting_never_match():
    assert hit_domains({"a.sharedhost.test": ("http://a.sharedhost.test/", "")}) == []


def test_a_link_matches_a_listed_host_and_carries_its_page():
    sites = {
        "x.test": ("http://x.test/", ""),
        "sharedhost.test": ("http://x.test/about", "https://sharedhost.test/"),
        "mill.test": ("http://x.test/help", "https://mill.test/order"),
    }
    [hit] = _blocked_hits(sites, LISTED)
    assert (hit["domain"], hit["page_url"], hit["link"]) == (
        "mill.test",
        "http://x.test/help",
        "https://mill.test/order",
    )


def test_codes_shown_without_leading_zeros_find_their_register_entry(tmp_path):
    from credwatch.pipeline import open_work_db
    from scoring.run import _register_lookup

    path = tmp_path / "work.db"
    db = open_work_db(path)
    db["registry_entries"].insert_all(
        [
            {"register": "rto", "entry_id": "0029", "legal_name": "Australian Taxation Office"},
            {"register": "cricos", "entry_id": "00122A", "legal_name": "RMIT University"},
        ]
    )
    lookup = _register_lookup(db, path)
    assert lookup("rto", "29")["legal_name"] == "Australian Taxation Office"
    assert lookup("cricos", "00122A")["legal_name"] == "RMIT University"
    assert lookup("cricos", "0029") is None and lookup("rto", "00122A") is None
