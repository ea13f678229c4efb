from django.db.models import Case, IntegerField, QuerySet, Value, When

from providers.filters import serves_countries
from providers.models import ServiceProvider

MAX_CANDIDATES = 200

#: the provider categories that help a firm at each Uppsala stage take its next step
NEXT_STAGE_SERVICES = {
    0: ["market_research", "exhibitions", "consulting"],
    1: ["market_research", "exhibitions", "law"],
    2: ["law", "tax", "accounting", "hr", "consulting"],
    3: ["law", "tax", "consulting", "hr"],
    4: ["patent_agency", "certification", "consulting"],
}


def listed_providers() -> QuerySet[ServiceProvider]:
    return ServiceProvider.objects.filter(is_active=True)


def visible_providers(user) -> QuerySet[ServiceProvider]:
    """Firms and officers see listed providers; administrators also see unlisted ones."""
    return ServiceProvider.objects.all() if user.is_administrator else listed_providers()


def providers_for_next_step(*, stage: int, markets: list[str]) -> list[ServiceProvider]:
    """Providers whose category helps the firm's next Uppsala step, those covering its markets first.

    Order: most of the firm's markets covered, then the stage's category order, then name. One query.
    """
    categories = NEXT_STAGE_SERVICES.get(stage, [])
    if not categories:
        return []
    wanted = {code.upper() for code in markets if code}
    queryset = listed_providers().filter(category__in=categories)
    if wanted:
        queryset = queryset.annotate(
            covers=Case(
                When(serves_countries(sorted(wanted)), then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        ).order_by("-covers", "name")
    else:
        queryset = queryset.order_by("name")
    candidates = list(queryset[:MAX_CANDIDATES])

    def fit(provider: ServiceProvider) -> tuple[int, int, str]:
        covered = {country.code for country in provider.countries}
        return (-len(covered & wanted), categories.index(provider.category), provider.name)

    return sorted(candidates, key=fit)
