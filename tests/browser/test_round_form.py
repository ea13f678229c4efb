"""The administrator's round form adds tier rows in the browser; the simulation sums its weights live."""

import pytest

from accounts.services import staff_user_create
from rewards.models import RoundStatus
from tests.browser.conftest import log_in
from tests.workflow_helpers import make_round

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "journey-Password-2014"


@pytest.fixture
def administrator_page(page):
    staff_user_create(username="admin9", email="admin9@example.org", password=PASSWORD, role="administrator")
    log_in(page, "admin9", PASSWORD)
    return page


def test_tier_rows_are_added_and_saved_as_percentages(administrator_page):
    page = administrator_page
    reward_round = make_round(status=RoundStatus.DRAFT, name="Tiered round")
    page.goto(f"/rounds/manage/{reward_round.pk}/edit/")
    rows = page.locator("[data-formset='tiers'] tbody tr")
    assert rows.count() == 3  # the round's two tiers and one empty row
    page.click("button[data-formset-add='tiers']")
    assert rows.count() == 4
    assert page.input_value("#id_tiers-TOTAL_FORMS") == "4"
    page.fill("#id_tiers-2-name", "C")
    page.fill("#id_tiers-2-value", "80")
    page.fill("#id_tiers-2-rate", "10")
    page.fill("#id_tiers-3-name", "D")
    page.fill("#id_tiers-3-value", "100")
    page.fill("#id_tiers-3-rate", "5")
    page.click("main form button[type=submit]:has-text('Save')")
    page.wait_for_selector("text=Round saved.")
    assert list(reward_round.tiers.order_by("position").values_list("name", flat=True)) == ["A", "B", "C", "D"]
    tiers = page.inner_text("main")
    assert "top 80%" in tiers and "10%" in tiers and "0.1000" not in tiers


def test_the_weights_sum_updates_while_typing(administrator_page):
    page = administrator_page
    reward_round = make_round(status=RoundStatus.CLOSED, name="Weights round")
    page.goto(f"/rounds/manage/{reward_round.pk}/simulate/")
    assert page.inner_text("#weight-sum") == "100"
    first = page.locator("input[name^='weight_']").first
    first.fill(str(float(first.input_value()) + 5))
    assert page.inner_text("#weight-sum") == "105"
    assert "text-danger" in page.get_attribute("#weight-sum", "class")
