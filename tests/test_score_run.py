"""How the scoring run finds a provider's hosts on TEQSA's blocked list."""

from __future__ import annotations

from scoring.run import BlockedSites

LISTED = [{"domain": "au.essaymill.test"}, {"domain": "b.sharedhost.test"}, {"domain": "mill.test"}]


def hit_domains(sites: dict) -> list[str]:
    return [row["domain"] for row in BlockedSites(LISTED).hits(sites)]


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
    [hit] = BlockedSites(LISTED).hits(sites)
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


def test_a_run_report_keeps_counts_of_every_grade_but_only_the_lowest_scores():
    from scoring.run import LOWEST_KEPT, ScoreReport
    from scoring.score import ProviderScore, grade_for

    report = ScoreReport()
    for number in range(LOWEST_KEPT * 5):
        score = float((number * 37) % 100)
        report.add(ProviderScore(f"p{number}", score, grade_for(score)), 2, 1, 3)

    assert (report.providers, report.offerings, report.flags) == (100, 200, 100)
    assert sum(report.grades.values()) == 100 and report.grades["A"] == 15
    assert [s.score for s in report.lowest] == [float(n) for n in range(LOWEST_KEPT)]
