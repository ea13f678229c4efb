"""seed_demo: refusal rules, demo accounts, showcase firms, calibration to the paper, determinism, plausibility."""

import hashlib
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Exists, OuterRef, Sum

from accounts import roles
from accounts.models import User
from demo import calibration as cal
from enterprises.evidence import sniff_type
from enterprises.models import (
    FOREIGN_INVESTED,
    SME_EMPLOYEE_LIMIT,
    SME_REVENUE_LIMIT_CNY,
    AnnualReport,
    Certification,
    Enterprise,
    Establishment,
    EvidenceFile,
    Expense,
    ExportRecord,
    MemberRole,
    Membership,
    PctApplication,
    Publication,
    RegistrationType,
)
from enterprises.validators import validate_uscc
from reference.models import ExchangeRate, RegionalStatistic

pytestmark = pytest.mark.django_db

RECORD_MODELS = (AnnualReport, ExportRecord, Establishment, PctApplication, Certification, Publication, Expense)
CONFIGS = [(100, 1), (300, 7)]
TWO_DP = Decimal("0.01")


@pytest.fixture
def debug(settings):
    settings.DEBUG = True  # pytest-django forces DEBUG off; seed_demo refuses to run without it
    return settings


def seed(firms: int, seed: int, *, reset: bool = True) -> str:
    out = StringIO()
    call_command("seed_demo", firms=firms, seed=seed, reset=reset, stdout=out)
    return out.getvalue()


@pytest.fixture(params=CONFIGS, ids=[f"{n}firms-seed{s}" for n, s in CONFIGS])
def seeded(request, debug):
    seed(*request.param)
    return request.param


# --- aggregates, computed with SQL and converted with the seeded rates -----------------------------------


def rates() -> dict[tuple[str, int], Decimal]:
    return {(r.currency, r.year): r.cny_per_unit for r in ExchangeRate.objects.all()}


def billion_usd(amount_cny: Decimal, year: int) -> Decimal:
    return amount_cny / rates()[("USD", year)] / cal.BILLION


def billion_usd_2dp(amount_cny: Decimal, year: int) -> Decimal:
    return billion_usd(amount_cny, year).quantize(TWO_DP, rounding=ROUND_HALF_UP)


def exports_cny(rows, *keys: str) -> dict[tuple, Decimal]:
    """Σ value per (year, *keys) in CNY: rows grouped by year, currency and keys in SQL, converted here."""
    table = rates()
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    for row in rows.values("year", "currency", *keys).annotate(total=Sum("value")):
        rate = Decimal(1) if row["currency"] == "CNY" else table[(row["currency"], row["year"])]
        totals[(row["year"], *(row[k] for k in keys))] += row["total"] * rate
    return totals


def imports_cny(*keys: str) -> dict[tuple, Decimal]:
    rows = AnnualReport.objects.values("year", *keys).annotate(total=Sum("imports_total"))
    return {(row["year"], *(row[k] for k in keys)): row["total"] for row in rows}


def with_big_flag(queryset):
    """Annotate `big`: the firm's revenue that year is at least 1 billion CNY."""
    big = AnnualReport.objects.filter(
        enterprise=OuterRef("enterprise"), year=OuterRef("year"), revenue_total__gte=cal.BIG_REVENUE_CNY
    )
    return queryset.annotate(big=Exists(big))


def domestic(registration_type: str) -> bool:
    return registration_type not in FOREIGN_INVESTED


# --- refusals ---------------------------------------------------------------------------------------------


def test_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed(100, 1)
    assert not Enterprise.objects.exists()
    assert not User.objects.exists()


def test_refuses_fewer_than_ten_firms(debug):
    with pytest.raises(CommandError, match="at least 10"):
        seed(9, 1)


def test_refuses_to_seed_over_existing_data_without_reset(debug):
    seed(100, 1)
    with pytest.raises(CommandError, match="--reset"):
        seed(100, 1, reset=False)
    assert Enterprise.objects.count() == 100


