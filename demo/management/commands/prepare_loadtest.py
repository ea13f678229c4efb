"""`manage.py prepare_loadtest --out FILE`: the accounts and URLs `scripts/loadtest` needs, written as JSON.

Creates (or, on later runs, updates) `loadtest-firm-NNN`, each a member of a different firm (firms with
assessments first, so the assessment pages are visited too), and `loadtest-officer-NN` officers with a fresh set
of single-use backup codes for the second factor (production keeps REQUIRE_2FA on: officers log in with their
password and a code, as people do). Every run gives all of them a new random password, which only FILE holds:
the accounts are useless once the load test is over. Use it on a load-test database, never on the real one.
"""

import json
import secrets
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts import roles
from accounts.models import User
from assessments.models import Assessment, AssessmentStatus
from enterprises.models import Enterprise, MemberRole, Membership
from enterprises.records import RECORD_KINDS
from rewards.models import RewardRound, RoundStatus

FIRM_USER, OFFICER_USER = "loadtest-firm-{:03d}", "loadtest-officer-{:02d}"
DEVICE_NAME = "load test"


class Command(BaseCommand):
    help = "Creates or updates the load test's firm members and officers and writes them, with URLs, to --out."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the JSON file to write (it holds passwords)")
        parser.add_argument("--firms", type=int, help="stop unless the database holds exactly this many firms")
        parser.add_argument("--firm-users", type=int, default=50, help="members of different firms (50)")
        parser.add_argument("--officers", type=int, default=10, help="officers (10)")
        parser.add_argument("--codes", type=int, default=200, help="backup codes per officer, one per log-in (200)")

    def handle(self, *args, out, firms=None, firm_users=50, officers=10, codes=200, **options):
        count = Enterprise.objects.count()
        if firms is not None and count != firms:
            raise CommandError(
                f"The database holds {count:,} firms, not {firms:,}. Seed it first: "
                f"DEBUG=1 python manage.py seed_demo --firms {firms} --reset (or set FIRMS={count})."
            )
        if count < firm_users:
            raise CommandError(f"The database holds {count:,} firms: too few for {firm_users} firm members.")
        password = secrets.token_urlsafe(24)
        with transaction.atomic():
            hashed = make_password(password)  # one hash for every account: hashing is deliberately slow
            plan = {
                "firm_users": self._firm_users(firm_users, hashed, password),
                "officers": self._officers(officers, hashed, password, codes),
                **_shared_urls(),
            }
        path = Path(out)
        path.touch(mode=0o600)
        path.write_text(json.dumps(plan, indent=1))
        self.stdout.write(
            f"Load-test accounts ready: {firm_users} firm members of different firms, {officers} officers "
            f"({codes} backup codes each); {len(plan['review'])} assessments to review; written to {path}."
        )

    def _firm_users(self, number: int, hashed: str, password: str) -> list[dict]:
        with_assessments = Exists(Assessment.objects.filter(enterprise=OuterRef("pk")))
        ordered = Enterprise.objects.annotate(assessed=with_assessments).order_by("-assessed", "pk")
        firm_ids = list(ordered.values_list("pk", flat=True)[:number])
        users = []
        for index, firm_id in enumerate(firm_ids, start=1):
            user = _account(FIRM_USER.format(index), hashed)
            Membership.objects.filter(user=user).exclude(enterprise_id=firm_id).delete()
            Membership.objects.get_or_create(user=user, enterprise_id=firm_id, defaults={"role": MemberRole.EDITOR})
            assessments = Assessment.objects.filter(enterprise_id=firm_id).order_by("pk").values_list("pk", flat=True)
            users.append(
                {
                    "username": user.username,
                    "password": password,
                    "firm": firm_id,
                    "assessments": list(assessments[:10]),
                }
            )
        return users

    def _officers(self, number: int, hashed: str, password: str, codes: int) -> list[dict]:
        group = Group.objects.get_or_create(name=roles.OFFICER)[0]
        users = []
        for index in range(1, number + 1):
            user = _account(OFFICER_USER.format(index), hashed)
            user.groups.add(group)
            StaticDevice.objects.filter(user=user, name=DEVICE_NAME).delete()
            device = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
            tokens = [StaticToken.random_token() for _ in range(codes)]
            StaticToken.objects.bulk_create([StaticToken(device=device, token=token) for token in tokens])
            users.append({"username": user.username, "password": password, "codes": tokens})
        return users


def _account(username: str, hashed: str) -> User:
    user, _created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
    user.password, user.is_active, user.email_verified = hashed, True, True
    user.save(update_fields=["password", "is_active", "email_verified"])
    return user


def _shared_urls() -> dict:
    """What officers review and what anonymous visitors download."""
    review = (
        Assessment.objects.filter(status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.VERIFIED])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    published = RewardRound.objects.filter(status=RoundStatus.PUBLISHED).values_list("pk", flat=True)
    return {
        "record_kinds": list(RECORD_KINDS),
        "review": list(review[:500]),
        "published_rounds": list(published),
    }
