"""The assessment workflow (DESIGN §2 `assessments`, §6): every action of the one state/action table from
every state and by every kind of actor, snapshots, the verified scorecard, emails, peers, evidence access,
and two officers acting at once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments import services, workflow
from assessments.errors import WorkflowError
from assessments.models import Assessment, AssessmentSnapshot, AssessmentStatus, AssessmentTransition, ItemReview
from assessments.permissions import evidence_visible_to
from assessments.selectors import MIN_PEERS, percentile, unjudged_item_keys
from assessments.snapshots import item_keys
from enterprises.models import AnnualReport, ExportRecord
from reference.models import ExchangeRate
from rewards.models import RoundStatus
from tests.conftest import client_for
from tests.factories import (
    AnnualReportFactory,
    EvidenceFileFactory,
    ExportRecordFactory,
    MembershipFactory,
    OfficerFactory,
)
from tests.workflow_helpers import (
    YEAR,
    assessment_in,
    firm_with_member,
    judge_every_item,
    make_round,
    race,
    records_for,
    submitted,
    verified_row,
    verify_all,
)

S = AssessmentStatus
A = workflow.Action
STATES = list(S.values)
ACTIONS = list(A.values)

#: What the workflow must allow, written out independently of workflow.TRANSITIONS:
#: state → {action: (role, resulting state; "deleted" for a deleted draft)}
EXPECTED = {
    S.DRAFT: {A.SUBMIT: ("member", S.SUBMITTED), A.DELETE: ("member", "deleted")},
    S.SUBMITTED: {
        A.ASSIGN: ("officer", S.SUBMITTED),
        A.REVIEW_ITEM: ("officer", S.SUBMITTED),
        A.VERIFY_REMAINING: ("officer", S.SUBMITTED),
        A.RETURN: ("officer", S.RETURNED),
        A.VERIFY: ("officer", S.VERIFIED),
        A.REJECT: ("officer", S.REJECTED),
    },
    S.RETURNED: {A.SUBMIT: ("member", S.SUBMITTED)},
    S.VERIFIED: {},
    S.REJECTED: {},
}


@pytest.fixture
def world(firm_a, member_a, firm_b, member_b, officer, administrator):
    records = records_for(firm_a)
    records_for(firm_b)
    second_officer = OfficerFactory(username="officer2")
    officer_member = OfficerFactory(username="officer_in_a")
    MembershipFactory(enterprise=firm_a, user=officer_member)
    return {
        "firm": firm_a,
        "member": member_a,
        "member_b": member_b,
        "officer": officer,
        "officer2": second_officer,
        "officer_member": officer_member,
        "administrator": administrator,
        "records": records,
    }


def first_key(assessment: Assessment) -> str:
    return item_keys(assessment.current_snapshot.data)[0]


def call(action: str, assessment: Assessment, actor, world, *, comment: str = "A comment.") -> object:
    """Take `action` on `assessment` as `actor` through the service function."""
    pk = assessment.pk
    if action == A.SUBMIT:
        return services.assessment_submit(assessment_id=pk, actor=actor)
    if action == A.DELETE:
        return services.assessment_delete(assessment_id=pk, actor=actor)
    if action == A.ASSIGN:
        return services.assessment_assign(assessment_ids=[pk], officer=world["officer2"], actor=actor)
    if action == A.REVIEW_ITEM:
        key = first_key(assessment) if assessment.snapshots.exists() else "annual_report:1"
        return services.item_review_set(assessment_id=pk, item_key=key, verified=True, comment="ok", actor=actor)
    if action == A.VERIFY_REMAINING:
        remaining = len(unjudged_item_keys(assessment.current_snapshot)) or 1
        return services.item_reviews_verify_remaining(assessment_id=pk, expected=remaining, actor=actor)
    if action == A.VERIFY and assessment.status == S.SUBMITTED:
        judge_every_item(assessment, actor)
    service = {
        A.RETURN: services.assessment_return,
        A.VERIFY: services.assessment_verify,
        A.REJECT: services.assessment_reject,
    }
    return service[action](assessment_id=pk, actor=actor, comment=comment)


def state_of(pk: int) -> dict:
    """Everything a refused action must leave unchanged."""
    assessment = Assessment.objects.filter(pk=pk).first()
    if assessment is None:
        return {"exists": False}
    return {
        "exists": True,
        "status": assessment.status,
        "reviewer": assessment.reviewer_id,
        "submitted_at": assessment.submitted_at,
        "decided_at": assessment.decided_at,
        "verified_total": assessment.verified_total,
        "self_total": assessment.self_total,
        "transitions": list(AssessmentTransition.objects.filter(assessment_id=pk).values_list("pk", flat=True)),
        "snapshots": list(AssessmentSnapshot.objects.filter(assessment_id=pk).values_list("pk", "version")),
        "reviews": list(ItemReview.objects.filter(snapshot__assessment_id=pk).values_list("pk", "verified", "comment")),
        "history": Assessment.history.filter(id=pk).count(),
    }


def test_expected_table_is_the_workflow_table():
    table = {state: {action: who for action, (who, _to) in actions.items()} for state, actions in EXPECTED.items()}
    assert table == {
        state: {action: who for action, (who, _to) in actions.items()}
        for state, actions in workflow.TRANSITIONS.items()
    }
    for state, actions in EXPECTED.items():
        for action, (_who, to) in actions.items():
            expected_target = None if to in ("deleted", state) else to
            assert workflow.target(state, action) == expected_target
    assert {A.RETURN, A.REJECT} == workflow.COMMENT_REQUIRED
    assert workflow.actions_for(S.DRAFT, workflow.MEMBER) == [A.SUBMIT, A.DELETE]
    assert workflow.actions_for(S.SUBMITTED, workflow.MEMBER) == []


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_from_every_state(state, action, world):
    assessment = assessment_in(state, world["firm"], world["member"], world["officer"])
    before = state_of(assessment.pk)
    expected = EXPECTED[state].get(action)
    actor = (
        world["member"]
        if (expected and expected[0] == "member") or (not expected and action in (A.SUBMIT, A.DELETE))
        else world["officer"]
    )
    started = timezone.now()
    if expected is None:
        with pytest.raises(WorkflowError) as refused:
            call(action, assessment, actor, world)
        message = str(refused.value)
        assert "no longer possible" in message
        assert assessment.get_status_display().lower() in message
        assert state_of(assessment.pk) == before
        return

    call(action, assessment, actor, world)
    _role, to = expected
    after = state_of(assessment.pk)
    if to == "deleted":
        assert after == {"exists": False}
        return
    assert after["status"] == to
    new_transitions = AssessmentTransition.objects.filter(assessment=assessment).exclude(pk__in=before["transitions"])
    if action in (A.ASSIGN, A.REVIEW_ITEM):
        assert not new_transitions.exists()  # the state stays; the change is audited elsewhere
        if action == A.ASSIGN:
            assert after["reviewer"] == world["officer2"].pk
            latest = Assessment.history.filter(id=assessment.pk).latest("history_date")
            assert latest.reviewer_id == world["officer2"].pk and latest.history_user == actor
        else:
            review = ItemReview.objects.get(snapshot__assessment=assessment)
            assert review.verified and review.reviewer == actor and review.reviewed_at >= started
        return
    (transition,) = new_transitions
    assert (transition.action, transition.from_status, transition.to_status) == (action, state, to)
    assert transition.actor == actor
    assert started <= transition.at <= timezone.now()
    if action in (A.RETURN, A.VERIFY, A.REJECT):
        assert transition.comment == "A comment."
        assert after["reviewer"] == actor.pk  # the deciding officer becomes the reviewer when nobody was assigned
    if action == A.SUBMIT:
        assert len(after["snapshots"]) == len(before["snapshots"]) + 1
    if to in (S.VERIFIED, S.REJECTED):
        assert after["decided_at"] is not None


def _wrong_actors(world, role: str) -> dict:
    if role == "member":
        return {
            "officer": (world["officer"], "Only members of the firm"),
            "administrator": (world["administrator"], "Only members of the firm"),
            "member of another firm": (world["member_b"], "Only members of the firm"),
        }
    return {
        "member of the firm": (world["member"], "Only officers"),
        "member of another firm": (world["member_b"], "Only officers"),
        "officer who is a member of the firm": (world["officer_member"], "member of this firm"),
    }


ALLOWED = [(state, action) for state, actions in EXPECTED.items() for action in actions]


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "action"), ALLOWED)
def test_allowed_actions_refuse_the_wrong_actor(state, action, world):
    assessment = assessment_in(state, world["firm"], world["member"], world["officer"])
    before = state_of(assessment.pk)
    for label, (actor, message) in _wrong_actors(world, EXPECTED[state][action][0]).items():
        with pytest.raises(WorkflowError, match=message):
            call(action, assessment, actor, world)
        assert state_of(assessment.pk) == before, label


@pytest.mark.django_db
def test_an_officer_who_is_a_member_cannot_be_assigned(world):
    assessment = submitted(world["firm"], world["member"])
    before = state_of(assessment.pk)
    with pytest.raises(ValidationError) as refused:
        services.assessment_assign(
            assessment_ids=[assessment.pk], officer=world["officer_member"], actor=world["officer"]
        )
    assert "member of" in str(refused.value.message_dict["officer"])
    assert state_of(assessment.pk) == before
    with pytest.raises(ValidationError):  # a firm user who is no officer cannot be assigned either
        services.assessment_assign(assessment_ids=[assessment.pk], officer=world["member_b"], actor=world["officer"])
    assert state_of(assessment.pk) == before


@pytest.mark.django_db
def test_batch_assignment_is_all_or_nothing(world, firm_b, member_b):
    mine = submitted(world["firm"], world["member"])
    theirs = assessment_in(S.VERIFIED, firm_b, member_b, world["officer"])
    with pytest.raises(WorkflowError, match="no longer possible"):
        services.assessment_assign(
            assessment_ids=[mine.pk, theirs.pk], officer=world["officer2"], actor=world["officer"]
        )
    assert Assessment.objects.get(pk=mine.pk).reviewer is None
    assert services.assessment_assign(assessment_ids=[mine.pk], officer=world["officer2"], actor=world["officer"]) == 1
    assert services.assessment_assign(assessment_ids=[mine.pk], officer=None, actor=world["officer"]) == 1
    assert Assessment.objects.get(pk=mine.pk).reviewer is None


@pytest.mark.django_db
@pytest.mark.parametrize("action", [A.RETURN, A.REJECT])
@pytest.mark.parametrize("comment", ["", "   \n "])
def test_return_and_reject_require_a_comment(action, comment, world):
    assessment = submitted(world["firm"], world["member"])
    before = state_of(assessment.pk)
    with pytest.raises(ValidationError) as refused:
        call(action, assessment, world["officer"], world, comment=comment)
    assert "comment" in refused.value.message_dict
    assert state_of(assessment.pk) == before


@pytest.mark.django_db
def test_verify_needs_no_comment(world):
    assessment = submitted(world["firm"], world["member"])
    judge_every_item(assessment, world["officer"])
    services.assessment_verify(assessment_id=assessment.pk, actor=world["officer"])
    assert Assessment.objects.get(pk=assessment.pk).status == S.VERIFIED


@pytest.mark.django_db
def test_double_submit_is_refused(world):
    assessment = submitted(world["firm"], world["member"])
    with pytest.raises(WorkflowError, match="no longer possible"):
        services.assessment_submit(assessment_id=assessment.pk, actor=world["member"])
    assert assessment.snapshots.count() == 1
    assert assessment.transitions.count() == 1


@pytest.mark.django_db
def test_review_item_must_be_part_of_the_snapshot(world):
    assessment = submitted(world["firm"], world["member"])
    with pytest.raises(ValidationError):
        services.item_review_set(
            assessment_id=assessment.pk, item_key="exports:999999", verified=True, comment="", actor=world["officer"]
        )
    assert not ItemReview.objects.exists()


# ----------------------------------------------------------------------------------------- snapshots


@pytest.mark.django_db
def test_later_edits_never_change_the_submitted_snapshot(world):
    assessment = submitted(world["firm"], world["member"])
    snapshot = assessment.snapshots.get()
    frozen_data, frozen_scorecard = snapshot.data, snapshot.scorecard
    export = world["records"]["export"]
    export.value = Decimal("9.00")
    export.save()
    ExportRecordFactory(enterprise=world["firm"], year=YEAR, destination="US", value=Decimal("5000000.00"))
    AnnualReport.objects.filter(pk=world["records"]["report"].pk).update(revenue_total=Decimal("99999999.00"))
    world["records"]["establishment"].delete()
    snapshot.refresh_from_db()
    assert snapshot.data == frozen_data
    assert snapshot.scorecard == frozen_scorecard
    assert [e["country"] for e in snapshot.data["exports"]] == ["DE"]
    assert snapshot.data["exports"][0]["value"]["amount"] == "3000000.00"
    assert len(snapshot.data["establishments"]) == 1


@pytest.mark.django_db
def test_resubmission_creates_version_2_and_keeps_version_1(world):
    assessment = submitted(world["firm"], world["member"])
    services.assessment_return(assessment_id=assessment.pk, actor=world["officer"], comment="Exports in US missing.")
    ExportRecordFactory(enterprise=world["firm"], year=YEAR, destination="US", value=Decimal("5000000.00"))
    services.assessment_submit(assessment_id=assessment.pk, actor=world["member"])
    v1, v2 = assessment.snapshots.order_by("version")
    assert (v1.version, v2.version) == (1, 2)
    assert [e["country"] for e in v1.data["exports"]] == ["DE"]
    assert sorted(e["country"] for e in v2.data["exports"]) == ["DE", "US"]
    assert assessment.current_snapshot == v2
    assert [t.to_status for t in assessment.transitions.all()] == [S.SUBMITTED, S.RETURNED, S.SUBMITTED]


@pytest.mark.django_db
def test_reviews_of_version_1_do_not_carry_over_to_version_2(world):
    assessment = submitted(world["firm"], world["member"])
    services.item_review_set(
        assessment_id=assessment.pk, item_key=first_key(assessment), verified=True, comment="", actor=world["officer"]
    )
    services.assessment_return(assessment_id=assessment.pk, actor=world["officer"], comment="Fix the report.")
    services.assessment_submit(assessment_id=assessment.pk, actor=world["member"])
    with pytest.raises(WorkflowError, match="no verdict yet"):  # version 1's verdict does not count
        services.assessment_verify(assessment_id=assessment.pk, actor=world["officer"])
    judge_every_item(assessment, world["officer"], keys=[])
    verified = services.assessment_verify(assessment_id=assessment.pk, actor=world["officer"])
    assert verified.verified_total == Decimal("0.00")  # nothing of version 2 was verified
    assert ItemReview.objects.filter(snapshot__version=1).count() == 1


# ------------------------------------------------------------------------------- verified scorecard


@pytest.mark.django_db
def test_verified_scorecard_counts_only_verified_items(world):
    assessment = submitted(world["firm"], world["member"])
    records = world["records"]
    assert assessment.self_stage == 3
    report_only = verify_all(assessment, world["officer"], keys=[f"annual_report:{records['report'].pk}"])
    assert report_only.verified_stage == 0
    assert report_only.verified_scorecard["stage"] == 0
    assert report_only.verified_scorecard["markets"] == {}
    assert report_only.verified_expenses == {}
    assert report_only.verified_total < assessment.self_total


@pytest.mark.django_db
def test_verifying_the_establishment_gives_stage_3(world):
    assessment = submitted(world["firm"], world["member"])
    records = world["records"]
    result = verify_all(
        assessment,
        world["officer"],
        keys=[f"annual_report:{records['report'].pk}", f"establishments:{records['establishment'].pk}"],
    )
    assert result.verified_stage == 3
    assert result.verified_scorecard["markets"] == {"DE": 3}
    assert result.verified_foreign_revenue == Decimal("12000000.00")
    assert result.verified_is_sme is True


@pytest.mark.django_db
def test_items_marked_not_verified_do_not_count(world):
    assessment = submitted(world["firm"], world["member"])
    records = world["records"]
    for key in item_keys(assessment.current_snapshot.data):
        services.item_review_set(
            assessment_id=assessment.pk,
            item_key=key,
            verified=not key.startswith(("establishments", "exports")),
            comment="no proof",
            actor=world["officer"],
        )
    result = services.assessment_verify(assessment_id=assessment.pk, actor=world["officer"])
    assert result.verified_stage == 0
    assert result.verified_expenses == {"exhibition": "100000.00"}
    assert records["expense"].pk  # the verified expense counts for the claim


@pytest.mark.django_db
def test_everything_verified_matches_the_self_reported_score(world):
    assessment = submitted(world["firm"], world["member"])
    result = verify_all(assessment, world["officer"])
    assert result.verified_total == assessment.self_total
    assert result.verified_scorecard == assessment.current_snapshot.scorecard


# ---------------------------------------------------------------------------------- submit refusals


@pytest.mark.django_db
def test_missing_exchange_rate_is_a_clear_error(world):
    AnnualReport.objects.filter(pk=world["records"]["report"].pk).update(currency="USD")
    assessment = services.assessment_create(enterprise=world["firm"], reference_year=YEAR, actor=world["member"])
    with pytest.raises(WorkflowError) as refused:
        services.assessment_submit(assessment_id=assessment.pk, actor=world["member"])
    assert "USD" in str(refused.value) and str(YEAR) in str(refused.value)
    assert "administrator" in str(refused.value)
    assert state_of(assessment.pk)["status"] == S.DRAFT
    assert not assessment.snapshots.exists()
    ExchangeRate.objects.create(currency="USD", year=YEAR, cny_per_unit=Decimal("6.16"))
    submitted_one = services.assessment_submit(assessment_id=assessment.pk, actor=world["member"])
    assert submitted_one.current_snapshot.data["annual_report"][0]["revenue_total"]["cny"] == "308000000.00"


@pytest.mark.django_db
def test_no_annual_report_is_refused(world):
    assessment = services.assessment_create(enterprise=world["firm"], reference_year=YEAR - 3, actor=world["member"])
    ExportRecordFactory(enterprise=world["firm"], year=YEAR - 3, destination="US")
    with pytest.raises(WorkflowError, match=f"annual report for {YEAR - 3}"):
        services.assessment_submit(assessment_id=assessment.pk, actor=world["member"])
    assert state_of(assessment.pk)["status"] == S.DRAFT
    assert not assessment.snapshots.exists()


@pytest.mark.django_db
def test_only_members_create_assessments(world):
    with pytest.raises(WorkflowError, match="Only members"):
        services.assessment_create(enterprise=world["firm"], reference_year=YEAR, actor=world["member_b"])
    with pytest.raises(WorkflowError, match="Only members"):
        services.assessment_create(enterprise=world["firm"], reference_year=YEAR, actor=world["officer"])
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_one_self_assessment_per_year(world):
    services.assessment_create(enterprise=world["firm"], reference_year=YEAR, actor=world["member"])
    with pytest.raises(ValidationError):
        services.assessment_create(enterprise=world["firm"], reference_year=YEAR, actor=world["member"])
    assert Assessment.objects.count() == 1


# ------------------------------------------------------------------------------------------ rounds


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "opens_days", "closes_days", "message"),
    [
        (RoundStatus.DRAFT, -1, 30, "not open"),
        (RoundStatus.CLOSED, -1, 30, "not open"),
        (RoundStatus.RANKED, -1, 30, "not open"),
        (RoundStatus.PUBLISHED, -1, 30, "not open"),
        (RoundStatus.OPEN, 2, 30, "opens for submissions on"),
        (RoundStatus.OPEN, -30, -1, "closed on"),
    ],
)
def test_submissions_outside_the_window_or_to_a_closed_round_are_refused(
    status, opens_days, closes_days, message, world
):
    now = timezone.now()
    reward_round = make_round(
        status=status,
        submission_opens=now + datetime.timedelta(days=opens_days),
        submission_closes=now + datetime.timedelta(days=closes_days),
    )
    with pytest.raises(WorkflowError, match=message) as refused:
        services.assessment_create(
            enterprise=world["firm"], reference_year=YEAR, actor=world["member"], reward_round=reward_round
        )
    assert reward_round.name in str(refused.value)
    assert not Assessment.objects.exists()

    # created while the round was open, submitted after it stopped accepting submissions
    good = make_round(name="Good round")
    assessment = services.assessment_create(
        enterprise=world["firm"], reference_year=YEAR, actor=world["member"], reward_round=good
    )
    type(good).objects.filter(pk=good.pk).update(
        status=status, submission_opens=reward_round.submission_opens, submission_closes=reward_round.submission_closes
    )
    with pytest.raises(WorkflowError, match=message):
        services.assessment_submit(assessment_id=assessment.pk, actor=world["member"])
    assert state_of(assessment.pk)["status"] == S.DRAFT
    assert not assessment.snapshots.exists()


@pytest.mark.django_db
def test_a_round_assessment_takes_the_rounds_year_and_scheme(world):
    reward_round = make_round()
    assessment = services.assessment_create(
        enterprise=world["firm"], reference_year=2001, actor=world["member"], reward_round=reward_round
    )
    assert assessment.reference_year == reward_round.reference_year
    assert assessment.scheme == reward_round.scheme
    with pytest.raises(ValidationError, match="already has an assessment in this round"):
        services.assessment_create(
            enterprise=world["firm"], reference_year=YEAR, actor=world["member"], reward_round=reward_round
        )


# Emails and notifications of the workflow steps: tests/notifications/test_events.py


# -------------------------------------------------------------------------------------------- peers


def _verified_with_peers(world, peers: int):
    assessment = verify_all(submitted(world["firm"], world["member"]), world["officer"])
    for i in range(peers):
        verified_row(None, total=str(10 + i * 10))
    return assessment


@pytest.mark.django_db
def test_percentile_needs_min_peers(world):
    assessment = _verified_with_peers(world, MIN_PEERS - 1)
    assert percentile(assessment) == (None, MIN_PEERS - 1)
    # peers of another year, industry group or size band, and unverified ones, do not count
    other_year = verified_row(None, total="50")
    Assessment.objects.filter(pk=other_year.pk).update(reference_year=YEAR - 1)
    verified_row(None, total="50", industry_group="biopharmaceutical")
    other_band = verified_row(None, total="50")
    Assessment.objects.filter(pk=other_band.pk).update(size_band="ge1b")
    draft_firm, draft_member = firm_with_member()
    AnnualReportFactory(enterprise=draft_firm, year=YEAR)
    submitted(draft_firm, draft_member)
    assert percentile(assessment) == (None, MIN_PEERS - 1)


@pytest.mark.django_db
def test_percentile_with_min_peers(world):
    assessment = _verified_with_peers(world, MIN_PEERS)  # peers 10, 20, 30, 40, 50
    value, peers = percentile(assessment)
    assert peers == MIN_PEERS
    below = sum(1 for t in (10, 20, 30, 40, 50) if t < assessment.verified_total)
    assert value == Decimal(below * 100 / MIN_PEERS).quantize(Decimal("1"))


@pytest.mark.django_db
def test_a_peer_firm_counts_once(world):
    assessment = _verified_with_peers(world, MIN_PEERS - 1)
    twice = Assessment.objects.filter(round__isnull=True).exclude(enterprise=world["firm"]).first()
    reward_round = make_round(status=RoundStatus.CLOSED)
    Assessment.objects.create(
        enterprise=twice.enterprise,
        reference_year=YEAR,
        round=reward_round,
        scheme=twice.scheme,
        status=S.VERIFIED,
        industry_group=twice.industry_group,
        size_band=twice.size_band,
        verified_total=Decimal("99"),
        verified_stage=3,
    )
    assert percentile(assessment) == (None, MIN_PEERS - 1)


@pytest.mark.django_db
def test_percentile_shown_on_the_detail_page_only_with_enough_peers(world):
    assessment = _verified_with_peers(world, MIN_PEERS - 1)
    client = client_for(world["member"])
    url = f"/firms/{world['firm'].pk}/assessments/{assessment.pk}/"
    page = client.get(url).content.decode()
    assert "Percentile" not in page and f"at least {MIN_PEERS} verified firms" in page
    verified_row(None, total="1")
    page = client.get(url).content.decode()
    assert f"among {MIN_PEERS} verified firms" in page


# ----------------------------------------------------------------------------------------- evidence


@pytest.mark.django_db
def test_evidence_visible_to_officers_once_submitted_never_for_drafts(world):
    evidence = EvidenceFileFactory(record=world["records"]["export"])
    officer, url = world["officer"], f"/evidence/{evidence.pk}/"
    assessment = services.assessment_create(enterprise=world["firm"], reference_year=YEAR, actor=world["member"])
    assert not evidence_visible_to(officer).filter(pk=evidence.pk).exists()
    assert client_for(officer).get(url).status_code == 404
    assert client_for(world["member"]).get(url).status_code == 200
    assert client_for(world["member_b"]).get(url).status_code == 404

    services.assessment_submit(assessment_id=assessment.pk, actor=world["member"])
    assert evidence_visible_to(officer).filter(pk=evidence.pk).exists()
    response = client_for(officer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(world["member_b"]).get(url).status_code == 404
    assert evidence in assessment.current_snapshot.evidence_files.all()


@pytest.mark.django_db
def test_another_firms_draft_evidence_stays_hidden(world, firm_b, member_b):
    export_b = ExportRecord.objects.filter(enterprise=firm_b).first()
    evidence_b = EvidenceFileFactory(record=export_b)
    submitted(world["firm"], world["member"])  # firm A's submission opens firm A's files only
    services.assessment_create(enterprise=firm_b, reference_year=YEAR, actor=member_b)
    assert client_for(world["officer"]).get(f"/evidence/{evidence_b.pk}/").status_code == 404


# ------------------------------------------------------------------------------ two officers at once


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_leave_one_result(world):
    # PostgreSQL: SELECT ... FOR UPDATE makes the second officer wait for the first; SQLite: BEGIN IMMEDIATE
    # serialises the two transactions (see workflow_helpers.race). Either way the second sees the new state.
    assessment = submitted(world["firm"], world["member"])
    judge_every_item(assessment, world["officer"])
    second = world["officer2"]
    outcomes = race(
        lambda: services.assessment_verify(assessment_id=assessment.pk, actor=world["officer"]),
        lambda: services.assessment_return(assessment_id=assessment.pk, actor=second, comment="Missing invoice."),
    )
    errors = [error for _result, error in outcomes if error is not None]
    successes = [result for result, error in outcomes if error is None]
    assert len(successes) == 1, outcomes
    assert len(errors) == 1 and isinstance(errors[0], WorkflowError), errors
    assert "no longer possible" in str(errors[0])
    final = Assessment.objects.get(pk=assessment.pk)
    assert final.status == successes[0].status
    decisions = AssessmentTransition.objects.filter(assessment=assessment).exclude(action=A.SUBMIT)
    assert decisions.count() == 1
    assert decisions.get().to_status == final.status


@pytest.mark.django_db
def test_a_double_create_is_a_validation_error_not_a_500(monkeypatch):
    from django.core.exceptions import ValidationError

    from assessments.models import Assessment as AssessmentModel

    firm, member = firm_with_member()
    services.assessment_create(enterprise=firm, reference_year=YEAR, actor=member)
    # the second request passed its own validation before the first one saved
    monkeypatch.setattr(AssessmentModel, "full_clean", lambda self, *a, **k: None)
    with pytest.raises(ValidationError):
        services.assessment_create(enterprise=firm, reference_year=YEAR, actor=member)
    assert AssessmentModel.objects.filter(enterprise=firm).count() == 1
