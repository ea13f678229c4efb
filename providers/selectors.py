from django.db.models import QuerySet

from assessments.report import NEXT_STAGE_SERVICES
from providers.models import ServiceProvider


def listed_providers() -> QuerySet[ServiceProvider]:
    return ServiceProvider.objects.filter(is_active=True)


def providers_for_next_step(*, stage: int, markets: list[str]) -> list[ServiceProvider]:
    """Providers whose category helps the firm's next Uppsala step, those covering its markets first."""
    categories = NEXT_STAGE_SERVICES.get(stage, [])
    candidates = list(listed_providers().filter(category__in=categories).order_by("name")[:200])
    wanted = set(markets)

    def fit(provider: ServiceProvider) -> tuple[int, int, str]:
        covered = {country.code for country in provider.countries}
        return (-len(covered & wanted), categories.index(provider.category), provider.name)

    return sorted(candidates, key=fit)
