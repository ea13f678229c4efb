"""Validation rules, each shown through the views: the bad input is a field error and nothing is written."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import (
    AnnualReport,
    Certification,
    Enterprise,
    Establishment,
    EvidenceFile,
    Expense,
    ExportRecord,
    Membership,
    PctApplication,
    Publication,
)
from enterprises.records import RECORD_KINDS
from enterprises.validators import organization_code_check_digit, uscc_check_character
from tests.factories import (
    AnnualReportFactory,
    CertificationFactory,
    EnterpriseFactory,
    EstablishmentFactory,
    EvidenceFileFactory,
    ExpenseFactory,
    ExportRecordFactory,
    PctApplicationFactory,
    PublicationFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db

VALID = {
    "annual-reports": {
        "year": "2014",
        "currency": "CNY",
        "revenue_total": "50000000",
        "revenue_foreign": "12000000",
        "assets_total": "80000000",
        "assets_foreign": "5000000",
        "employees_total": "200",
        "employees_foreign": "12",
        "imports_total": "3000000",
        "domestic_scope": "national",
    },
    "exports": {"year": "2014", "destination": "US", "channel": "direct", "currency": "USD", "value": "125000.50"},
    "establishments": {
        "country": "DE",
        "city": "München",
        "kind": "sales",
        "ownership_pct": "100",
        "opened": "2013-01-01",
        "closed": "",
        "employees": "3",
    },
    "pct-applications": {
        "number": "PCT/CN2014/000123",
        "filed": "2014-03-03",
        "title": "Antenna array calibration",
        "publication_number": "WO 2015/012345",
        "national_phase": "US, EP, JP",
    },
    "certifications": {
        "scheme": "CE",
        "scheme_other": "",
        "number": "CE-0001",
        "issuer": "TÜV SÜD",
        "target_market": "DE",
        "issued": "2013-01-01",
        "expires": "2016-01-01",
    },
    "publications": {"title": "Graphene inks", "venue": "Advanced Materials", "country": "DE", "year": "2014"},
    "expenses": {
        "category": "exhibition",
        "description": "Booth",
        "currency": "CNY",
        "amount": "50000.00",
        "date": "2014-05-05",
        "provider": "Messe Frankfurt",
    },
}

# One field per kind, and a new value for it, for the edit happy path.
EDITS = {
    "annual-reports": ("revenue_foreign", "13000000", Decimal("13000000")),
    "exports": ("value", "200000", Decimal("200000")),
    "establishments": ("city", "Berlin", "Berlin"),
    "pct-applications": ("title", "Improved antenna array calibration", "Improved antenna array calibration"),
    "certifications": ("issuer", "BSI", "BSI"),
    "publications": ("venue", "Nature Materials", "Nature Materials"),
    "expenses": ("provider", "Koelnmesse", "Koelnmesse"),
}


def create_url(firm, kind: str) -> str:
    return reverse("enterprises:record_create", args=[firm.pk, kind])


def post_record(client, firm, kind: str, **changes):
    data = {**VALID[kind], **changes}
    return client.post(create_url(firm, kind), data)


def assert_refused(response, field: str | None, model, count_before: int, message: str | None = None):
    """The form comes back (200) with an error on `field` (None: a form-wide error) and nothing is saved."""
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field or "__all__")
    assert errors, f"no error on {field}: {form.errors.as_data()}"
    if message:
        assert any(message in error for error in errors), errors
        assert message in response.content.decode().replace("&#x27;", "'")
    assert model.objects.count() == count_before


def refused(client, firm, kind: str, field: str | None, message: str | None = None, **changes):
    model = RECORD_KINDS[kind].model
    before = model.objects.count()
    assert_refused(post_record(client, firm, kind, **changes), field, model, before, message)


@pytest.mark.parametrize(("kind", "name"), [("pct-applications", "PCT application"), ("exports", "Export record")])
def test_messages_name_the_record_kind_as_it_is_written(client_a, firm_a, kind, name):
    """Seen: "Pct application saved." (the first letter was raised and every other one lowered)."""
    response = client_a.post(create_url(firm_a, kind), VALID[kind], follow=True)
    assert [str(m) for m in response.context["messages"]] == [f"{name} saved."]
    record = RECORD_KINDS[kind].model.objects.get(enterprise=firm_a)
    response = client_a.post(reverse("enterprises:record_delete", args=[firm_a.pk, kind, record.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [f"{name} deleted."]


# --- Firm registration: USCC -------------------------------------------------------------------------------

FIRM = {
    "name_zh": "北京新创科技有限公司",
    "name_en": "Beijing Xinchuang Technology",
    "registration_type": "private",
    "industry_group": "new_materials",
    "founded": "2008-08-08",
    "province": "北京",
    "city": "北京",
}


def _with_bad_org_code_digit(code: str) -> str:
    """Changes the organization code's check digit (the 17th character) and recomputes the 18th, so that only
    the GB 11714 check digit is wrong."""
    digit = code[16]
    wrong = next(c for c in "0123456789X" if c != digit)
    first17 = code[:16] + wrong
    return first17 + uscc_check_character(first17)


def register(client, uscc: str):
    return client.post(reverse("enterprises:register"), {**FIRM, "uscc": uscc})


@pytest.mark.parametrize(
    ("uscc", "message"),
    [
        ("9111010871610585", "18 characters"),
        ("91110108 7161058 52", "18 characters"),
        ("91330100716105852O", "18 characters"),  # the letter O is not in the alphabet
        ("91330100716105852E", "check character"),  # Alibaba's code with a wrong 18th character
    ],
)
def test_register_refuses_bad_uscc(client_a, uscc, message):
    before = (Enterprise.objects.count(), Membership.objects.count())
    response = register(client_a, uscc)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["uscc"])
    assert (Enterprise.objects.count(), Membership.objects.count()) == before


def test_register_refuses_bad_organization_code_check_digit(client_a):
    code = _with_bad_org_code_digit("91330100716105852F")
    assert uscc_check_character(code[:17]) == code[17]  # the last check character is right
    before = Enterprise.objects.count()
    response = register(client_a, code)
    assert response.status_code == 200
    assert "GB 11714" in response.context["form"].errors["uscc"][0]
    assert Enterprise.objects.count() == before


def test_register_refuses_duplicate_uscc(client_a, firm_b):
    before = Enterprise.objects.count()
    response = register(client_a, firm_b.uscc.lower())
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["uscc"][0]
    assert Enterprise.objects.count() == before


def test_register_requires_name_and_choices(client_a):
    before = Enterprise.objects.count()
    response = client_a.post(reverse("enterprises:register"), {"uscc": make_uscc(1), "registration_type": "nope"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"name_zh", "registration_type", "industry_group"}
    assert Enterprise.objects.count() == before


def test_register_happy_path_normalises_uscc_and_makes_owner(client_a, member_a):
    response = register(client_a, " 91440300708461136t ")
    firm = Enterprise.objects.get(uscc="91440300708461136T")
    assert response.status_code == 302
    assert response.url == reverse("enterprises:overview", args=[firm.pk])
    assert Membership.objects.get(enterprise=firm).user == member_a
    assert Membership.objects.get(enterprise=firm).role == "owner"


def test_firm_edit_refuses_other_firms_uscc(client_a, firm_a, firm_b):
    data = {**FIRM, "uscc": firm_b.uscc}
    response = client_a.post(reverse("enterprises:edit", args=[firm_a.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["uscc"]
    firm_a.refresh_from_db()
    assert firm_a.uscc != firm_b.uscc


def test_firm_edit_happy_path(client_a, firm_a):
    data = {**FIRM, "uscc": firm_a.uscc, "name_en": "Alpha Tech (renamed)"}
    response = client_a.post(reverse("enterprises:edit", args=[firm_a.pk]), data)
    assert response.status_code == 302
    firm_a.refresh_from_db()
    assert firm_a.name_en == "Alpha Tech (renamed)"
    assert firm_a.registration_type == "private"


# --- PCT applications ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["PCT/CN14/000123", "PCT/CN2014/123", "CN2014/000123", "PCT/C12014/000123"])
def test_pct_number_format(client_a, firm_a, number):
    refused(client_a, firm_a, "pct-applications", "number", "PCT/CCYYYY/NNNNNN", number=number)


def test_pct_year_must_equal_filing_year(client_a, firm_a):
    refused(client_a, firm_a, "pct-applications", "number", "must equal the filing year", filed="2013-12-31")


@pytest.mark.parametrize("publication", ["WO2015-012345", "WO 15/012345", "EP 2015/012345", "WO 2015/12345"])
def test_wo_publication_number(client_a, firm_a, publication):
    refused(
        client_a, firm_a, "pct-applications", "publication_number", "WO YYYY/NNNNNN", publication_number=publication
    )


@pytest.mark.parametrize(("codes", "message"), [("USA, EP", "USA"), ("US, E1", "E1"), ("US, us", "only once")])
def test_national_phase_codes(client_a, firm_a, codes, message):
    refused(client_a, firm_a, "pct-applications", "national_phase", message, national_phase=codes)


def test_pct_number_lowercase_is_normalised(client_a, firm_a):
    response = post_record(client_a, firm_a, "pct-applications", number="pct/cn2014/000124", national_phase="us; ep")
    assert response.status_code == 302
    pct = PctApplication.objects.get(enterprise=firm_a)
    assert (pct.number, pct.national_phase) == ("PCT/CN2014/000124", ["US", "EP"])


def test_duplicate_pct_number(client_a, firm_a, firm_b):
    PctApplicationFactory(enterprise=firm_a, number="PCT/CN2014/000123", filed=datetime.date(2014, 3, 3))
    refused(client_a, firm_a, "pct-applications", None, "already has this PCT application")
    PctApplicationFactory(enterprise=firm_b, number="PCT/CN2014/000777", filed=datetime.date(2014, 3, 3))
    assert post_record(client_a, firm_a, "pct-applications", number="PCT/CN2014/000777").status_code == 302


# --- Countries and currencies -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("exports", "destination"),
        ("establishments", "country"),
        ("publications", "country"),
        ("certifications", "target_market"),
    ],
)
@pytest.mark.parametrize("code", ["XX", "USA", "us "])
def test_bad_country_code(client_a, firm_a, kind, field, code):
    refused(client_a, firm_a, kind, field, **{field: code})


@pytest.mark.parametrize("kind", ["annual-reports", "exports", "expenses"])
@pytest.mark.parametrize("code", ["ABC", "usd", "RMB", "US"])
def test_bad_currency_code(client_a, firm_a, kind, code):
    refused(client_a, firm_a, kind, "currency", **{"currency": code})


def test_hong_kong_macau_taiwan_are_markets(client_a, firm_a):
    for code in ("HK", "MO", "TW"):
        assert post_record(client_a, firm_a, "exports", destination=code).status_code == 302
    assert set(ExportRecord.objects.filter(enterprise=firm_a).values_list("destination", flat=True)) == {
        "HK",
        "MO",
        "TW",
    }


# --- Annual reports -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "total", "foreign"),
    [("revenue", "1000", "1000.01"), ("assets", "500", "900"), ("employees", "10", "11")],
)
def test_foreign_cannot_exceed_total(client_a, firm_a, field, total, foreign):
    refused(
        client_a,
        firm_a,
        "annual-reports",
        f"{field}_foreign",
        "cannot exceed",
        **{f"{field}_total": total, f"{field}_foreign": foreign},
    )


def test_foreign_equal_to_total_is_fine(client_a, firm_a):
    response = post_record(client_a, firm_a, "annual-reports", revenue_foreign="50000000", employees_foreign="200")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("exports", "value"),
        ("expenses", "amount"),
        ("annual-reports", "revenue_total"),
        ("annual-reports", "imports_total"),
        ("annual-reports", "employees_total"),
    ],
)
def test_negative_amounts(client_a, firm_a, kind, field):
    refused(client_a, firm_a, kind, field, **{field: "-1"})


@pytest.mark.parametrize("value", ["abc", "1e400", "12345678901234567890.12", "NaN", "Infinity"])
def test_malformed_amounts(client_a, firm_a, value):
    refused(client_a, firm_a, "exports", "value", value=value)


@pytest.mark.parametrize("year", ["1979", "2101", "twenty", "-2014", "99999999999"])
def test_year_out_of_range(client_a, firm_a, year):
    refused(client_a, firm_a, "annual-reports", "year", year=year)


def test_duplicate_annual_report_same_firm_and_year(client_a, firm_a, firm_b):
    AnnualReportFactory(enterprise=firm_a, year=2014)
    AnnualReportFactory(enterprise=firm_b, year=2013)
    refused(client_a, firm_a, "annual-reports", None, year="2014")
    # The same year in another firm does not count as a duplicate.
    assert post_record(client_a, firm_a, "annual-reports", year="2013").status_code == 302


def test_edit_annual_report_into_duplicate_year(client_a, firm_a):
    AnnualReportFactory(enterprise=firm_a, year=2014)
    other = AnnualReportFactory(enterprise=firm_a, year=2013)
    url = reverse("enterprises:record_edit", args=[firm_a.pk, "annual-reports", other.pk])
    response = client_a.post(url, {**VALID["annual-reports"], "year": "2014"})
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]
    other.refresh_from_db()
    assert other.year == 2013


# --- Export records -----------------------------------------------------------------------------------------


def test_duplicate_export_record_within_firm(client_a, firm_a):
    ExportRecordFactory(enterprise=firm_a, year=2014, destination="US", channel="direct")
    refused(client_a, firm_a, "exports", None, "already has an export record")
    # Another channel, or another year, is a different record.
    assert post_record(client_a, firm_a, "exports", channel="agent").status_code == 302
    assert post_record(client_a, firm_a, "exports", year="2013").status_code == 302


def test_same_export_record_in_another_firm_is_fine(client_a, firm_a, firm_b):
    ExportRecordFactory(enterprise=firm_b, year=2014, destination="US", channel="direct")
    assert post_record(client_a, firm_a, "exports").status_code == 302
    assert ExportRecord.objects.filter(year=2014, destination="US", channel="direct").count() == 2


def test_bad_export_channel(client_a, firm_a):
    refused(client_a, firm_a, "exports", "channel", channel="smuggling")


# --- Establishments -----------------------------------------------------------------------------------------


def test_closed_before_opened(client_a, firm_a):
    refused(client_a, firm_a, "establishments", "closed", "cannot be before", opened="2014-06-01", closed="2014-05-31")


def test_closed_on_opening_day_is_fine(client_a, firm_a):
    assert post_record(client_a, firm_a, "establishments", opened="2014-06-01", closed="2014-06-01").status_code == 302


@pytest.mark.parametrize("pct", ["0", "100.01", "-5"])
def test_ownership_out_of_range(client_a, firm_a, pct):
    refused(client_a, firm_a, "establishments", "ownership_pct", ownership_pct=pct)


def test_duplicate_establishment(client_a, firm_a):
    EstablishmentFactory(
        enterprise=firm_a, country="DE", city="München", kind="sales", opened=datetime.date(2013, 1, 1)
    )
    refused(client_a, firm_a, "establishments", None, "already has this establishment")


def test_bad_dates(client_a, firm_a):
    refused(client_a, firm_a, "establishments", "opened", opened="2014-02-30")


# --- Certifications -----------------------------------------------------------------------------------------


def test_expires_before_issued(client_a, firm_a):
    refused(
        client_a, firm_a, "certifications", "expires", "cannot be before", issued="2014-01-02", expires="2014-01-01"
    )


def test_other_scheme_needs_a_name(client_a, firm_a):
    refused(client_a, firm_a, "certifications", "scheme_other", "Name the scheme", scheme="other", scheme_other="  ")
    assert post_record(client_a, firm_a, "certifications", scheme="other", scheme_other="KC Mark").status_code == 302


def test_duplicate_certificate(client_a, firm_a):
    CertificationFactory(enterprise=firm_a, scheme="CE", number="CE-0001")
    refused(client_a, firm_a, "certifications", None, "already has this certificate")
    # The same number under another scheme is another certificate.
    assert post_record(client_a, firm_a, "certifications", scheme="UL").status_code == 302


# --- Publications and expenses ------------------------------------------------------------------------------


def test_duplicate_publication(client_a, firm_a):
    PublicationFactory(enterprise=firm_a, title="Graphene inks", venue="Advanced Materials", year=2014)
    refused(client_a, firm_a, "publications", None, "already has this publication")


def test_duplicate_expense(client_a, firm_a):
    ExpenseFactory(
        enterprise=firm_a,
        category="exhibition",
        date=datetime.date(2014, 5, 5),
        amount=Decimal("50000.00"),
        currency="CNY",
        provider="Messe Frankfurt",
    )
    refused(client_a, firm_a, "expenses", None, "already recorded this expense")


def test_bad_expense_category(client_a, firm_a):
    refused(client_a, firm_a, "expenses", "category", category="bribes")


# --- Happy paths: create, edit, delete ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_create_record(client_a, firm_a, kind):
    model = RECORD_KINDS[kind].model
    response = post_record(client_a, firm_a, kind)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    record = model.objects.get(enterprise=firm_a)
    assert response.url == reverse("enterprises:record_detail", args=[firm_a.pk, kind, record.pk])
    detail = client_a.get(response.url)
    assert detail.status_code == 200
    assert "saved" in detail.content.decode()


@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_new_form_renders_empty(client_a, firm_a, kind):
    response = client_a.get(create_url(firm_a, kind))
    assert response.status_code == 200
    assert response.context["form"].instance.enterprise == firm_a
    assert not response.context["form"].is_bound


@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_edit_record(client_a, firm_a, kind):
    model = RECORD_KINDS[kind].model
    post_record(client_a, firm_a, kind)
    record = model.objects.get(enterprise=firm_a)
    url = reverse("enterprises:record_edit", args=[firm_a.pk, kind, record.pk])
    form = client_a.get(url).context["form"]
    assert form.instance == record
    field, raw, expected = EDITS[kind]
    response = client_a.post(url, {**VALID[kind], field: raw})
    assert response.status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == expected
    assert model.objects.filter(enterprise=firm_a).count() == 1


@pytest.mark.parametrize("kind", list(RECORD_KINDS))
def test_delete_record_removes_its_evidence_files(client_a, firm_a, kind, django_capture_on_commit_callbacks):
    factories = {
        "annual-reports": AnnualReportFactory,
        "exports": ExportRecordFactory,
        "establishments": EstablishmentFactory,
        "pct-applications": PctApplicationFactory,
        "certifications": CertificationFactory,
        "publications": PublicationFactory,
        "expenses": ExpenseFactory,
    }
    record = factories[kind](enterprise=firm_a)
    kept = factories[kind](enterprise=firm_a)
    files = [EvidenceFileFactory(record=record), EvidenceFileFactory(record=record)]
    other = EvidenceFileFactory(record=kept)
    storage = other.file.storage
    assert all(storage.exists(evidence.file.name) for evidence in files)

    url = reverse("enterprises:record_delete", args=[firm_a.pk, kind, record.pk])
    assert client_a.get(url).status_code == 200  # the confirmation page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(url)
    assert response.status_code == 302
    assert not type(record).objects.filter(pk=record.pk).exists()
    assert not EvidenceFile.objects.filter(pk__in=[evidence.pk for evidence in files]).exists()
    assert not any(storage.exists(evidence.file.name) for evidence in files)
    # The other record and its file are untouched.
    assert EvidenceFile.objects.filter(pk=other.pk).exists()
    assert storage.exists(other.file.name)


def test_another_firm_same_values_for_every_unique_rule(client_a, firm_a, firm_b):
    """Uniqueness is per firm: firm B's identical records never block firm A."""
    AnnualReportFactory(enterprise=firm_b, year=2014)
    ExportRecordFactory(enterprise=firm_b, year=2014, destination="US", channel="direct")
    EstablishmentFactory(
        enterprise=firm_b, country="DE", city="München", kind="sales", opened=datetime.date(2013, 1, 1)
    )
    PctApplicationFactory(enterprise=firm_b, number="PCT/CN2014/000123", filed=datetime.date(2014, 3, 3))
    CertificationFactory(enterprise=firm_b, scheme="CE", number="CE-0001")
    PublicationFactory(enterprise=firm_b, title="Graphene inks", venue="Advanced Materials", year=2014)
    ExpenseFactory(
        enterprise=firm_b,
        category="exhibition",
        date=datetime.date(2014, 5, 5),
        amount=Decimal("50000.00"),
        provider="Messe Frankfurt",
    )
    for kind in RECORD_KINDS:
        assert post_record(client_a, firm_a, kind).status_code == 302, kind
    for model in (AnnualReport, ExportRecord, Establishment, PctApplication, Certification, Publication, Expense):
        assert model.objects.filter(enterprise=firm_a).count() == 1


