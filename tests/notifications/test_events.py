"""Who is notified of each workflow and round step, in which language, by email and in the site, and once."""

import pytest
from django.core import mail

from assessments import services
from notifications.models import EmailOptOut, Notification, NotificationKind
from rewards import services as round_services
from rewards.models import RoundStatus
from tests.factories import MembershipFactory, OfficerFactory, UserFactory
from tests.workflow_helpers import firm_with_member, make_round, records_for, submitted, verify_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(firm_a, member_a, officer, administrator):
    records_for(firm_a)
    editor = MembershipFactory(enterprise=firm_a, user=UserFactory(username="editor_a", language="zh-hans")).user
    return {"firm": firm_a, "member": member_a, "editor": editor, "officer": officer, "admin": administrator}


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_submit_notifies_the_assigned_officer_only(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assessment = submitted(world["firm"], world["member"])
    assert mail.outbox == []  # nobody assigned: the review queue shows it
    assert not Notification.objects.exists()

    reviewer = OfficerFactory(username="reviewer")
    services.assessment_assign(assessment_ids=[assessment.pk], officer=reviewer, actor=world["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_return(assessment_id=assessment.pk, actor=reviewer, comment="Add the DE invoice.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(assessment_id=assessment.pk, actor=world["member"])
    (message,) = mail.outbox
    assert message.to == [reviewer.email]
    assert "submitted" in message.subject.lower() and "version 2" in message.body
    notification = Notification.objects.get(recipient=reviewer, kind=NotificationKind.ASSESSMENT_SUBMITTED)
    assert notification.url == f"/review/{assessment.pk}/"


def test_return_reject_and_verify_go_to_every_member_in_their_language(world, django_capture_on_commit_callbacks):
    assessment = submitted(world["firm"], world["member"])
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_return(assessment_id=assessment.pk, actor=world["officer"], comment="Add the DE invoice.")
    assert {tuple(m.to) for m in mail.outbox} == {(world["member"].email,), (world["editor"].email,)}
    assert all("Add the DE invoice." in m.body for m in mail.outbox)

    services.assessment_submit(assessment_id=assessment.pk, actor=world["member"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        verify_all(assessment, world["officer"])
    (english,) = emails_to(world["member"].email)
    (chinese,) = emails_to(world["editor"].email)
    assert english.subject.startswith("Assessment verified")
    assert chinese.subject.startswith("评估已核实")
    assert len(mail.outbox) == 2  # once each, the officer gets no copy of its own decision
    assert Notification.objects.filter(kind=NotificationKind.ASSESSMENT_VERIFIED).count() == 2


def test_reject_reaches_members_with_the_reason(world, django_capture_on_commit_callbacks):
    assessment = submitted(world["firm"], world["member"])
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_reject(assessment_id=assessment.pk, actor=world["officer"], comment="Out of scope.")
    assert len(mail.outbox) == 2
    assert all("Out of scope." in m.body for m in mail.outbox)
    assert not emails_to(world["officer"].email)


def test_a_switched_off_kind_sends_no_email_but_keeps_the_notification(world, django_capture_on_commit_callbacks):
    EmailOptOut.objects.create(user=world["editor"], kind=NotificationKind.ASSESSMENT_REJECTED)
    assessment = submitted(world["firm"], world["member"])
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_reject(assessment_id=assessment.pk, actor=world["officer"], comment="Out of scope.")
    assert [m.to for m in mail.outbox] == [[world["member"].email]]
    assert Notification.objects.filter(recipient=world["editor"]).count() == 1


def test_refused_actions_notify_nobody(world, django_capture_on_commit_callbacks):
    from assessments.errors import WorkflowError

    assessment = submitted(world["firm"], world["member"])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError):
        services.assessment_submit(assessment_id=assessment.pk, actor=world["member"])
    assert mail.outbox == [] and not Notification.objects.exists()


def test_round_opened_reaches_members_of_eligible_firms_only(
    world, firm_b, member_b, django_capture_on_commit_callbacks
):
    other_firm, other_member = firm_with_member()
    records_for(other_firm)
    # firm A: a verified assessment at stage >= 2; firm B: none; other firm: verified but below the stage rule
    verify_all(submitted(world["firm"], world["member"]), world["officer"])
    low = verify_all(submitted(other_firm, other_member), world["officer"])
    low.__class__.objects.filter(pk=low.pk).update(verified_stage=1)
    reward_round = make_round(status=RoundStatus.DRAFT, min_stage=2, reference_year=2015)
    mail.outbox.clear()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        round_services.round_open(round_id=reward_round.pk, actor=world["admin"])
    assert {m.to[0] for m in mail.outbox} == {world["member"].email, world["editor"].email}
    assert set(Notification.objects.values_list("kind", flat=True)) == {NotificationKind.ROUND_OPENED}


def test_round_opened_without_data_rules_reaches_every_firm(
    world, firm_b, member_b, django_capture_on_commit_callbacks
):
    reward_round = make_round(status=RoundStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        round_services.round_open(round_id=reward_round.pk, actor=world["admin"])
    assert {m.to[0] for m in mail.outbox} == {world["member"].email, world["editor"].email, member_b.email}


def test_round_published_tells_participants_their_rank_and_award(
    world, firm_b, member_b, django_capture_on_commit_callbacks
):
    records_for(firm_b)
    reward_round = make_round()
    verify_all(submitted(world["firm"], world["member"], reward_round=reward_round), world["officer"])
    submitted(firm_b, member_b, reward_round=reward_round)  # took part, never verified
    round_services.round_close(round_id=reward_round.pk, actor=world["admin"], confirmed=True)
    round_services.round_rank(round_id=reward_round.pk, actor=world["admin"], exclude_undecided=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        round_services.round_publish(round_id=reward_round.pk, actor=world["admin"])
    (ranked,) = emails_to(world["member"].email)
    assert "ranks 1" in ranked.body and "award:" in ranked.body
    (unranked,) = emails_to(member_b.email)
    assert "not ranked" in unranked.body
    assert len(emails_to(world["editor"].email)) == 1
    assert len(mail.outbox) == 3


def test_invitation_email_goes_through_the_task(client_a, firm_a, django_capture_on_commit_callbacks):
    from django.urls import reverse

    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(reverse("enterprises:members", args=[firm_a.pk]), {"email": "new@example.org", "role": "editor"})
    (message,) = mail.outbox
    assert message.to == ["new@example.org"]
