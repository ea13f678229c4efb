"""A ranked round (and its tiers) is read-only in Django admin (issue 12, point 4)."""

import pytest

from rewards import services
from rewards.models import Ranking, RewardRound, RoundStatus, RoundTier
from tests.conftest import client_for
from tests.rewards.test_rounds import _admin_form, round_in, round_state

pytestmark = pytest.mark.django_db
R = RoundStatus
BASE = "/admin/rewards"


@pytest.mark.parametrize("status", [R.RANKED, R.PUBLISHED])
def test_admin_cannot_change_the_budget_of_a_ranked_or_published_round(administrator, status):
    reward_round = round_in(status, administrator)
    before = round_state(reward_round.pk)
    client = client_for(administrator)
    page = client.get(f"{BASE}/rewardround/{reward_round.pk}/change/")
    assert page.status_code == 200 and 'name="budget"' not in page.content.decode()  # the read-only view
    form = _admin_form(reward_round) | {"budget": "99999999.00"}
    response = client.post(f"{BASE}/rewardround/{reward_round.pk}/change/", form)
    assert response.status_code == 403
    tier = reward_round.tiers.first()
    assert tier is not None
    refused = [
        client.post(f"{BASE}/rewardround/{reward_round.pk}/delete/", {"post": "yes"}),
        client.post(f"{BASE}/ranking/{Ranking.objects.filter(round=reward_round).first().pk}/delete/", {"post": "yes"}),
    ]
    assert all(r.status_code == 403 for r in refused)
    history = RewardRound.history.filter(id=reward_round.pk).earliest("history_date")
    revert = client.post(f"{BASE}/rewardround/{reward_round.pk}/history/{history.history_id}/", form)
    assert revert.status_code == 403
    assert round_state(reward_round.pk) == before and RoundTier.objects.filter(pk=tier.pk).exists()


def test_a_ranked_round_still_publishes_after_the_refused_change(administrator):
    reward_round = round_in(R.RANKED, administrator)
    client_for(administrator).post(
        f"{BASE}/rewardround/{reward_round.pk}/change/", _admin_form(reward_round) | {"budget": "1.00"}
    )
    services.round_publish(round_id=reward_round.pk, actor=administrator)
    assert RewardRound.objects.get(pk=reward_round.pk).status == R.PUBLISHED


def test_a_closed_round_is_still_editable_in_admin(administrator):
    reward_round = round_in(R.CLOSED, administrator)
    response = client_for(administrator).post(
        f"{BASE}/rewardround/{reward_round.pk}/change/", _admin_form(reward_round) | {"budget": "2.00"}
    )
    assert response.status_code == 302
    assert str(RewardRound.objects.get(pk=reward_round.pk).budget) == "2.00"