def test_enterprise_cannot_be_chosen_through_the_form(client_a, firm_a, firm_b):
    """An `enterprise` field in the POST is ignored: the firm always comes from the URL."""
    response = post_record(client_a, firm_a, "publications", enterprise=str(firm_b.pk))
    assert response.status_code == 302
    assert Publication.objects.get().enterprise == firm_a


def test_factories_make_valid_records(firm_a):
    for factory in (
        AnnualReportFactory,
        ExportRecordFactory,
        EstablishmentFactory,
        PctApplicationFactory,
        CertificationFactory,
        PublicationFactory,
        ExpenseFactory,
    ):
        for record in factory.create_batch(3, enterprise=firm_a):
            record.full_clean()
    for firm in EnterpriseFactory.create_batch(5):
        firm.full_clean()
    assert organization_code_check_digit("71610585") == "2"


# --- Double submits: the database's unique constraints back the form checks ---------------------------------


def _blind_for(monkeypatch, model, method: str, calls: int) -> None:
    """Makes `model.method` (a uniqueness check) see nothing for its first `calls` calls, as when two requests
    validate the same data before either has saved."""
    original = getattr(model, method)
    seen = {"calls": 0}

    def check(self, *args, **kwargs):
        seen["calls"] += 1
        if seen["calls"] <= calls:
            return None
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model, method, check)


