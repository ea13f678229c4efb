"""Numbers and dates as people read them (core.formatting): amounts with two decimals, thousand separators and
their currency in English and Chinese, percentages as percentages, one date format per kind, years and ids
never grouped; spreadsheets keep numeric cells with number formats, CSV stays plain."""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from core.formatting import format_amount, format_date, format_datetime, format_integer, format_money
from core.spreadsheets import AMOUNT_FORMAT, Sheet, csv_text, xlsx_bytes
from core.templatetags.numbers import money, percent
from enterprises.records import display_value
from reference.models import ExchangeRate
from rewards import services as rewards_services
from rewards.models import Award, RoundStatus
from tests.conftest import client_for
from tests.factories import AnnualReportFactory, ExportRecordFactory, MembershipFactory
from tests.workflow_helpers import YEAR, make_round, records_for, submitted, verified_row

LANGUAGES = ["en", "zh-hans"]
NBSP = "\u00a0"
GROUPED = re.compile(r"\b\d{1,3}(,\d{3})+\.\d\d\b")
GROUPED_YEAR = re.compile(rf"(?<![\d,.]){YEAR // 1000},{YEAR % 1000:03d}(?![\d,.])")  # "2,014" on its own


def visible(html: str) -> str:
    """The page's text, without tags, scripts and attribute values."""
    return re.sub(r"<script.*?</script>|<[^>]*>", " ", html, flags=re.S)


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [(Decimal("0.1000"), "10%"), (Decimal("0.1250"), "12.5%"), (Decimal("1"), "100%"), (None, "—"), ("x", "—")],
)
def test_percent(fraction, shown):
    with translation.override("en"):
        assert percent(fraction) == shown


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("8000000"), "CNY", f"8,000,000.00{NBSP}CNY"),
        (Decimal("28900000.00"), "USD", f"28,900,000.00{NBSP}USD"),
        (Decimal("1234.5"), "EUR", f"1,234.50{NBSP}EUR"),
        (Decimal("-1234567.891"), "CNY", f"-1,234,567.89{NBSP}CNY"),  # a simulated award change
        (Decimal("0.005"), "CNY", f"0.01{NBSP}CNY"),  # half a fen rounds up, as the allocation's rounding does
        (Decimal("0"), "JPY", f"0.00{NBSP}JPY"),
        (999, "", "999.00"),  # without a code: in a column whose header names the currency
        (None, "CNY", "—"),
        ("", "CNY", "—"),
        ("not a number", "CNY", "—"),
    ],
)
def test_money_filter(language, amount, currency, shown):
    """Seen: the Chinese pages showed ¥8000000.00, the English lists and the review page 28900000.00."""
    with translation.override(language):
        assert money(amount, currency) == shown
        assert Template("{% load numbers %}{{ a|money:c }}").render(Context({"a": amount, "c": currency})) == shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_years_are_never_grouped_and_amounts_always_are(language):
    """USE_THOUSAND_SEPARATOR stays off: {{ year }} in text, attributes and URLs is 2014; amounts are grouped
    because they go through the money filter."""
    assert settings.USE_THOUSAND_SEPARATOR is False
    template = Template(
        '{% load numbers %}<a href="?year={{ year }}" data-id="{{ pk }}">{{ year }}</a> {{ amount|money:"CNY" }}'
    )
    with translation.override(language):
        html = template.render(Context({"year": 2014, "pk": 123456, "amount": Decimal("28900000")}))
    assert html == f'<a href="?year=2014" data-id="123456">2014</a> 28,900,000.00{NBSP}CNY'
    assert format_integer(12000) == "12,000"


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [("en", "2014-06-30", "2014-06-30 18:05"), ("zh-hans", "2014年6月30日", "2014年6月30日 18:05")],
)
def test_one_date_format_per_kind(language, day, moment):
    """A day in SHORT_DATE_FORMAT, a moment in SHORT_DATETIME_FORMAT in the site's time zone (Asia/Shanghai);
    the template filter and the messages' helper agree. Snapshots store ISO dates: they are read first."""
    at = datetime.datetime(2014, 6, 30, 10, 5, tzinfo=datetime.UTC)  # 18:05 in Shanghai
    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }}|{{ t|date:"SHORT_DATETIME_FORMAT" }}')
    with translation.override(language), timezone.override("Asia/Shanghai"):
        assert format_date(datetime.date(2014, 6, 30)) == format_date("2014-06-30") == day
        assert format_datetime(at) == moment
        assert template.render(Context({"d": datetime.date(2014, 6, 30), "t": at})) == f"{day}|{moment}"
        # a date printed without a format (a record's field, the history page, the admin) looks the same
        assert Template("{{ d }}|{{ t }}").render(Context({"d": datetime.date(2014, 6, 30), "t": at})) == (
            f"{day}|{moment}"
        )
    assert format_date(None) == "—" and format_date("not a date") == "not a date"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_record_values_as_people_read_them(language, firm_a):
    report = AnnualReportFactory(enterprise=firm_a, year=2014, currency="USD", revenue_total=Decimal("28900000"))
    export = ExportRecordFactory(enterprise=firm_a, year=2014, value=Decimal("1234.50"), currency="JPY")
    with translation.override(language):
        assert display_value(report, "year") == 2014
        assert display_value(report, "revenue_total") == f"28,900,000.00{NBSP}USD"
        assert display_value(export, "value") == f"1,234.50{NBSP}JPY"
        assert str(export).endswith(f"1,234.50{NBSP}JPY")


