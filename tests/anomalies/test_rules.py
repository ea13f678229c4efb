"""Each rule of DESIGN section 8: a firm that triggers it and one that does not; the reasons carry the figures."""

import datetime
from decimal import Decimal

import pytest

from anomalies import selectors
from anomalies.models import Rule
from enterprises.models import EvidenceFile
from reference.models import ExchangeRate
from tests.anomalies.helpers import detected, exports, keys, report, reversed_establishment, verified_assessment
from tests.conftest import client_for
from tests.factories import EnterpriseFactory, EvidenceFileFactory, ExportRecordFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def rows_for(officer, rule):
    return [row for row in detected(officer) if row.rule == rule]


def test_a_clean_zone_has_no_anomaly(officer, firm_a):
    report(firm_a, 2013)
    report(firm_a, 2014)
    exports(firm_a, 2013, "1000000")
    exports(firm_a, 2014, "9000000")
    verified_assessment(firm_a, self_stage=3, verified_stage=2)
    assert detected(officer) == []


def test_foreign_revenue_above_total_is_one_anomaly_with_fsts(officer, firm_a, firm_b):
    bad = report(firm_a, revenue_total=Decimal("9000000"), revenue_foreign=Decimal("12000000"))
    report(firm_b, revenue_total=Decimal("9000000"), revenue_foreign=Decimal("9000000"))
    rows = rows_for(officer, Rule.FOREIGN_REVENUE)
    assert [(r.enterprise_id, r.year, r.record_id) for r in rows] == [(firm_a.pk, 2014, bad.pk)]
    assert rows[0].reason == ("foreign revenue 12,000,000.00 CNY above total revenue 9,000,000.00 CNY (FSTS 1.33)")
    assert {r.rule for r in detected(officer)} == {Rule.FOREIGN_REVENUE}  # FSTS is not listed a second time


def test_foreign_revenue_with_zero_total(officer, firm_a):
    report(firm_a, revenue_total=Decimal("0"), revenue_foreign=Decimal("5"))
    assert "(FSTS ∞)" in rows_for(officer, Rule.FOREIGN_REVENUE)[0].reason


def test_fata_and_fete(officer, firm_a, firm_b):
    report(
        firm_a,
        assets_total=Decimal("1000000"),
        assets_foreign=Decimal("1500000"),
        employees_total=10,
        employees_foreign=40,
    )
    report(firm_b, assets_total=Decimal("1000000"), assets_foreign=Decimal("1000000"), employees_foreign=200)
    (fata,) = rows_for(officer, Rule.FATA)
    (fete,) = rows_for(officer, Rule.FETE)
    assert fata.enterprise_id == fete.enterprise_id == firm_a.pk
    assert fata.reason == "foreign assets 1,500,000.00 CNY above total assets 1,000,000.00 CNY (FATA 1.50)"
    assert fete.reason == "40 employees abroad above 10 employees in total (FETE 4.00)"


def test_exports_above_revenue_converted_with_the_years_rates(officer, firm_a, firm_b):
    ExchangeRate.objects.create(currency="USD", year=2014, cny_per_unit=Decimal("6.1"))
    ExchangeRate.objects.create(currency="EUR", year=2014, cny_per_unit=Decimal("8.0"))
    bad = report(firm_a, revenue_total=Decimal("9000000"), revenue_foreign=Decimal("5000000"))
    exports(firm_a, 2014, "1000000", "USD", "US")  # 6,100,000 CNY
    exports(firm_a, 2014, "3900000", "CNY", "DE")  # 10,000,000 CNY in all
    report(firm_b, revenue_total=Decimal("1000000"), revenue_foreign=Decimal("10"), currency="EUR")  # 8 M CNY
    exports(firm_b, 2014, "7000000", "CNY", "DE")
    (row,) = rows_for(officer, Rule.EXPORTS_ABOVE_REVENUE)
    assert (row.enterprise_id, row.year, row.record_id) == (firm_a.pk, 2014, bad.pk)
    assert row.reason == "exports 10,000,000.00 CNY above total revenue 9,000,000.00 CNY"


def test_exports_with_a_missing_rate_are_not_compared(officer, firm_a):
    report(firm_a, revenue_total=Decimal("100"), revenue_foreign=Decimal("0"))
    exports(firm_a, 2014, "1000000", "JPY", "JP")  # no JPY rate for 2014
    assert rows_for(officer, Rule.EXPORTS_ABOVE_REVENUE) == []


def test_export_growth_above_tenfold(officer, firm_a, firm_b):
    firm_c = EnterpriseFactory()
    for firm, before, after in ((firm_a, "100000", "1000001"), (firm_b, "100000", "1000000"), (firm_c, "0", "5")):
        exports(firm, 2013, before)
        exports(firm, 2014, after)
    (row,) = rows_for(officer, Rule.EXPORT_GROWTH)
    assert (row.enterprise_id, row.year, row.record_id) == (firm_a.pk, 2014, 0)
    assert row.reason == "exports 1,000,001.00 CNY in 2014, 10.00 times the 100,000.00 CNY of 2013"