def test_double_submit_of_a_record_is_a_form_error(client_a, firm_a, monkeypatch):
    ExportRecordFactory(enterprise=firm_a, year=2014, destination="US", channel="direct")
    _blind_for(monkeypatch, ExportRecord, "validate_constraints", calls=2)  # the form's check and the service's
    before = ExportRecord.objects.count()
    response = post_record(client_a, firm_a, "exports")
    assert_refused(response, None, ExportRecord, before, "already has an export record")


def test_double_submit_of_a_firm_registration_is_a_form_error(client_a, firm_b, monkeypatch):
    _blind_for(monkeypatch, Enterprise, "_perform_unique_checks", calls=2)
    before = (Enterprise.objects.count(), Membership.objects.count())
    response = register(client_a, firm_b.uscc)
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["uscc"][0]
    assert (Enterprise.objects.count(), Membership.objects.count()) == before


def test_failed_profile_edit_keeps_the_saved_name_in_the_header(client_a, firm_a):
    data = {**FIRM, "name_zh": "未保存的名字", "uscc": "bad"}
    response = client_a.post(reverse("enterprises:edit", args=[firm_a.pk]), data)
    assert response.status_code == 200
    assert response.context["firm"].name_zh == "甲科技有限公司"
    firm_a.refresh_from_db()
    assert firm_a.name_zh == "甲科技有限公司"