def test_reset_replaces_the_data_and_removes_old_evidence_files(debug, django_capture_on_commit_callbacks):
    seed(100, 1)
    storage = EvidenceFile._meta.get_field("file").storage
    old_files = list(EvidenceFile.objects.values_list("file", flat=True))
    assert old_files and all(storage.exists(name) for name in old_files)
    superuser = User.objects.create_superuser("root", "root@example.org", "a-long-password-1")
    with django_capture_on_commit_callbacks(execute=True):
        seed(120, 2)
    assert Enterprise.objects.count() == 120
    assert not any(storage.exists(name) for name in old_files)
    assert User.objects.filter(pk=superuser.pk).exists()
    assert User.objects.filter(username__in=["admin", "officer", "firm1", "firm2"]).count() == 4
    assert ExchangeRate.objects.filter(source=cal.RATE_SOURCE).count() == 24


def test_existing_exchange_rates_are_kept_and_used(debug):
    ExchangeRate.objects.create(currency="EUR", year=2014, cny_per_unit=Decimal("8.17"), source="PBoC")
    seed(100, 3)
    assert ExchangeRate.objects.get(currency="EUR", year=2014).cny_per_unit == Decimal("8.17")
    totals = exports_cny(ExportRecord.objects.all())
    assert billion_usd_2dp(totals[(2014,)], 2014) == cal.TABLE1[2014][1]


# --- accounts and the showcase firms ----------------------------------------------------------------------


def test_demo_accounts_have_password_demo_and_their_roles(debug):
    output = seed(100, 1)
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "officer", "firm1", "firm2"])}
    assert set(users) == {"admin", "officer", "firm1", "firm2"}
    assert all(u.check_password("demo") for u in users.values())
    admin, officer = users["admin"], users["officer"]
    assert admin.is_staff and not admin.is_superuser and admin.is_administrator
    assert set(admin.groups.values_list("name", flat=True)) == {roles.ADMINISTRATOR}
    assert officer.is_officer and not officer.is_administrator and not officer.is_staff
    assert set(officer.groups.values_list("name", flat=True)) == {roles.OFFICER}
    for name in ("firm1", "firm2"):
        assert not users[name].is_staff and not users[name].groups.exists()
    assert "password: demo" in output
    for name in ("admin", "officer", "firm1", "firm2"):
        assert f"  {name} " in output


def test_firm1_and_firm2_own_different_firms_with_every_record_type_and_evidence(debug):
    seed(100, 1)
    storage = EvidenceFile._meta.get_field("file").storage
    firms = {}
    for name in ("firm1", "firm2"):
        membership = Membership.objects.get(user__username=name)
        assert membership.role == MemberRole.OWNER
        firms[name] = membership.enterprise
        for model in RECORD_MODELS:
            records = model.objects.filter(enterprise=membership.enterprise)
            assert records.exists(), f"{name} has no {model.__name__}"
            content_type = ContentType.objects.get_for_model(model)
            for record in records:
                evidence = EvidenceFile.objects.get(content_type=content_type, object_id=record.pk)
                assert evidence.enterprise_id == membership.enterprise_id
                assert evidence.uploaded_by == membership.user
                with storage.open(evidence.file.name) as handle:
                    data = handle.read()
                    assert sniff_type(handle) == "application/pdf" == evidence.mime_type
                assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
                assert evidence.size == len(data) and evidence.sha256 == hashlib.sha256(data).hexdigest()
        assert {r.year for r in AnnualReport.objects.filter(enterprise=membership.enterprise)} == set(cal.YEARS)
    assert firms["firm1"] != firms["firm2"]
    # evidence files exist for the two showcase firms only (disk space)
    assert set(EvidenceFile.objects.values_list("enterprise_id", flat=True)) == {f.pk for f in firms.values()}


