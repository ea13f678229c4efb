"""The maturity report as a PDF with a verification code, and the public page that checks a code
(issue 13, point 7): who may issue and download, what the PDF states, real, forged and altered codes."""

import io
import subprocess
import sys
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader

from reports import codes, pdf
from reports.models import IssuedReport
from reports.presentation import report_context
from reports.views import verify_url
from tests.conftest import ROLE_NAMES, client_for
from tests.matrix import LOGIN, check, expect
from tests.workflow_helpers import YEAR, records_for, submitted, verify_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(firm_a, member_a):
    """Firm A (stage 3) with a report of YEAR issued by its owner through the page."""
    records_for(firm_a)
    response = client_for(member_a).post(reverse("reports:list", args=[firm_a.pk]), {"year": YEAR})
    report = IssuedReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:pdf", args=[firm_a.pk, report.pk])
    return report


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# ---------------------------------------------------------------------------------- the PDF


def test_the_pdf_states_the_firm_the_figures_and_the_verification_code(issued, member_a, firm_a):
    response = client_for(member_a).get(reverse("reports:pdf", args=[firm_a.pk, issued.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="maturity-report-2014-')
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    total = issued.figures["scorecard"]["total"]
    assert Decimal(total) > 0 and f"{total} / 100" in text
    assert issued.display_code in text
    assert "甲科技有限公司" in text and "Alpha Technology" in text  # the Chinese font is embedded
    assert issued.figures["scheme"]["name"] in text and str(YEAR) in text
    assert issued.issued_at.astimezone().strftime("%Y-%m-%d") in text or issued.issued_at.strftime("%Y-%m") in text


def test_the_pdf_html_holds_every_figure_of_the_report(issued):
    context = report_context(issued, verify_url(issued))
    html = render_to_string("reports/report_pdf.html", context)
    scorecard = issued.figures["scorecard"]
    assert f'id="report-total">{scorecard["total"]} / 100' in html
    assert f'id="verification-code">{issued.display_code}<' in html
    assert f'id="report-stage">{scorecard["stage"]} · ' in html
    for component in scorecard["components"]:
        assert f'<td class="num">{component["subscore"]}</td>' in html
    assert f"{settings.SITE_URL}/verify/{issued.display_code}/" in html


def test_the_pdf_in_chinese(issued, member_a, firm_a):
    client = client_for(member_a)
    response = client.get(reverse("reports:pdf", args=[firm_a.pk, issued.pk]), headers={"accept-language": "zh-hans"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert issued.display_code in pdf_text(response.content)


def test_the_report_keeps_the_figures_of_its_day(issued, firm_a, roles):
    before = issued.figures["scorecard"]["total"]
    firm_a.establishments.all().delete()
    firm_a.export_records.all().delete()
    live = roles["member_a"].get(f"/firms/{firm_a.pk}/maturity/", {"year": YEAR}).context["scorecard"]["total"]
    assert live != before
    html = roles["anonymous"].get(reverse("reports:verify_code", args=[issued.display_code])).content.decode()
    assert f"{before} / 100" in html


def test_a_verified_assessment_of_the_year_is_named_in_the_report(firm_a, member_a, officer):
    records_for(firm_a)
    assessment = verify_all(submitted(firm_a, member_a), officer)
    client_for(member_a).post(reverse("reports:list", args=[firm_a.pk]), {"year": YEAR})
    report = IssuedReport.objects.get()
    assert report.figures["verified"]["total"] == str(assessment.verified_total)
    html = client_for(None).get(reverse("reports:verify_code", args=[report.code])).content.decode()
    assert f"total {assessment.verified_total}, stage {assessment.verified_stage}" in html


def test_a_year_without_an_exchange_rate_issues_nothing_and_says_why(firm_a, member_a):
    records_for(firm_a)
    firm_a.annual_reports.update(currency="XOF")
    response = client_for(member_a).post(reverse("reports:list", args=[firm_a.pk]), {"year": YEAR}, follow=True)
    assert response.status_code == 200 and not IssuedReport.objects.exists()
    assert any(message.level_tag == "error" for message in response.context["messages"])


@pytest.mark.parametrize("year", ["", "1800", "abc", str(YEAR + 50)])
def test_a_bad_year_issues_nothing(firm_a, member_a, year):
    response = client_for(member_a).post(reverse("reports:list", args=[firm_a.pk]), {"year": year})
    assert response.status_code == 302 and not IssuedReport.objects.exists()


def test_without_weasyprint_the_site_still_serves_and_the_pdf_says_it_cannot(issued, member_a, firm_a, monkeypatch):
    def unavailable(html):
        raise pdf.PdfUnavailable("no pango")

    monkeypatch.setattr(pdf, "render_pdf", unavailable)
    response = client_for(member_a).get(reverse("reports:pdf", args=[firm_a.pk, issued.pk]))
    assert response.status_code == 302 and response.url == reverse("reports:list", args=[firm_a.pk])


def test_weasyprint_is_imported_only_when_a_pdf_is_rendered():
    script = (
        "import django, sys; django.setup(); import config.urls, reports.views, reports.pdf; "
        "from django.urls import reverse; reverse('reports:methodology'); "
        "sys.exit('weasyprint' in sys.modules)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "config.test_settings", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()[-500:]


# ---------------------------------------------------------------------------------- who may issue and download


def test_pdf_and_list_access_by_role(issued, roles, firm_a, firm_b):
    a, b = firm_a.pk, firm_b.pk
    member_only = expect(LOGIN, 200, 404, 404, 404)
    pages = {
        reverse("reports:pdf", args=[a, issued.pk]): member_only,
        reverse("reports:list", args=[a]): member_only,
        reverse("reports:list", args=[b]): expect(LOGIN, 404, 200, 404, 404),
        # firm A's report under firm B's address: nobody
        reverse("reports:pdf", args=[b, issued.pk]): expect(LOGIN, 404, 404, 404, 404),
    }
    for role in ROLE_NAMES:
        for url, expected in pages.items():
            check(roles[role].get(url), expected[role], role, url)


def test_only_a_member_issues_the_firm_s_report(roles, firm_a):
    records_for(firm_a)
    url = reverse("reports:list", args=[firm_a.pk])
    expected = expect(LOGIN, 302, 404, 404, 404)
    for role in ROLE_NAMES:
        check(roles[role].post(url, {"year": YEAR}), expected[role], role, url)
    assert IssuedReport.objects.get().issued_by.username == "member_a"


def test_the_list_shows_the_firm_s_codes(issued, roles, firm_a):
    html = roles["member_a"].get(reverse("reports:list", args=[firm_a.pk])).content.decode()
    assert issued.display_code in html and reverse("reports:pdf", args=[firm_a.pk, issued.pk]) in html


# ---------------------------------------------------------------------------------- checking a code


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_everyone_can_check_a_real_code(issued, roles, role):
    response = roles[role].get(reverse("reports:verify_code", args=[issued.display_code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="verify-valid"' in html and 'id="verify-not-valid"' not in html
    assert "甲科技有限公司" in html and "Alpha Technology" in html
    assert f"{issued.figures['scorecard']['total']} / 100" in html
    assert issued.issued_at.astimezone().strftime("%Y-%m-%d") in html


@pytest.mark.parametrize("typed", ["lower", "plain", "spaced"])
def test_a_code_is_read_as_people_type_it(issued, client, typed):
    code = {
        "lower": issued.display_code.lower(),
        "plain": issued.code,
        "spaced": " " + issued.display_code.replace("-", " ") + " ",
    }[typed]
    response = client.get(reverse("reports:verify"), {"code": code})
    assert response.status_code == 302 and response.url == reverse("reports:verify_code", args=[issued.display_code])


def _altered(code: str) -> str:
    """The code with its last character changed to another character of the alphabet."""
    other = next(c for c in codes.ALPHABET if c != code[-1])
    return code[:-1] + other


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_forged_and_altered_codes_are_refused(issued, roles, role):
    forged = codes.new_code()
    for code in (forged, _altered(issued.code), "ABCD-EFGH", "X" * 200, "../../etc", "ABCD-EFGH-JKMN-PQRU", "%00"):
        response = roles[role].get(f"/verify/{quote(code, safe='')}/")
        assert response.status_code == 404, code
        html = response.content.decode()
        assert "甲科技有限公司" not in html, code
        if "/" not in code:
            assert 'id="verify-not-valid"' in html, code
        response = roles[role].get(reverse("reports:verify"), {"code": code[:40]})
        assert response.status_code == 404 and 'id="verify-not-valid"' in response.content.decode(), code


def test_the_verification_form_page(client):
    response = client.get(reverse("reports:verify"))
    assert response.status_code == 200 and 'name="code"' in response.content.decode()


def test_a_code_is_80_random_bits_of_crockford_base_32():
    drawn = {codes.new_code() for _ in range(200)}
    assert len(drawn) == 200
    assert all(len(code) == 16 and set(code) <= set(codes.ALPHABET) for code in drawn)
    assert len(codes.ALPHABET) ** codes.LENGTH == 2**80
    assert codes.normalize("abcd-efgh-ijkl-mnop") == "ABCDEFGH1JK1MN0P"
    assert codes.normalize("ABCD-EFGH-JKMN-PQRU") is None  # U is not in the alphabet


# ---------------------------------------------------------------------------------- the URL x role matrix

MEMBER_ONLY = expect(LOGIN, 200, 404, 404, 404)
EVERYONE = expect(200, 200, 200, 200, 200)


def _matrix(world) -> dict[str, dict]:
    firm, report = world.firm_a.pk, world.issued
    return {
        reverse("reports:methodology"): EVERYONE,
        reverse("reports:verify"): EVERYONE,
        reverse("reports:verify_code", args=[report.display_code]): EVERYONE,
        reverse("reports:list", args=[firm]): MEMBER_ONLY,
        reverse("reports:pdf", args=[firm, report.pk]): MEMBER_ONLY,
    }


def matrix_urls(world):
    return list(_matrix(world))


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_every_report_url_by_role(issued, roles, firm_a, role):
    world = SimpleNamespace(firm_a=firm_a, issued=issued)
    for url, expected in _matrix(world).items():
        check(roles[role].get(url), expected[role], role, url)
