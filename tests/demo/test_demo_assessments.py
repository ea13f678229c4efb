"""The demo assessments store what the workflow's submit and verify store (assessments.services)."""

from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import Assessment, AssessmentStatus
from assessments.services import submission_fields, verification_fields

pytestmark = pytest.mark.django_db


def test_demo_assessments_store_the_submission_and_verification_fields(settings):
    settings.DEBUG = True  # seed_demo runs only with DEBUG on
    call_command("seed_demo", firms=60, seed=5, reset=True, stdout=StringIO())
    submitted = Assessment.objects.exclude(status=AssessmentStatus.DRAFT)
    checked = {status: 0 for status in AssessmentStatus.values}
    for assessment in submitted:
        snapshot = assessment.current_snapshot
        stored = submission_fields(snapshot.data, snapshot.scorecard)
        assert {name: getattr(assessment, name) for name in stored} == stored
        if assessment.status == AssessmentStatus.VERIFIED:
            verified = {r.item_key for r in snapshot.item_reviews.all() if r.verified}
            stored = verification_fields(snapshot.data, verified, assessment.verified_scorecard)
            assert {name: getattr(assessment, name) for name in stored} == stored
        checked[assessment.status] += 1
    assert checked[AssessmentStatus.VERIFIED] and checked[AssessmentStatus.SUBMITTED]
