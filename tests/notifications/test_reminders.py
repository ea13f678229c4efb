"""send_reminders: who is reminded, when, in which language, and never twice (also from two hosts at once)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from assessments import services
from notifications.models import Notification, NotificationKind, SentReminder
from notifications.reminders import due_step, reminders_send
from tests.factories import MembershipFactory, OfficerFactory, UserFactory
from tests.workflow_helpers import make_round, race, records_for, submitted

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """reminders_send with its emails delivered (they leave on commit)."""

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send(now=now)

    return run


@pytest.fixture
def closing_round(firm_a, member_a, firm_b, member_b, officer):
    """A round closing in 6 days: firm A has a draft, firm B submitted (nothing to remind), an officer assigned."""
    now = timezone.now()
    reward_round = make_round(submission_closes=now + 6 * DAY, review_deadline=(now + 40 * DAY).date())
    records_for(firm_a)
    records_for(firm_b)
    draft = services.assessment_create(
        enterprise=firm_a, reference_year=2014, actor=member_a, reward_round=reward_round
    )
    done = submitted(firm_b, member_b, reward_round=reward_round)
    services.assessment_assign(assessment_ids=[done.pk], officer=officer, actor=officer)
    return {"round": reward_round, "draft": draft, "submitted": done, "now": now}


def test_due_step_is_the_nearest_passed_mark():
    assert due_step(8 * DAY, (7, 1)) is None
    assert due_step(6 * DAY, (7, 1)) == 7
    assert due_step(DAY / 2, (7, 1)) == 1
    assert due_step(-DAY, (7, 1)) is None


def test_members_of_a_firm_with_a_draft_are_reminded_once_per_step(remind, closing_round, member_a, member_b, firm_a):
    chinese = MembershipFactory(enterprise=firm_a, user=UserFactory(language="zh-hans")).user
    now = closing_round["now"]
    outcome = remind(now)
    assert outcome.sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member_a.email, chinese.email])
    assert member_b.email not in {m.to[0] for m in mail.outbox}  # firm B submitted

    assert remind(now + datetime.timedelta(hours=1)).sent == 0  # the next hourly run: nothing new
    assert len(mail.outbox) == 2

    assert remind(closing_round["round"].submission_closes - DAY / 2).sent == 2  # the 1-day mark
    assert SentReminder.objects.filter(kind=NotificationKind.SUBMISSION_REMINDER).count() == 4
    assert Notification.objects.filter(recipient=chinese, kind=NotificationKind.SUBMISSION_REMINDER).count() == 2


def test_a_returned_assessment_is_reminded_too(remind, closing_round, member_b, officer):
    services.assessment_return(assessment_id=closing_round["submitted"].pk, actor=officer, comment="Fix it.")
    mail.outbox.clear()
    remind(closing_round["now"])
    assert member_b.email in {m.to[0] for m in mail.outbox}


def test_nothing_before_the_first_mark_or_after_the_close(remind, closing_round):
    assert remind(closing_round["round"].submission_closes - 8 * DAY).sent == 0
    assert remind(closing_round["round"].submission_closes + DAY).sent == 0


def test_officers_with_undecided_assigned_work_are_reminded_three_days_before_the_review_deadline(
    remind, closing_round, officer
):
    other = OfficerFactory()  # nothing assigned: no reminder
    deadline = closing_round["round"].review_deadline
    two_days_before = timezone.make_aware(datetime.datetime.combine(deadline - 2 * DAY, datetime.time(9)))
    assert remind(two_days_before - 5 * DAY).sent == 0
    outcome = remind(two_days_before)
    assert outcome.sent == 1
    (message,) = [m for m in mail.outbox if m.to == [officer.email]]
    assert "1 assessment(s)" in message.body
    assert not [m for m in mail.outbox if m.to == [other.email]]
    assert remind(two_days_before + DAY).sent == 0


def test_the_command_prints_what_it_did(closing_round, capsys):
    call_command("send_reminders")
    assert "reminders sent: 1, already sent: 0" in capsys.readouterr().out
    call_command("send_reminders")
    assert "reminders sent: 0, already sent: 1" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_two_hosts_running_at_once_send_each_reminder_once(firm_a, member_a, officer):
    now = timezone.now()
    reward_round = make_round(submission_closes=now + 6 * DAY)
    records_for(firm_a)
    services.assessment_create(enterprise=firm_a, reference_year=2014, actor=member_a, reward_round=reward_round)
    for extra in range(3):
        MembershipFactory(enterprise=firm_a, user=UserFactory(username=f"colleague{extra}"))
    results = race(lambda: reminders_send(now=now), lambda: reminders_send(now=now))
    assert [error for _, error in results] == [None, None]
    # A run that SQLite's shared-cache test database interrupted ("table is locked") is retried whole, so the
    # counts of one run may miss what an interrupted attempt had already sent; the records and emails do not.
    assert SentReminder.objects.count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [member_a.email, *(f"colleague{n}@example.org" for n in range(3))]
    )
