"""The public methodology page (issue 13, point 6): the scheme in force, both languages, every abbreviation
explained and linked from the pages that show it."""

import re

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from assessments import glossary, services
from assessments.scoring import COMPONENT_KEYS
from tests.conftest import ROLE_NAMES
from tests.workflow_helpers import YEAR, make_round, records_for
from tests.workflow_helpers import default_scheme as scheme_in_force

pytestmark = pytest.mark.django_db

METHODOLOGY = "/methodology/"


def weight_cells(html: str) -> dict[str, str]:
    return dict(re.findall(r'id="weight-(\w+)">([^<]*)<', html))


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_everyone_reads_the_methodology_without_logging_in(roles, role):
    response = roles[role].get(METHODOLOGY)
    assert response.status_code == 200
    html = response.content.decode()
    assert weight_cells(html) == {
        "stage": "30",
        "geography": "10",
        "tni": "20",
        "breadth": "10",
        "pct": "15",
        "certifications": "10",
        "publications": "5",
    }


def test_the_page_shows_the_weights_and_caps_of_the_scheme_in_force(client):
    scheme = scheme_in_force()
    scheme.weights = {**scheme.weights, "stage": 25, "tni": "27.5", "publications": "2.5"}
    scheme.caps = {**scheme.caps, "pct": 8}
    scheme.save()

    html = client.get(METHODOLOGY).content.decode()

    cells = weight_cells(html)
    assert (cells["stage"], cells["tni"], cells["publications"]) == ("25", "27.5", "2.5")
    assert sum(float(value) for value in cells.values()) == 100
    assert "ln(1 + raw) ÷ ln(1 + 8)" in html and "ln(1 + 10)" not in html
    assert f"no. {scheme.pk}" in html and scheme.name in html


def test_another_default_scheme_replaces_the_old_one_on_the_page(client):
    old = scheme_in_force()
    old.is_default = False
    old.save()
    weights = dict.fromkeys(COMPONENT_KEYS, 10) | {"stage": 40}
    services.ScoringScheme.objects.create(
        name="Scheme 2027", weights=weights, caps=old.caps, neighbouring=old.neighbouring, is_default=True
    )
    html = client.get(METHODOLOGY).content.decode()
    assert "Scheme 2027" in html and weight_cells(html)["stage"] == "40"


def test_the_page_is_served_in_chinese(client):
    response = client.get(METHODOLOGY, headers={"accept-language": "zh-hans"})
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


def test_the_footer_links_the_methodology_and_the_verification_page_for_everyone(client):
    html = client.get(reverse("rewards:public_list")).content.decode()
    assert f'href="{METHODOLOGY}"' in html and 'href="/verify/"' in html


def test_every_abbreviation_has_its_anchor_on_the_methodology_page(client):
    html = client.get(METHODOLOGY).content.decode()
    for _title, anchor in glossary.ABBREVIATIONS.values():
        assert len(re.findall(rf'id="{anchor}"', html)) == 1, anchor


def test_the_methodology_cites_the_study_and_the_uppsala_papers(client):
    html = client.get(METHODOLOGY).content.decode()
    assert "Zhongguancun" in html and "Johanson" in html and "Wiedersheim-Paul" in html and "Vahlne" in html
    for stage in range(5):
        assert f'id="stage-{stage}"' in html


# ---------------------------------------------------------------------------------- abbreviations


def test_abbreviate_links_known_abbreviations_and_escapes_the_rest():
    with translation.override("en"):
        html = glossary.abbreviate("<b>mean of FSTS 0.24, FATA 0.06</b>; SMEs only; 跨国指数（TNI）")
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert html.count("<abbr") == 4
    assert f'href="{METHODOLOGY}#fsts"' in html and f'href="{METHODOLOGY}#tni"' in html
    assert '<abbr title="Small or medium-sized enterprise">SME</abbr></a>s only' in html


def test_an_abbreviation_follows_the_language_and_the_url_prefix():
    """The rendered link is kept per language and prefix: one language's tooltip never shows in another."""
    with translation.override("zh-hans"):
        chinese = glossary.abbr("TNI")
    with translation.override("en"):
        english = glossary.abbr("TNI")
    assert chinese != english
    assert 'title="Transnationality index (UNCTAD): the mean of FSTS, FATA and FETE"' in english
    with translation.override("en"):
        set_script_prefix("/park/")
        try:
            prefixed = glossary.abbr("TNI")
        finally:
            set_script_prefix("/")
        assert glossary.abbr("TNI") == english
    assert 'href="/park/methodology/#tni"' in prefixed


def test_abbreviate_leaves_longer_words_alone():
    assert "<abbr" not in glossary.abbreviate("HHIX aTNI PCTs2 SMEX")


def test_the_maturity_report_explains_its_abbreviations(world_a):
    client, firm = world_a
    html = client.get(f"/firms/{firm.pk}/maturity/", {"year": YEAR}).content.decode()
    for short in ("FSTS", "FATA", "FETE", "HHI", "TNI", "PCT", "USCC"):
        anchor = glossary.ABBREVIATIONS[short][1]
        link = rf'<a class="abbr-link" href="{METHODOLOGY}#{anchor}"><abbr title="[^"]+">{short}</abbr>'
        assert re.search(link, html), short
    assert ">FSTS 0" not in html  # never bare


def test_the_simulation_form_labels_its_weights_with_explained_abbreviations(roles, administrator):
    reward_round = make_round(status="ranked")
    html = roles["administrator"].get(reverse("rewards:simulate", args=[reward_round.pk])).content.decode()
    label = re.search(r'for="id_weight_tni"[^>]*>(.*?)</label>', html, re.S).group(1)
    assert "Transnationality" in label and f'href="{METHODOLOGY}#tni"' in label and "weight: tni" not in html


@pytest.fixture
def world_a(firm_a, member_a):
    from tests.conftest import client_for

    records_for(firm_a)
    return client_for(member_a), firm_a


@pytest.mark.parametrize(("url", "role"), [("/", "anonymous"), ("/statistics/", "officer")])
def test_pct_explains_itself_on_the_home_and_statistics_pages(url, role, roles):
    """Seen: "PCT" on the landing page and the statistics page's PCT breakdown had no explanation."""
    html = roles[role].get(url).content.decode()
    assert '<abbr title="' in html and ">PCT</abbr>" in html
