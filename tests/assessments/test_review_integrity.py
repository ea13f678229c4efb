"""Review integrity (DESIGN §8): a verified score comes only from judged items, "verify all remaining items"
records one verdict per item by the officer who chose it, decisions freeze with the round's ranking, and
the firm's page offers only what can succeed."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.text import slugify

from assessments import scoring, services
from assessments.errors import UnjudgedItems, WorkflowError
from assessments.models import Assessment, AssessmentStatus, AssessmentTransition, ItemReview
from assessments.snapshots import item_keys, profile_from_snapshot
from rewards import services as round_services
from tests.conftest import client_for
from tests.factories import ExportRecordFactory
from tests.workflow_helpers import YEAR, judge_every_item, make_round, records_for, submitted, verified_row

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture
def under_review(firm_a, member_a):
    records_for(firm_a)
    for country in ("US", "JP", "FR"):
        ExportRecordFactory(enterprise=firm_a, year=YEAR, destination=country, value=Decimal("1000.00"))
    return submitted(firm_a, member_a)


def keys_of(assessment: Assessment) -> list[str]:
    return item_keys(assessment.current_snapshot.data)


# ---------------------------------------------------------------- seen: verify with no verdicts at all


def test_verify_is_refused_while_items_have_no_verdict(under_review, officer):
    keys = keys_of(under_review)
    with pytest.raises(UnjudgedItems) as refused:
        services.assessment_verify(assessment_id=under_review.pk, actor=officer)
    assert refused.value.count == len(keys) and refused.value.first_key == keys[0]
    assert f"{len(keys)} items have no verdict yet" in str(refused.value)
    after = Assessment.objects.get(pk=under_review.pk)
    assert (after.status, after.verified_total, after.verified_scorecard) == (S.SUBMITTED, None, None)

    # one item left: still refused, and the message counts one
    judge_every_item(under_review, officer, keys=keys[:-1])
    ItemReview.objects.filter(item_key=keys[-1]).delete()
    with pytest.raises(UnjudgedItems, match="1 item has no verdict yet") as refused:
        services.assessment_verify(assessment_id=under_review.pk, actor=officer)
    assert refused.value.first_key == keys[-1]


def test_the_verify_button_names_the_count_and_links_to_the_first_item(under_review, officer):
    client = client_for(officer)
    keys = keys_of(under_review)
    page = client.get(f"/review/{under_review.pk}/").content.decode()
    assert 'id="decide-verify"' not in page  # no button that would fail
    assert f"{len(keys)} items have no verdict yet" in page
    assert f'href="#verdict-{slugify(keys[0])}"' in page
    assert f'name="expected" value="{len(keys)}"' in page  # the confirmation carries the count it states

    response = client.post(f"/review/{under_review.pk}/decide/", {"action": "verify"})
    assert response.status_code == 302
    assert response.url == f"/review/{under_review.pk}/#verdict-{slugify(keys[0])}"
    page = client.get(response.url).content.decode()
    assert f"{len(keys)} items have no verdict yet" in page and "Go to the first one." in page
    assert Assessment.objects.get(pk=under_review.pk).status == S.SUBMITTED

    judge_every_item(under_review, officer)
    page = client.get(f"/review/{under_review.pk}/").content.decode()
    assert 'id="decide-verify"' in page and "no verdict yet" not in page


def test_htmx_verdict_refreshes_the_decision_card(under_review, officer):
    keys = keys_of(under_review)
    judge_every_item(under_review, officer, keys=keys[1:])
    ItemReview.objects.filter(item_key=keys[0]).delete()
    response = client_for(officer).post(
        f"/review/{under_review.pk}/items/", {"item_key": keys[0], "verified": "1"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'id="decision-card" hx-swap-oob="true"' in html
    assert 'id="decide-verify"' in html and "no verdict yet" not in html


def test_verify_all_remaining_records_one_verdict_per_item_by_the_officer(under_review, officer):
    keys = keys_of(under_review)
    services.item_review_set(
        assessment_id=under_review.pk, item_key=keys[0], verified=False, comment="blurry", actor=officer
    )
    count = services.item_reviews_verify_remaining(assessment_id=under_review.pk, expected=len(keys) - 1, actor=officer)
    assert count == len(keys) - 1
    reviews = {r.item_key: r for r in ItemReview.objects.filter(snapshot=under_review.current_snapshot)}
    assert set(reviews) == set(keys)
    assert reviews[keys[0]].verified is False and reviews[keys[0]].comment == "blurry"  # a verdict is kept
    assert all(reviews[k].verified and reviews[k].reviewer == officer for k in keys[1:])
    # each verdict is in the item history, by that officer; the action is in the assessment's history
    history = ItemReview.history.filter(item_key__in=keys[1:])
    assert history.count() == len(keys) - 1 and {h.history_user for h in history} == {officer}
    transition = AssessmentTransition.objects.get(assessment=under_review, action="verify_remaining")
    assert transition.actor == officer and str(len(keys) - 1) in transition.comment
    assert Assessment.objects.get(pk=under_review.pk).status == S.SUBMITTED  # verifying is its own step

    with pytest.raises(WorkflowError, match="already has a verdict"):
        services.item_reviews_verify_remaining(assessment_id=under_review.pk, expected=1, actor=officer)


def test_verify_all_remaining_refuses_a_stale_count(under_review, officer):
    keys = keys_of(under_review)
    with pytest.raises(WorkflowError, match=f"{len(keys)} items are without a verdict now, not 3"):
        services.item_reviews_verify_remaining(assessment_id=under_review.pk, expected=3, actor=officer)
    assert not ItemReview.objects.exists()
    response = client_for(officer).post(f"/review/{under_review.pk}/verify-remaining/", {"expected": "x"})
    assert response.status_code == 302 and not ItemReview.objects.exists()


def test_verify_all_remaining_through_the_page(under_review, officer):
    keys = keys_of(under_review)
    client = client_for(officer)
    response = client.post(f"/review/{under_review.pk}/verify-remaining/", {"expected": len(keys)}, follow=True)
    assert f"{len(keys)} remaining items marked verified" in response.content.decode()
    client.post(f"/review/{under_review.pk}/decide/", {"action": "verify"})
    assert Assessment.objects.get(pk=under_review.pk).status == S.VERIFIED


def test_a_fully_verified_snapshot_scores_what_the_scorer_gives_the_same_data(under_review, officer):
    keys = keys_of(under_review)
    services.item_reviews_verify_remaining(assessment_id=under_review.pk, expected=len(keys), actor=officer)
    verified = services.assessment_verify(assessment_id=under_review.pk, actor=officer)
    data = verified.current_snapshot.data
    expected = scoring.score(scoring.parse_profile(profile_from_snapshot(data)), verified.scheme.to_engine())
    assert verified.verified_total == Decimal(expected["total"]) == verified.self_total
    assert verified.verified_scorecard == expected


def test_return_and_reject_work_with_unjudged_items_and_need_a_comment(under_review, officer, firm_a, member_a):
    with pytest.raises(Exception, match="Say what the firm must correct"):
        services.assessment_return(assessment_id=under_review.pk, actor=officer, comment=" ")
    services.assessment_return(assessment_id=under_review.pk, actor=officer, comment="Add the invoice.")
    services.assessment_submit(assessment_id=under_review.pk, actor=member_a)
    services.assessment_reject(assessment_id=under_review.pk, actor=officer, comment="Not a tech firm.")
    assert Assessment.objects.get(pk=under_review.pk).status == S.REJECTED


# -------------------------------------------------------------- decisions freeze with the round's ranking


@pytest.fixture
def round_case(firm_a, member_a, officer, administrator):
    records_for(firm_a)
    reward_round = make_round()
    assessment = submitted(firm_a, member_a, reward_round=reward_round)
    verified_row(reward_round, total="60")
    round_services.round_close(round_id=reward_round.pk, actor=administrator, confirmed=True)
    return reward_round, assessment


def test_decisions_of_a_ranked_round_are_refused_until_it_is_reopened(round_case, officer, administrator):
    reward_round, assessment = round_case
    round_services.round_rank(round_id=reward_round.pk, actor=administrator, exclude_undecided=True)
    key = keys_of(assessment)[0]
    for attempt in (
        lambda: services.item_review_set(
            assessment_id=assessment.pk, item_key=key, verified=True, comment="", actor=officer
        ),
        lambda: services.assessment_return(assessment_id=assessment.pk, actor=officer, comment="x"),
        lambda: services.assessment_reject(assessment_id=assessment.pk, actor=officer, comment="x"),
        lambda: services.item_reviews_verify_remaining(assessment_id=assessment.pk, expected=1, actor=officer),
    ):
        with pytest.raises(WorkflowError, match="is ranked: its decisions are frozen"):
            attempt()
    page = client_for(officer).get(f"/review/{assessment.pk}/").content.decode()
    assert "its decisions are frozen" in page and 'id="decision-form"' not in page and "hx-post" not in page

    round_services.round_reopen(round_id=reward_round.pk, actor=administrator, comment="Late evidence.")
    services.assessment_return(assessment_id=assessment.pk, actor=officer, comment="Add the invoice.")
    assert Assessment.objects.get(pk=assessment.pk).status == S.RETURNED


def test_decisions_of_a_published_round_are_refused_for_good(round_case, officer, administrator):
    """Seen: an officer could still verify an assessment of a published round."""
    reward_round, assessment = round_case
    round_services.round_rank(round_id=reward_round.pk, actor=administrator, exclude_undecided=True)
    round_services.round_publish(round_id=reward_round.pk, actor=administrator)
    with pytest.raises(WorkflowError, match="is published: its decisions are final"):
        judge_every_item(assessment, officer)
    with pytest.raises(WorkflowError, match="is published: its decisions are final"):
        services.assessment_verify(assessment_id=assessment.pk, actor=officer)
    assert Assessment.objects.get(pk=assessment.pk).status == S.SUBMITTED


# ----------------------------------------------------- seen: Resubmit offered after the round was published


def test_a_returned_assessment_of_a_published_round_offers_a_self_assessment(firm_a, member_a, officer, administrator):
    records_for(firm_a)
    reward_round = make_round()
    assessment = submitted(firm_a, member_a, reward_round=reward_round)
    services.assessment_return(assessment_id=assessment.pk, actor=officer, comment="Add the invoice.")
    verified_row(reward_round, total="60")
    round_services.round_close(round_id=reward_round.pk, actor=administrator, confirmed=True)
    round_services.round_rank(round_id=reward_round.pk, actor=administrator, exclude_undecided=True)
    round_services.round_publish(round_id=reward_round.pk, actor=administrator)

    client = client_for(member_a)
    url = f"/firms/{firm_a.pk}/assessments/{assessment.pk}/"
    page = client.get(url).content.decode()
    assert "Resubmit" not in page and f"/assessments/{assessment.pk}/submit/" not in page
    assert "is not open for submissions" in page
    assert "stage None" not in page and "it was not verified in time" in page
    assert f"Start a self-assessment for {YEAR} instead" in page

    response = client.post(f"/firms/{firm_a.pk}/assessments/", {"reference_year": YEAR, "round": ""})
    created = Assessment.objects.get(enterprise=firm_a, round__isnull=True, reference_year=YEAR)
    assert response.status_code == 302 and response.url.endswith(f"/assessments/{created.pk}/")
    page = client.get(url).content.decode()
    assert f"Open your self-assessment for {YEAR}" in page and f"/assessments/{created.pk}/" in page


def test_a_draft_of_a_round_not_yet_open_says_when_it_opens(firm_a, member_a):
    records_for(firm_a)
    reward_round = make_round()
    draft = services.assessment_create(
        enterprise=firm_a, reference_year=YEAR, actor=member_a, reward_round=reward_round
    )
    opens = timezone.now() + datetime.timedelta(days=45)
    type(reward_round).objects.filter(pk=reward_round.pk).update(
        submission_opens=opens, submission_closes=opens + datetime.timedelta(days=30)
    )
    page = client_for(member_a).get(f"/firms/{firm_a.pk}/assessments/{draft.pk}/").content.decode()
    assert "opens for submissions on" in page and 'id="submit-assessment-open"' not in page
    with pytest.raises(WorkflowError, match="opens for submissions on"):
        services.assessment_submit(assessment_id=draft.pk, actor=member_a)


def test_submit_and_delete_ask_for_confirmation(firm_a, member_a):
    records_for(firm_a)
    draft = services.assessment_create(enterprise=firm_a, reference_year=YEAR, actor=member_a)
    page = client_for(member_a).get(f"/firms/{firm_a.pk}/assessments/{draft.pk}/").content.decode()
    for dialog in ("submit-assessment", "delete-assessment"):
        assert f'data-bs-target="#{dialog}"' in page and f'id="{dialog}" tabindex="-1"' in page
    assert "Your records of the year are frozen as they are now" in page


def test_reject_asks_for_confirmation(under_review, officer):
    page = client_for(officer).get(f"/review/{under_review.pk}/").content.decode()
    assert 'data-bs-target="#decide-reject"' in page
    assert 'form="decision-form" name="action" value="reject"' in page
    assert 'name="action" value="reject" type="submit"' not in page  # no one-click reject