# --- Plausible years and dates (DESIGN section 8), whatever today is ----------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


def year_message(last: int) -> str:
    return f"Enter a year from 1980 to {last}."


def date_message(first: str = "1980-01-01") -> str:
    return f"Enter a date from {first} to {today().isoformat()}."


def test_export_record_for_a_future_year_is_refused(client_a, firm_a):
    """Seen: an export record for 2031 was saved."""
    refused(client_a, firm_a, "exports", "year", year_message(today().year - 1), year=str(today().year + 5))


@pytest.mark.parametrize("kind", ["annual-reports", "exports"])
def test_annual_figures_for_the_current_year_are_a_forecast(client_a, firm_a, kind):
    refused(client_a, firm_a, kind, "year", year_message(today().year - 1), year=str(today().year))
    assert post_record(client_a, firm_a, kind, year=str(today().year - 1)).status_code == 302


@pytest.mark.parametrize("kind", ["annual-reports", "exports", "publications"])
def test_record_years_start_in_1980(client_a, firm_a, kind):
    refused(client_a, firm_a, kind, "year", "Enter a year from 1980 to", year="1979")
    assert post_record(client_a, firm_a, kind, year="1980").status_code == 302


def test_publications_abroad_may_be_in_the_current_year(client_a, firm_a):
    assert post_record(client_a, firm_a, "publications", year=str(today().year)).status_code == 302
    refused(client_a, firm_a, "publications", "year", year_message(today().year), year=str(today().year + 1))