def test_firm1_is_at_stage_3_and_firm2_at_stage_2_in_2014(debug):
    seed(100, 1)
    firm1 = Enterprise.objects.get(memberships__user__username="firm1")
    firm2 = Enterprise.objects.get(memberships__user__username="firm2")
    year_end = date(2014, 12, 31)

    def active(firm):
        return [
            s
            for s in Establishment.objects.filter(enterprise=firm)
            if s.opened <= year_end and (s.closed is None or s.closed > year_end)
        ]

    assert [(s.country.code, s.kind) for s in active(firm1)] == [("DE", "sales")]
    exports1 = {(r.destination.code, r.channel) for r in ExportRecord.objects.filter(enterprise=firm1, year=2014)}
    assert {("DE", "subsidiary"), ("US", "agent")} <= exports1
    assert active(firm2) == []
    exports2 = ExportRecord.objects.filter(enterprise=firm2, year=2014)
    assert {r.channel for r in exports2} == {"agent", "direct"}
    neighbouring = {
        "HK",
        "MO",
        "TW",
        "JP",
        "KR",
        "KP",
        "MN",
        "RU",
        "KZ",
        "KG",
        "TJ",
        "AF",
        "PK",
        "IN",
        "NP",
        "BT",
        "MM",
        "LA",
        "VN",
    }
    assert {r.destination.code for r in exports2} <= neighbouring


def test_the_extension_point_gets_the_firms_and_accounts(debug, monkeypatch):
    calls = []
    monkeypatch.setattr(
        "demo.management.commands.seed_demo.seed_assessments_and_round", lambda **kwargs: calls.append(kwargs)
    )
    seed(100, 1)
    (kwargs,) = calls
    assert set(kwargs) == {"rng", "enterprises", "accounts", "stdout"}
    assert len(kwargs["enterprises"]) == 100 and all(e.pk for e in kwargs["enterprises"])
    assert set(kwargs["accounts"]) == {"admin", "officer", "firm1", "firm2"}
    assert kwargs["enterprises"][0].memberships.get().user == kwargs["accounts"]["firm1"]
    assert kwargs["enterprises"][1].memberships.get().user == kwargs["accounts"]["firm2"]


def test_beijing_statistics_come_with_the_migrations(db):
    rows = {r.year: r for r in RegionalStatistic.objects.filter(region=cal.REGION)}
    assert set(rows) == set(cal.BEIJING)
    assert rows[2010].imports == Decimal("245940000000.00") and rows[2010].currency == "USD"
    for year, (imports, exports) in cal.BEIJING.items():
        assert (rows[year].imports, rows[year].exports) == (imports * cal.BILLION, exports * cal.BILLION)


# --- calibration (two sizes, two seeds) -------------------------------------------------------------------


def test_zone_imports_and_exports_equal_table1(seeded):
    imports, exports = imports_cny(), exports_cny(ExportRecord.objects.all())
    for year, (target_imports, target_exports) in cal.TABLE1.items():
        assert billion_usd_2dp(imports[(year,)], year) == target_imports, year
        assert billion_usd_2dp(exports[(year,)], year) == target_exports, year
        # not just rounded: exact to well under a dollar
        assert abs(billion_usd(exports[(year,)], year) - target_exports) * cal.BILLION < 1


def test_domestic_firms_hold_51_8_percent_of_trade_and_llcs_half_of_it(seeded):
    key = "enterprise__registration_type"
    imports, exports = imports_cny(key), exports_cny(ExportRecord.objects.all(), key)
    for year in cal.YEARS:

        def total(table, which, year=year):
            return sum(v for (y, reg), v in table.items() if y == year and which(reg))

        everything = total(imports, bool) + total(exports, bool)
        domestic_trade = total(imports, domestic) + total(exports, domestic)
        assert (100 * domestic_trade / everything).quantize(Decimal("0.1")) == Decimal("51.8"), year
        # domestic firms' share of imports a little below foreign-invested firms', of exports above
        assert Decimal("0.45") < total(imports, domestic) / total(imports, bool) < Decimal("0.5")
        assert Decimal("0.5") < total(exports, domestic) / total(exports, bool) < Decimal("0.6")
        llc = total(imports, lambda r: r == RegistrationType.LIMITED_LIABILITY) + total(
            exports, lambda r: r == RegistrationType.LIMITED_LIABILITY
        )
        assert Decimal("0.45") <= llc / domestic_trade <= Decimal("0.55"), year
    domestic_2014 = sum(v for (y, reg), v in (*imports.items(), *exports.items()) if y == 2014 and domestic(reg))
    assert billion_usd(domestic_2014, 2014).quantize(Decimal("0.001")) == cal.DOMESTIC_TRADE_2014


