"""Every URL of the site is in a URL x role matrix (DESIGN §6): a new page fails here until a matrix says what
each role gets from it."""

from importlib import import_module

from django.urls import Resolver404

from tests.matrix import Placeholder, route_of, site_patterns

MATRICES = (
    "tests.enterprises.test_permissions_matrix",  # the home page, accounts, firms, records, evidence, invitations
    "tests.notifications.test_views",
    "tests.assessments.test_views",
    "tests.assessments.test_evidence_preview",  # the download's and the preview's access, state by state
    "tests.rewards.test_views",
    "tests.zone.test_access",
    "tests.anomalies.test_views",
    "tests.providers.test_providers",
    "tests.bulkimport.test_views",
    "tests.api.test_token_pages",
    "tests.reports.test_reports",
    "tests.api.test_matrix",  # the API's operations, each method too
)


def test_every_url_is_in_a_matrix():
    covered, unknown = set(), []
    for module in MATRICES:
        for url in import_module(module).matrix_urls(Placeholder()):
            try:
                covered.add(route_of(url))
            except Resolver404:
                unknown.append(f"{module}: {url}")
    assert not unknown, "URLs in a matrix that no pattern matches:\n" + "\n".join(unknown)
    missing = sorted(f"{p.name or '(no name)'} /{p.route}" for p in site_patterns() if p.route not in covered)
    assert not missing, "URLs in no URL x role matrix:\n" + "\n".join(missing)