def test_pct_application_filed_in_the_future_is_refused(client_a, firm_a):
    """Seen: a PCT application filed in 2031 was saved."""
    year = today().year + 5
    future = {"filed": f"{year}-03-03", "number": f"PCT/CN{year}/000123"}
    refused(client_a, firm_a, "pct-applications", "filed", date_message(), **future)


DATED_FIELDS = [
    ("establishments", "opened", {}),
    ("establishments", "closed", {"opened": "1980-01-01"}),
    ("certifications", "issued", {"expires": ""}),
    ("expenses", "date", {}),
    ("pct-applications", "filed", {}),
]


def _dated(kind: str, field: str, day: str, extra: dict) -> dict:
    changes = {**extra, field: day}
    if kind == "pct-applications":
        changes["number"] = f"PCT/CN{day[:4]}/000123"
        changes["publication_number"] = ""
    return changes


@pytest.mark.parametrize(("kind", "field", "extra"), DATED_FIELDS)
@pytest.mark.parametrize("day", ["0001-01-01", "1979-12-31", "tomorrow", "9999-12-31"])
def test_dates_from_1980_to_today(client_a, firm_a, kind, field, extra, day):
    if day == "tomorrow":
        day = (today() + datetime.timedelta(days=1)).isoformat()
    refused(client_a, firm_a, kind, field, date_message(), **_dated(kind, field, day, extra))


