"""The maturity report's chart of subscores against the peers' medians (issue 13, point 7): peers as the
percentile defines them, each firm once, no median below MIN_PEERS."""

import json
import re

import pytest
from django.utils import timezone

from assessments import selectors
from assessments.models import AssessmentStatus
from enterprises.models import IndustryGroup
from tests.conftest import client_for
from tests.workflow_helpers import YEAR, make_round, records_for, verified_row

pytestmark = pytest.mark.django_db

STAGES = ["0.2500", "0.5000", "0.7500", "1.0000", "1.0000"]  # median 0.75


def peers(count: int, **firm_fields) -> list:
    return [
        verified_row(None, total="50", subscores={"stage": STAGES[i % 5], "tni": f"0.{i + 1}000"}, **firm_fields)
        for i in range(count)
    ]


def chart(response) -> dict:
    found = re.search(r'<script id="peer-chart" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(found.group(1))


@pytest.fixture
def page(firm_a, member_a):
    records_for(firm_a)

    def get():
        return client_for(member_a).get(f"/firms/{firm_a.pk}/maturity/", {"year": YEAR})

    return get


def test_below_min_peers_no_median_is_shown(page):
    peers(selectors.MIN_PEERS - 1)
    response = page()
    html = response.content.decode()
    assert 'id="too-few-peers"' in html and "(now 4)" in html
    spec = chart(response)
    assert [d["label"] for d in spec["datasets"]] == ["This firm"]
    assert len(spec["labels"]) == 7


def test_with_min_peers_the_medians_are_drawn_and_listed(page):
    peers(selectors.MIN_PEERS)
    response = page()
    html = response.content.decode()
    assert 'id="too-few-peers"' not in html and "The medians of 5 peers." in html
    spec = chart(response)
    firm, median = spec["datasets"]
    assert median["label"] == "Peers' median"
    labels = spec["labels"]
    assert median["data"][labels.index("Market stage")] == "75.0"
    assert median["data"][labels.index("Transnationality (TNI)")] == "30.0"  # 0.1 ... 0.5
    assert firm["data"][labels.index("Market stage")] == "75.0"  # firm A is at stage 3
    assert response.context["peer_rows"][0]["median"] == pytest.approx(0.75)
    assert '<script src="/static/js/zone-charts.js"></script>' in html


def test_peers_are_the_same_year_industry_and_size_band_other_firms_once_each(page, firm_a):
    crowd = peers(3)
    peers(3, industry_group=IndustryGroup.AEROSPACE)  # another industry group
    other_year = peers(3)
    type(other_year[0]).objects.filter(pk__in=[a.pk for a in other_year]).update(reference_year=YEAR - 1)
    band = peers(3)
    type(band[0]).objects.filter(pk__in=[a.pk for a in band]).update(size_band="ge1b")
    # a second, lower verified assessment of a peer firm does not count it twice
    second = verified_row(make_round(status="closed"), total="10", subscores={"stage": "0.0000"})
    type(second).objects.filter(pk=second.pk).update(enterprise=crowd[0].enterprise)
    # firm A's own verified figures are never its peer
    own = verified_row(None, total="99")
    type(own).objects.filter(pk=own.pk).update(enterprise=firm_a)

    medians, count = selectors.peer_medians(
        reference_year=YEAR,
        industry_group=IndustryGroup.ELECTRONIC_INFORMATION,
        size_band="20m-200m",
        enterprise_id=firm_a.pk,
    )
    assert count == 3 and medians is None
    assert 'id="too-few-peers"' in page().content.decode()


def test_each_peer_counts_with_its_best_total_of_the_year(firm_a):
    crowd = peers(5)
    better = verified_row(make_round(status="closed"), total="90", subscores={"stage": "0.0000"})
    type(better).objects.filter(pk=better.pk).update(enterprise=crowd[0].enterprise, decided_at=timezone.now())
    medians, count = selectors.peer_medians(
        reference_year=YEAR,
        industry_group=IndustryGroup.ELECTRONIC_INFORMATION,
        size_band="20m-200m",
        enterprise_id=firm_a.pk,
    )
    # crowd[0]'s 0.25 is replaced by 0.0 from its better assessment: 0, 0.5, 0.75, 1, 1
    assert count == 5 and str(medians["stage"]) == "0.7500"
    assert type(better).objects.filter(status=AssessmentStatus.VERIFIED).count() == 6
