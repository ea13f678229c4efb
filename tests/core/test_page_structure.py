"""Every page has one h1 and a skip link to its main content (issue 13); the browser tests check the main pages
with axe-core, these are the plain pages that only say something happened."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from rewards.models import RoundStatus
from tests.conftest import client_for
from tests.workflow_helpers import make_round

pytestmark = pytest.mark.django_db


def assert_structure(html: str, where: str) -> None:
    assert html.count("<h1") == 1, f"{where}: {html.count('<h1')} h1 elements"
    assert 'class="skip-link visually-hidden-focusable" href="#main"' in html, where
    assert '<main class="container pb-5" id="main" tabindex="-1">' in html, where


@pytest.mark.parametrize("name", ["password_reset_done", "password_reset_complete", "login", "password_reset"])
def test_pages_of_anonymous_visitors(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_structure(response.content.decode(), name)


def test_password_changed_page(member_a):
    response = client_for(member_a).get(reverse("password_change_done"))
    assert response.status_code == 200
    assert_structure(response.content.decode(), "password_change_done")


def test_locked_out_page(member_a):
    request = RequestFactory().get("/accounts/login/")
    request.user = member_a
    assert_structure(render_to_string("registration/locked_out.html", request=request), "locked_out")


def test_each_tier_row_labels_its_fields_with_the_tier(administrator):
    """The tier table repeated "tier", "bound", "value" in every row: a screen reader could not tell the rows apart."""
    reward_round = make_round(status=RoundStatus.DRAFT)
    html = client_for(administrator).get(reverse("rewards:edit", args=[reward_round.pk])).content.decode()
    for number in (1, 2, 3):
        for label in ("tier", "bound", "value", "compensation rate (%)", "cap per firm (CNY)", "Delete"):
            assert re.search(rf">\s*Tier {number}: {re.escape(label)}", html), (number, label)
    assert not re.search(r">\s*tier\s*<", html)