# --- pages -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_records_list_groups_amounts_and_not_years(language, firm_a, client_a):
    AnnualReportFactory(enterprise=firm_a, year=2014, currency="USD", revenue_total=Decimal("28900000.00"))
    url = reverse("enterprises:record_list", args=[firm_a.pk, "annual-reports"])
    html = client_a.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    text = visible(html)
    assert f"28,900,000.00{NBSP}USD" in text
    assert "28900000" not in html
    assert "<td>2014</td>" in html and not GROUPED_YEAR.search(html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_overview_groups_amounts(language, firm_a, client_a):
    AnnualReportFactory(enterprise=firm_a, year=2014, revenue_total=Decimal("28900000.00"))
    ExportRecordFactory(enterprise=firm_a, year=2014, value=Decimal("3000000"), currency="EUR")
    html = client_a.get(f"/firms/{firm_a.pk}/?year=2014", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"28,900,000.00{NBSP}CNY" in html and f"3,000,000.00{NBSP}EUR" in html
    assert not GROUPED_YEAR.search(html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_history_shows_changed_amounts_grouped(language, firm_a, administrator):
    report = AnnualReportFactory(enterprise=firm_a, year=2014, revenue_total=Decimal("28900000.00"))
    report.revenue_total = Decimal("30000000.00")
    report.save()
    url = f"/firms/{firm_a.pk}/history/"
    html = client_for(administrator).get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "28,900,000.00 → 30,000,000.00" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_review_page_figures_are_grouped(language, firm_a, member_a, officer):
    """Seen: the review page listed "revenue 28900000.00 CNY" and "3000000.00 USD (¥20700000.00)"."""
    records = records_for(firm_a)
    records["report"].revenue_total = Decimal("28900000.00")
    records["report"].save()
    records["export"].currency, records["export"].value = "USD", Decimal("3000000.00")
    records["export"].save()
    ExchangeRate.objects.update_or_create(currency="USD", year=YEAR, defaults={"cny_per_unit": Decimal("6.1428")})
    assessment = submitted(firm_a, member_a)
    html = client_for(officer).get(f"/review/{assessment.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    text = visible(html)
    assert f"28,900,000.00{NBSP}CNY" in text
    assert f"3,000,000.00{NBSP}USD (18,428,400.00{NBSP}CNY)" in text
    assert "28900000" not in text and "¥" not in text
    with translation.override(language):
        assert format_date(records["establishment"].opened) in text  # the snapshot's ISO date, as a date
    assert not GROUPED_YEAR.search(text)


@pytest.fixture
def published(administrator):
    """A published round with awards above a thousand yuan and a firm member who sees the firm's result."""
    reward_round = make_round(status=RoundStatus.CLOSED, budget=Decimal("2500000.00"))
    winner = verified_row(reward_round, total="80", expenses={"exhibition": "3000000.00"}, name_zh="甲公司")
    verified_row(reward_round, total="40", expenses={"exhibition": "150000.00"}, name_zh="乙公司")
    rewards_services.round_rank(round_id=reward_round.pk, actor=administrator)
    rewards_services.round_publish(round_id=reward_round.pk, actor=administrator)
    member = MembershipFactory(enterprise=winner.enterprise).user
    return reward_round, winner, member


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_round_results_are_grouped(language, published, officer):
    reward_round, winner, _member = published
    award = Award.objects.get(round=reward_round, enterprise=winner.enterprise)
    assert award.amount >= 1000
    with translation.override(language):
        amount = format_amount(award.amount)
    for user in (None, officer):
        html = client_for(user).get(f"/rounds/{reward_round.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        text = visible(html)
        assert amount in text and f"2,500,000.00{NBSP}CNY" in text  # award and budget
        assert "¥" not in text and str(award.amount) not in text
        assert "10%" in text and "0.1000" not in text  # the tiers' bounds as percentages
        assert str(YEAR) in text and not GROUPED_YEAR.search(html)  # "reference year 2014"
    listing = client_for(None).get("/rounds/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"2,500,000.00{NBSP}CNY" in listing and str(YEAR) in listing and not GROUPED_YEAR.search(listing)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_firms_round_result_is_grouped(language, published):
    reward_round, winner, member = published
    award = Award.objects.get(round=reward_round, enterprise=winner.enterprise)
    url = f"/firms/{winner.enterprise_id}/assessments/{winner.pk}/"
    html = client_for(member).get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    result = visible(html[html.index('id="round-result"') :])
    with translation.override(language):
        assert format_money(award.amount, "CNY") in result
        assert format_money(award.claim_cny, "CNY") == f"3,000,000.00{NBSP}CNY"
        assert format_money(award.claim_cny, "CNY") in result
    assert "50%" in result and "0.5000" not in result  # the tier's rate
    assert "¥" not in result


@pytest.mark.django_db
def test_the_manage_pages_group_amounts(published, administrator):
    reward_round, _winner, _member = published
    client = client_for(administrator)
    html = visible(client.get(f"/rounds/manage/{reward_round.pk}/").content.decode())
    assert f"2,500,000.00{NBSP}CNY" in html and GROUPED.search(html)
    assert "¥" not in html
    listing = visible(client.get("/rounds/manage/").content.decode())
    assert f"2,500,000.00{NBSP}CNY" in listing


# --- spreadsheets ----------------------------------------------------------------------------------------


def test_xlsx_amounts_are_numeric_cells_with_thousand_separators():
    rows = [["firm", "award"], ["甲", Decimal("28900000.00")], ["=cmd", Decimal("-1.5")]]
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([Sheet("s", rows, number_formats={1: AMOUNT_FORMAT})])))
    sheet = workbook.active
    assert AMOUNT_FORMAT == "#,##0.00"
    assert sheet["B2"].value == 28900000 and sheet["B2"].data_type == "n"
    assert sheet["B2"].number_format == sheet["B3"].number_format == "#,##0.00"
    assert sheet["A3"].value == "'=cmd"  # still never a formula
    # CSV (DESIGN section 7) stays plain: no separators, "." decimal, whatever the language
    with translation.override("zh-hans"):
        assert csv_text(rows) == "firm,award\n甲,28900000.00\n'=cmd,-1.5\n"


@pytest.mark.django_db
def test_round_results_xlsx_and_csv(published):
    reward_round, winner, _member = published
    award = Award.objects.get(round=reward_round, enterprise=winner.enterprise)
    response = client_for(None).get(f"/rounds/{reward_round.pk}/results.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = next(row[5] for row in sheet.iter_rows(min_row=2) if row[1].value == "甲公司")
    assert cell.data_type == "n" and Decimal(str(cell.value)) == award.amount
    assert cell.number_format == "#,##0.00"
    csv = client_for(None).get(f"/rounds/{reward_round.pk}/results.csv", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f",{award.amount:.2f}\n" in csv.content.decode() and not GROUPED.search(csv.content.decode())


# --- templates -----------------------------------------------------------------------------------------------

TEMPLATES = Path(settings.BASE_DIR) / "templates"
#: pages whose timestamps still use a pattern of their own ("Y-m-d H:i"); to be moved to SHORT_DATETIME_FORMAT
OWN_DATE_PATTERN = {"bulkimport/batch.html", "bulkimport/upload.html"}
DATE_FILTER = re.compile(r"""\|date:["']([^"']*)["']""")
ALLOWED_DATE_FORMATS = {"SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "O"}  # "O": the UTC offset on reports


def test_templates_use_the_money_filter_and_the_language_date_formats():
    """Every amount through `money` (floatformat, intcomma and a hand-written "¥" showed raw or mixed values), every
    date through the language's short formats."""
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        text = path.read_text(encoding="utf-8")
        problems += [f"{name}: {word}" for word in ("floatformat", "intcomma", "¥") if word in text]
        if name not in OWN_DATE_PATTERN:
            problems += [f"{name}: date:{f}" for f in DATE_FILTER.findall(text) if f not in ALLOWED_DATE_FORMATS]
    assert problems == []
