"""core.forms.ModelChoiceField: the choices come from one plain query (no QuerySet.iterator(), which on
PostgreSQL opens a server-side cursor), and are the same as Django's field gives."""

import pytest
from django import forms
from django.db.models import QuerySet

from core.forms import ModelChoiceField
from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_choices_match_djangos_without_a_server_side_cursor(monkeypatch, django_assert_num_queries):
    firms = EnterpriseFactory.create_batch(3)
    expected = list(forms.ModelChoiceField(Enterprise.objects.order_by("pk"), empty_label="none").choices)

    def no_cursor(*args, **kwargs):
        raise AssertionError("QuerySet.iterator() was used")

    monkeypatch.setattr(QuerySet, "iterator", no_cursor)
    field = ModelChoiceField(Enterprise.objects.order_by("pk"), empty_label="none")
    with django_assert_num_queries(1):
        choices = list(iter(field.choices))
    assert choices == expected
    assert [str(value) for value, _label in choices[1:]] == [str(firm.pk) for firm in firms]
    fresh = ModelChoiceField(Enterprise.objects.order_by("pk"), empty_label="none")
    with django_assert_num_queries(1):
        html = fresh.widget.render("firm", None)
    assert html.count("<option") == 4