def test_firms_above_1_billion_revenue_hold_over_80_percent_and_95_percent_are_smes(seeded):
    imports = {
        (r["year"], r["big"]): r["total"]
        for r in with_big_flag(AnnualReport.objects.all()).values("year", "big").annotate(total=Sum("imports_total"))
    }
    exports = exports_cny(with_big_flag(ExportRecord.objects.all()), "big")
    for year in cal.YEARS:
        for table in (imports, exports):
            assert table[(year, True)] / (table[(year, True)] + table.get((year, False), 0)) > Decimal("0.8")
        reports = AnnualReport.objects.filter(year=year)
        large = reports.filter(employees_total__gte=SME_EMPLOYEE_LIMIT, revenue_total__gte=SME_REVENUE_LIMIT_CNY)
        assert large.count() / reports.count() <= 0.05, year
        assert large.exists() or seeded[0] < 100


def test_pct_filings_per_year_and_333_in_2012(seeded):
    for year, count in cal.PCT_FILINGS.items():
        assert PctApplication.objects.filter(filed__year=year).count() == count
    assert PctApplication.objects.filter(filed__year=2012).count() == 333
    for pct in PctApplication.objects.all():
        assert pct.number.startswith(f"PCT/CN{pct.filed.year}/")
        assert not pct.publication_number or pct.publication_number.startswith(f"WO {pct.filed.year + 1}/")


def test_exports_to_america_and_southeast_asia_rose_by_0_11_billion_usd(seeded):
    totals = exports_cny(ExportRecord.objects.filter(destination__in=sorted(cal.AMERICA_SEA)))
    growth = billion_usd(totals[(2014,)], 2014) - billion_usd(totals[(2013,)], 2013)
    assert growth.quantize(TWO_DP, rounding=ROUND_HALF_UP) == cal.AMERICA_SEA_GROWTH_2014
    assert abs(growth - cal.AMERICA_SEA_GROWTH_2014) * cal.BILLION < 1  # to the dollar


def test_main_destinations_follow_the_paper(debug):
    seed(300, 7)
    totals = exports_cny(ExportRecord.objects.filter(year=2014), "destination")
    ranked = [country for (_y, country), _v in sorted(totals.items(), key=lambda kv: -kv[1])]
    assert set(ranked[:6]) <= {"US", "HK", "JP", "DE", "TW", "GB", "NL", "FR", "KR", "IT", "MO", "SG"}
    assert {"US", "HK"} <= set(ranked[:4])


# --- determinism ------------------------------------------------------------------------------------------


def checksum() -> str:
    """A digest of every seeded row by natural keys (primary keys and timestamps differ between runs)."""
    digest = hashlib.sha256()
    firm = ("enterprise__uscc",)
    queries = [
        Enterprise.objects.values_list("uscc", "name_zh", "name_en", "registration_type", "industry_group", "founded"),
        AnnualReport.objects.values_list(
            *firm,
            "year",
            "revenue_total",
            "revenue_foreign",
            "assets_total",
            "assets_foreign",
            "employees_total",
            "employees_foreign",
            "imports_total",
            "domestic_scope",
        ),
        ExportRecord.objects.values_list(*firm, "year", "destination", "channel", "currency", "value"),
        Establishment.objects.values_list(
            *firm, "country", "city", "kind", "ownership_pct", "opened", "closed", "employees"
        ),
        PctApplication.objects.values_list(*firm, "number", "filed", "title", "publication_number", "national_phase"),
        Certification.objects.values_list(
            *firm, "scheme", "scheme_other", "number", "issuer", "target_market", "issued", "expires"
        ),
        Publication.objects.values_list(*firm, "title", "venue", "country", "year"),
        Expense.objects.values_list(*firm, "category", "description", "currency", "amount", "date", "provider"),
        EvidenceFile.objects.values_list("enterprise__uscc", "original_name", "size", "sha256"),
        Membership.objects.values_list("user__username", *firm, "role"),
    ]
    for query in queries:
        for row in sorted(query, key=repr):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_same_seed_same_data_other_seed_other_data(debug):
    seed(100, 5)
    first = checksum()
    seed(100, 5)
    assert checksum() == first
    seed(100, 6)
    assert checksum() != first


# --- plausibility -----------------------------------------------------------------------------------------


