"""A small service-provider directory for the demo (the paper's intermediary platform, sections 4.2-4.3)."""

from dataclasses import dataclass

from providers.models import ServiceProvider


@dataclass(frozen=True)
class DemoProvider:
    name: str
    category: str
    countries: tuple[str, ...]  # served
    languages: tuple[str, ...]
    description: str

    def service_provider(self) -> ServiceProvider:
        return ServiceProvider(
            name=self.name,
            category=self.category,
            countries=list(self.countries),
            languages=list(self.languages),
            description=self.description,
            contact_email=f"contact@{self.name.split()[0].lower()}.example.org",
        )


PROVIDERS = (
    DemoProvider(
        name="Haidian Cross-Border Law Firm",
        category="law",
        countries=("DE", "FR", "GB", "US"),
        languages=("zh", "en", "de"),
        description="Company formation abroad, distribution and agency contracts, trade compliance.",
    ),
    DemoProvider(
        name="Pacific Rim Legal Partners",
        category="law",
        countries=("JP", "KR", "SG", "HK"),
        languages=("zh", "en", "ja", "ko"),
        description="Subsidiary set-up and employment law in East and Southeast Asia.",
    ),
    DemoProvider(
        name="Silk Road Tax Advisory",
        category="tax",
        countries=("DE", "NL", "RU", "KZ"),
        languages=("zh", "en", "ru"),
        description="Transfer pricing and double-taxation treaties for first foreign entities.",
    ),
    DemoProvider(
        name="Zhongguancun International Accounting",
        category="accounting",
        countries=("US", "GB", "HK", "SG"),
        languages=("zh", "en"),
        description="Audits and consolidated reporting of foreign subsidiaries.",
    ),
    DemoProvider(
        name="Beijing Globalization Consulting",
        category="consulting",
        countries=("US", "DE", "JP", "IN", "VN"),
        languages=("zh", "en", "ja"),
        description="Market entry strategy, choosing agents and distributors, partner search.",
    ),
    DemoProvider(
        name="Tsinghua Science Park Patent Agency",
        category="patent_agency",
        countries=("US", "DE", "JP", "KR"),
        languages=("zh", "en"),
        description="PCT filings and national-phase entries in the US, Europe, Japan and Korea.",
    ),
    DemoProvider(
        name="Sino-Euro IP Attorneys",
        category="patent_agency",
        countries=("DE", "FR", "GB", "IT"),
        languages=("zh", "en", "de", "fr"),
        description="European patents, oppositions and freedom-to-operate studies.",
    ),
    DemoProvider(
        name="CE Mark Testing Center Beijing",
        category="certification",
        countries=("DE", "FR", "NL", "IT"),
        languages=("zh", "en"),
        description="CE marking, ISO 9001 and ISO 13485 audits for medical and electronic products.",
    ),
    DemoProvider(
        name="North America Compliance Labs",
        category="certification",
        countries=("US", "CA"),
        languages=("zh", "en"),
        description="UL listing and FDA 510(k) submissions.",
    ),
    DemoProvider(
        name="Asia Market Insight",
        category="market_research",
        countries=("JP", "KR", "TW", "VN", "TH", "ID"),
        languages=("zh", "en", "ja", "ko"),
        description="Market sizing, competitor and price studies in Asia.",
    ),
    DemoProvider(
        name="Global Buyer Research Group",
        category="market_research",
        countries=("US", "GB", "DE", "AU", "BR"),
        languages=("zh", "en", "es", "pt"),
        description="Customer surveys and distributor mapping in America, Europe and Australia.",
    ),
    DemoProvider(
        name="Expo Link International",
        category="exhibitions",
        countries=("DE", "US", "HK", "AE"),
        languages=("zh", "en", "ar"),
        description="Booths and delegations at CeBIT, CES, the Hong Kong Electronics Fair and GITEX.",
    ),
    DemoProvider(
        name="Talent Bridge HR Services",
        category="hr",
        countries=("US", "DE", "SG", "MY"),
        languages=("zh", "en"),
        description="Hiring and payroll for foreign sales offices, expatriate assignments.",
    ),
)


def seed_providers() -> int:
    ServiceProvider.objects.filter(name__in=[p.name for p in PROVIDERS]).delete()
    ServiceProvider.objects.bulk_create(p.service_provider() for p in PROVIDERS)
    return len(PROVIDERS)