@pytest.mark.parametrize(("kind", "field", "extra"), DATED_FIELDS)
@pytest.mark.parametrize("day", ["1980-01-01", "today"])
def test_dates_on_the_limits_are_fine(client_a, firm_a, kind, field, extra, day):
    day = today().isoformat() if day == "today" else day
    assert post_record(client_a, firm_a, kind, **_dated(kind, field, day, extra)).status_code == 302


def test_certification_may_expire_in_the_future(client_a, firm_a):
    expires = today().replace(day=1, year=today().year + 3).isoformat()
    assert post_record(client_a, firm_a, "certifications", expires=expires).status_code == 302


@pytest.mark.parametrize("expires", ["9999-12-31", "2063-01-02"])
def test_certification_expiry_at_most_fifty_years_after_issue(client_a, firm_a, expires):
    refused(client_a, firm_a, "certifications", "expires", "more than 50 years", issued="2013-01-01", expires=expires)
    assert post_record(client_a, firm_a, "certifications", issued="2013-01-01", expires="2063-01-01").status_code == 302


def register_founded(client, founded: str, number: int):
    return client.post(reverse("enterprises:register"), {**FIRM, "uscc": make_uscc(number), "founded": founded})


@pytest.mark.parametrize(
    ("founded", "first"), [("1899-12-31", "1900-01-01"), ("0001-01-01", "1900-01-01"), ("tomorrow", "1900-01-01")]
)
def test_founding_date_from_1900_to_today(client_a, founded, first):
    founded = (today() + datetime.timedelta(days=1)).isoformat() if founded == "tomorrow" else founded
    before = Enterprise.objects.count()
    assert_refused(register_founded(client_a, founded, 30_000_001), "founded", Enterprise, before, date_message(first))


def test_old_state_owned_firm_founded_before_1980(client_a):
    assert register_founded(client_a, "1952-10-01", 30_000_002).status_code == 302
    assert Enterprise.objects.get(uscc=make_uscc(30_000_002)).founded == datetime.date(1952, 10, 1)


def test_editing_a_legacy_future_record_asks_for_a_plausible_year(client_a, firm_a):
    """A row saved before the rule (a 2031 export record) can be corrected, not saved again as it is."""
    legacy = ExportRecordFactory(enterprise=firm_a, year=today().year + 5, destination="US", channel="direct")
    url = reverse("enterprises:record_edit", args=[firm_a.pk, "exports", legacy.pk])
    response = client_a.post(url, {**VALID["exports"], "year": str(legacy.year)})
    assert response.status_code == 200 and response.context["form"].errors["year"]
    assert client_a.post(url, {**VALID["exports"], "year": "2014"}).status_code == 302
    legacy.refresh_from_db()
    assert legacy.year == 2014
