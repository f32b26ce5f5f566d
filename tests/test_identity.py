"""A provider is its site: host (or host and seller path), not its registrable domain."""

from __future__ import annotations

import pytest

from credwatch.core.identity import provider_id, registrable_domain


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://acme.teachable.com/", "acme.teachable.com"),
        ("https://cheap-certs.teachable.com/courses", "cheap-certs.teachable.com"),
        ("https://www.survivefirstaid.com.au/", "survivefirstaid.com.au"),
        ("https://online.rmit.edu.au/", "online.rmit.edu.au"),
        ("https://www.rmit.edu.au/study", "rmit.edu.au"),
        (
            "https://sites.google.com/view/Acme-Training/courses",
            "sites.google.com/view/acme-training",
        ),
        ("https://stan.store/coachkim", "stan.store/coachkim"),
        ("http://127.0.0.1:8001/", "127.0.0.1:8001"),
        ("http://127.0.0.1:8001/acme/courses/", "127.0.0.1:8001/acme"),
        ("http://127.0.0.1:8001/index.html", "127.0.0.1:8001"),
    ],
)
def test_provider_id_is_the_site(url: str, expected: str):
    assert provider_id(url) == expected


def test_two_sellers_of_one_platform_share_a_domain_but_not_an_id():
    sellers = ["https://acme.teachable.com/", "https://cheap-certs.teachable.com/"]
    assert len({registrable_domain(url) for url in sellers}) == 1
    assert len({provider_id(url) for url in sellers}) == 2