def test_records_are_plausible_and_pass_model_validation(debug):
    seed(300, 7)
    for enterprise in Enterprise.objects.all():
        validate_uscc(enterprise.uscc)
    assert Enterprise.objects.values("uscc").distinct().count() == 300
    for model in RECORD_MODELS:  # field validators (currencies, countries, PCT/WO numbers...) on a sample
        for record in model.objects.order_by("pk")[::7]:
            record.full_clean(validate_unique=False, validate_constraints=False)
    table = rates()
    exports = defaultdict(Decimal)
    for r in ExportRecord.objects.all():
        assert r.value > 0
        exports[(r.enterprise_id, r.year)] += r.value * (1 if r.currency == "CNY" else table[(r.currency, r.year)])
    for r in AnnualReport.objects.select_related("enterprise"):
        amounts = (r.revenue_total, r.revenue_foreign, r.assets_total, r.assets_foreign, r.imports_total)
        assert min(amounts) >= 0
        assert r.revenue_foreign <= r.revenue_total and r.assets_foreign <= r.assets_total
        assert r.employees_foreign <= r.employees_total and r.employees_total > 0
        assert r.revenue_foreign >= exports.get((r.enterprise_id, r.year), 0), (r.enterprise_id, r.year)
        assert r.year >= r.enterprise.founded.year
    sites = defaultdict(list)
    for s in Establishment.objects.all():
        assert s.closed is None or s.closed >= s.opened
        assert 0 < s.ownership_pct <= 100
        sites[(s.enterprise_id, s.country.code)].append(s)
    for r in ExportRecord.objects.filter(channel="subsidiary"):
        year_end = date(r.year, 12, 31)
        assert any(
            s.kind in ("sales", "manufacturing") and s.opened <= year_end and (s.closed is None or s.closed > year_end)
            for s in sites[(r.enterprise_id, r.destination.code)]
        )
    for c in Certification.objects.all():
        assert c.expires is None or c.expires >= c.issued
    for e in Expense.objects.all():
        assert e.amount > 0 and date(2009, 1, 1) <= e.date <= date(2014, 12, 31)
    for p in PctApplication.objects.select_related("enterprise"):
        assert p.filed >= p.enterprise.founded


def test_reset_also_removes_assessments_that_protect_the_firms(debug):
    from assessments.models import Assessment
    from assessments.services import assessment_create

    seed(100, 1)
    firm1 = User.objects.get(username="firm1")
    made = assessment_create(enterprise=firm1.memberships.get().enterprise, reference_year=2014, actor=firm1)
    seed(100, 2)
    assert not Assessment.objects.filter(pk=made.pk).exists()
    assert Enterprise.objects.count() == 100


def test_demo_rounds_and_assessments_in_every_state(debug):
    from assessments.models import Assessment, AssessmentStatus
    from rewards.models import Award, RewardRound, RoundStatus

    seed(100, 3)
    published = RewardRound.objects.get(name="Zone reward 2013")
    open_round = RewardRound.objects.get(name="Zone reward 2014")
    assert published.status == RoundStatus.PUBLISHED and open_round.status == RoundStatus.OPEN
    states = set(Assessment.objects.filter(round=open_round).values_list("status", flat=True))
    assert states == set(AssessmentStatus.values)
    assert Award.objects.filter(round=published).exists()
    for username in ("firm1", "firm2"):
        firm = User.objects.get(username=username).memberships.get().enterprise
        assert Assessment.objects.filter(enterprise=firm, round=open_round).exists()
        assert Assessment.objects.filter(enterprise=firm, round=published, status=AssessmentStatus.VERIFIED).exists()
        verified = Assessment.objects.get(enterprise=firm, round=published)
        assert verified.current_snapshot.evidence_files.exists()  # their records carry evidence


def test_if_empty_seeds_once_then_only_prints_the_accounts(debug):
    call_command("seed_demo", "--firms", "20", "--if-empty", stdout=StringIO())
    firms = Enterprise.objects.count()
    out = StringIO()
    call_command("seed_demo", "--firms", "20", "--if-empty", stdout=out)
    assert Enterprise.objects.count() == firms
    assert "nothing seeded" in out.getvalue() and "firm1" in out.getvalue()