def test_evidence_file_used_by_two_firms(officer, firm_a, firm_b):
    firm_c = EnterpriseFactory()
    shared_a = EvidenceFileFactory(record=ExportRecordFactory(enterprise=firm_a), sha256="a" * 64)
    EvidenceFileFactory(record=ExportRecordFactory(enterprise=firm_a), sha256="a" * 64)  # same firm: once
    shared_b = EvidenceFileFactory(record=ExportRecordFactory(enterprise=firm_b), sha256="a" * 64)
    EvidenceFileFactory(record=ExportRecordFactory(enterprise=firm_c), sha256="c" * 64)
    EvidenceFileFactory(record=ExportRecordFactory(enterprise=firm_c), sha256="c" * 64)  # one firm twice: fine
    rows = rows_for(officer, Rule.SHARED_EVIDENCE)
    assert {(r.enterprise_id, r.record_id) for r in rows} == {(firm_a.pk, shared_a.pk), (firm_b.pk, shared_b.pk)}
    assert rows[0].reason == "file “evidence.pdf” (SHA-256 aaaaaaaaaaaa…) is also attached by 1 other firm"


def test_establishment_closed_before_it_opened(officer, firm_a, firm_b):
    bad = reversed_establishment(firm_a)
    from tests.factories import EstablishmentFactory

    EstablishmentFactory(enterprise=firm_b, opened=datetime.date(2013, 3, 1), closed=datetime.date(2013, 3, 1))
    (row,) = rows_for(officer, Rule.ESTABLISHMENT_DATES)
    assert (row.enterprise_id, row.year, row.record_id) == (firm_a.pk, 2013, bad.pk)
    assert row.reason == "Sales, Munich, Germany closed on 2012-01-31, before it opened on 2013-03-01"


def test_self_stage_two_above_the_verified_stage(officer, firm_a, firm_b):
    bad = verified_assessment(firm_a, self_stage=4, verified_stage=2)
    verified_assessment(firm_b, self_stage=3, verified_stage=2)
    (row,) = rows_for(officer, Rule.STAGE_GAP)
    assert (row.enterprise_id, row.year, row.record_id) == (firm_a.pk, 2014, bad.pk)
    assert row.reason == "self-reported stage 4, verified stage 2"
    assert row.link == f"/review/{bad.pk}/"


def test_filters_rule_year_and_search(officer, firm_a, firm_b):
    report(firm_a, 2014, revenue_total=Decimal("1"), revenue_foreign=Decimal("2"))
    report(firm_b, 2013, revenue_total=Decimal("1"), revenue_foreign=Decimal("2"))
    verified_assessment(firm_b, self_stage=4, verified_stage=1)
    assert {k[1] for k in keys(officer, year=2014)} == {firm_a.pk, firm_b.pk}
    assert {k[0] for k in keys(officer, year=2013)} == {Rule.FOREIGN_REVENUE}
    assert {k[1] for k in keys(officer, search="alpha")} == {firm_a.pk}
    assert {k[1] for k in keys(officer, search=firm_b.uscc.lower())} == {firm_b.pk}
    assert keys(officer, search="100%_") == set()
    assert {k[0] for k in keys(officer, rule=Rule.STAGE_GAP)} == {Rule.STAGE_GAP}
    rows, total = selectors.firm_anomalies(user=officer, enterprise=firm_a)
    assert total == 1 and [r.enterprise_id for r in rows] == [firm_a.pk]


def test_an_officer_does_not_see_the_firms_it_belongs_to(officer, firm_a, firm_b):
    report(firm_a, revenue_total=Decimal("1"), revenue_foreign=Decimal("2"))
    report(firm_b, revenue_total=Decimal("1"), revenue_foreign=Decimal("2"))
    MembershipFactory(enterprise=firm_a, user=officer)
    assert {k[1] for k in keys(officer)} == {firm_b.pk}


def test_links_follow_what_officers_may_open(officer, firm_a, firm_b, member_a, member_b):
    from tests.workflow_helpers import records_for, submitted

    for firm in (firm_a, firm_b):
        EvidenceFileFactory(record=ExportRecordFactory(enterprise=firm, year=2010), sha256="d" * 64)
    records_for(firm_a, 2013)
    report(firm_a, 2014, revenue_total=Decimal("1"), revenue_foreign=Decimal("2"))
    report(firm_b, 2014, revenue_total=Decimal("1"), revenue_foreign=Decimal("2"))
    under_review = submitted(firm_a, member_a, year=2013)
    links = {(r.rule, r.enterprise_id): (r.link, r.link_label) for r in detected(officer)}
    shared_a = EvidenceFile.objects.get(enterprise=firm_a, sha256="d" * 64)
    # firm A is under review: its evidence file opens, and its other anomalies lead to its latest assessment
    assert links[(Rule.SHARED_EVIDENCE, firm_a.pk)] == (f"/evidence/{shared_a.pk}/", "Evidence file")
    assert links[(Rule.FOREIGN_REVENUE, firm_a.pk)] == (f"/review/{under_review.pk}/", "Assessment 2013")
    # firm B never submitted: officers may open none of its records
    assert links[(Rule.SHARED_EVIDENCE, firm_b.pk)] == ("", "")
    assert links[(Rule.FOREIGN_REVENUE, firm_b.pk)] == ("", "")
    assert client_for(officer).get(f"/evidence/{shared_a.pk}/").status_code == 200
