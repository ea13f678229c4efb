"""A small hand-made zone: five firms, three currencies, a gap year, a zero base, two regions.

Exchange rates (CNY per unit): USD 2011 6.4, 2013 6.4, 2014 6.0; EUR 2013 8.0, 2014 7.5.

- A: LLC (domestic), electronic information, 2014 revenue 1.5 B CNY (≥ 1 B).
  Imports 2011 640 M CNY, 2013 0 CNY, 2014 120 M CNY. Exports 2011 US 320 M CNY; 2013 DE 10 M EUR;
  2014 JP 60 M CNY and US 5 M USD.
- B: wholly foreign-owned, biopharmaceutical, 2014 revenue 30 M USD = 180 M CNY.
  Imports 2013 0 USD, 2014 10 M USD. Exports 2013 US 7.5 M USD; 2014 HK 4 M USD.
- C: private (domestic), aerospace, 2014 revenue 2 M EUR = 15 M CNY. Imports 2014 1 M EUR; exports 2014 DE 0.8 M EUR.
- E: joint-stock (domestic), new energy, no 2014 annual report; exports 2014 BR 6 M CNY.

Zone in USD: 2011 imports 100 M, exports 50 M; 2012 nothing (gap); 2013 imports 0, exports 20 M;
2014 imports 31.25 M, exports 21 M. Beijing (USD): 2011 1 B / 0.5 B; no 2013 row; 2014 250 M / 0.
Shanghai (CNY): 2014 600 M / 240 M (= 100 M / 40 M USD).
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus, ScoringScheme
from assessments.scoring import DEFAULT_SCHEME
from enterprises.models import ExportChannel, IndustryGroup, RegistrationType
from reference.models import ExchangeRate, RegionalStatistic
from rewards.models import RewardRound
from tests.factories import AnnualReportFactory, EnterpriseFactory, ExportRecordFactory, PctApplicationFactory

M = Decimal("1000000")

RATES = {("USD", 2011): "6.4", ("USD", 2013): "6.4", ("USD", 2014): "6.0", ("EUR", 2013): "8.0", ("EUR", 2014): "7.5"}


def add_rates(rates=RATES) -> None:
    ExchangeRate.objects.all().delete()  # only this module's rates (a data migration may load others)
    for (currency, year), rate in rates.items():
        ExchangeRate.objects.create(currency=currency, year=year, cny_per_unit=Decimal(rate))


def report(firm, year, *, imports, currency="CNY", revenue=Decimal("50000000")):
    return AnnualReportFactory(
        enterprise=firm,
        year=year,
        currency=currency,
        imports_total=imports,
        revenue_total=revenue,
        revenue_foreign=Decimal("0"),
        assets_total=Decimal("1"),
        assets_foreign=Decimal("0"),
    )


def export(firm, year, destination, value, currency="CNY", channel=ExportChannel.DIRECT):
    return ExportRecordFactory(
        enterprise=firm, year=year, destination=destination, value=value, currency=currency, channel=channel
    )


def scheme() -> ScoringScheme:
    existing = ScoringScheme.objects.filter(is_default=True).first()
    return existing or ScoringScheme.objects.create(name="zone tests", is_default=True, **DEFAULT_SCHEME.to_dict())


def assessment(firm, year, status, *, self_stage=None, verified_stage=None, round=None, submitted_at=None):
    return Assessment.objects.create(
        enterprise=firm,
        reference_year=year,
        status=status,
        scheme=scheme(),
        round=round,
        self_stage=self_stage,
        verified_stage=verified_stage,
        submitted_at=submitted_at,
    )


def reward_round(year: int) -> RewardRound:
    now = timezone.now()
    return RewardRound.objects.create(
        name=f"Round {year}",
        reference_year=year,
        submission_opens=now - datetime.timedelta(days=10),
        submission_closes=now + datetime.timedelta(days=10),
        review_deadline=(now + datetime.timedelta(days=30)).date(),
        budget=Decimal("1000000.00"),
        scheme=scheme(),
    )


@pytest.fixture
def zone(db):
    add_rates()
    RegionalStatistic.objects.all().delete()  # the data migration's Beijing rows: replaced by this set
    RegionalStatistic.objects.create(region="Beijing", year=2011, imports=1000 * M, exports=500 * M, currency="USD")
    RegionalStatistic.objects.create(region="Beijing", year=2014, imports=250 * M, exports=Decimal("0"), currency="USD")
    RegionalStatistic.objects.create(region="Shanghai", year=2014, imports=600 * M, exports=240 * M, currency="CNY")

    a = EnterpriseFactory(
        registration_type=RegistrationType.LIMITED_LIABILITY, industry_group=IndustryGroup.ELECTRONIC_INFORMATION
    )
    b = EnterpriseFactory(
        registration_type=RegistrationType.WHOLLY_FOREIGN, industry_group=IndustryGroup.BIOPHARMACEUTICAL
    )
    c = EnterpriseFactory(registration_type=RegistrationType.PRIVATE, industry_group=IndustryGroup.AEROSPACE)
    e = EnterpriseFactory(registration_type=RegistrationType.JOINT_STOCK, industry_group=IndustryGroup.NEW_ENERGY)

    report(a, 2011, imports=640 * M)
    report(a, 2013, imports=Decimal("0"))
    report(a, 2014, imports=120 * M, revenue=1500 * M)
    report(b, 2013, imports=Decimal("0"), currency="USD")
    report(b, 2014, imports=10 * M, currency="USD", revenue=30 * M)
    report(c, 2014, imports=1 * M, currency="EUR", revenue=2 * M)

    export(a, 2011, "US", 320 * M)
    export(a, 2013, "DE", 10 * M, "EUR")
    export(b, 2013, "US", Decimal("7500000"), "USD")
    export(a, 2014, "JP", 60 * M)
    export(a, 2014, "US", 5 * M, "USD", ExportChannel.AGENT)
    export(b, 2014, "HK", 4 * M, "USD")
    export(c, 2014, "DE", Decimal("800000"), "EUR")
    export(e, 2014, "BR", 6 * M)

    # Stages 2014: A verified 3 (its later self-assessment says 4: the verified one wins); B submitted 2;
    # C only a draft for 2014 (its verified 2013 assessment is another year): no assessment; E returned 1.
    now = timezone.now()
    assessment(
        a,
        2014,
        AssessmentStatus.VERIFIED,
        self_stage=4,
        verified_stage=3,
        round=reward_round(2014),
        submitted_at=now - datetime.timedelta(days=5),
    )
    assessment(a, 2014, AssessmentStatus.SUBMITTED, self_stage=4, submitted_at=now)
    assessment(b, 2014, AssessmentStatus.SUBMITTED, self_stage=2, submitted_at=now)
    assessment(c, 2014, AssessmentStatus.DRAFT, self_stage=1)
    assessment(c, 2013, AssessmentStatus.VERIFIED, self_stage=1, verified_stage=1, submitted_at=now)
    assessment(e, 2014, AssessmentStatus.RETURNED, self_stage=1, submitted_at=now)

    for filed in (datetime.date(2012, 3, 1), datetime.date(2012, 9, 1), datetime.date(2014, 5, 1)):
        PctApplicationFactory(enterprise=a, filed=filed)
    PctApplicationFactory(enterprise=b, filed=datetime.date(2014, 6, 1))
    return SimpleNamespace(a=a, b=b, c=c, e=e)
