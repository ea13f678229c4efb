import re

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from providers.models import LANGUAGE_CHOICES, ProviderCategory, ServiceProvider


def serves_countries(codes: list[str]) -> Q:
    """Providers whose countries (stored as "US,DE,JP") include any of `codes`."""
    clean = sorted({code.upper() for code in codes if re.fullmatch(r"[A-Za-z0-9]{2}", code or "")})
    if not clean:
        return Q(pk__in=[])
    return Q(countries__regex=r"(^|,)(" + "|".join(clean) + r")(,|$)")


def speaks(code: str) -> Q:
    """Providers whose languages (a JSON list of codes) include `code`; works on PostgreSQL and SQLite."""
    return Q(languages__icontains=f'"{code}"')


class ProviderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=ProviderCategory.choices, empty_label=_("Any category")
    )
    country = django_filters.ChoiceFilter(
        label=_("Country served"),
        choices=lambda: list(countries),
        method="filter_country",
        empty_label=_("Any country"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=LANGUAGE_CHOICES, method="filter_language", empty_label=_("Any language")
    )

    class Meta:
        model = ServiceProvider
        fields = ["q", "category", "country", "language"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(name__icontains=value.strip()) if value.strip() else queryset

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(serves_countries([value]))

    def filter_language(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(speaks(value))
