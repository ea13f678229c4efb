"""A small service-provider directory for the demo (the paper's intermediary platform, sections 4.2-4.3)."""

from providers.models import ServiceProvider

# name, category, countries served, languages, description
PROVIDERS = [
    (
        "Haidian Cross-Border Law Firm",
        "law",
        ["DE", "FR", "GB", "US"],
        ["zh", "en", "de"],
        "Company formation abroad, distribution and agency contracts, trade compliance.",
    ),
    (
        "Pacific Rim Legal Partners",
        "law",
        ["JP", "KR", "SG", "HK"],
        ["zh", "en", "ja", "ko"],
        "Subsidiary set-up and employment law in East and Southeast Asia.",
    ),
    (
        "Silk Road Tax Advisory",
        "tax",
        ["DE", "NL", "RU", "KZ"],
        ["zh", "en", "ru"],
        "Transfer pricing and double-taxation treaties for first foreign entities.",
    ),
    (
        "Zhongguancun International Accounting",
        "accounting",
        ["US", "GB", "HK", "SG"],
        ["zh", "en"],
        "Audits and consolidated reporting of foreign subsidiaries.",
    ),
    (
        "Beijing Globalization Consulting",
        "consulting",
        ["US", "DE", "JP", "IN", "VN"],
        ["zh", "en", "ja"],
        "Market entry strategy, choosing agents and distributors, partner search.",
    ),
    (
        "Tsinghua Science Park Patent Agency",
        "patent_agency",
        ["US", "DE", "JP", "KR"],
        ["zh", "en"],
        "PCT filings and national-phase entries in the US, Europe, Japan and Korea.",
    ),
    (
        "Sino-Euro IP Attorneys",
        "patent_agency",
        ["DE", "FR", "GB", "IT"],
        ["zh", "en", "de", "fr"],
        "European patents, oppositions and freedom-to-operate studies.",
    ),
    (
        "CE Mark Testing Center Beijing",
        "certification",
        ["DE", "FR", "NL", "IT"],
        ["zh", "en"],
        "CE marking, ISO 9001 and ISO 13485 audits for medical and electronic products.",
    ),
    (
        "North America Compliance Labs",
        "certification",
        ["US", "CA"],
        ["zh", "en"],
        "UL listing and FDA 510(k) submissions.",
    ),
    (
        "Asia Market Insight",
        "market_research",
        ["JP", "KR", "TW", "VN", "TH", "ID"],
        ["zh", "en", "ja", "ko"],
        "Market sizing, competitor and price studies in Asia.",
    ),
    (
        "Global Buyer Research Group",
        "market_research",
        ["US", "GB", "DE", "AU", "BR"],
        ["zh", "en", "es", "pt"],
        "Customer surveys and distributor mapping in America, Europe and Australia.",
    ),
    (
        "Expo Link International",
        "exhibitions",
        ["DE", "US", "HK", "AE"],
        ["zh", "en", "ar"],
        "Booths and delegations at CeBIT, CES, the Hong Kong Electronics Fair and GITEX.",
    ),
    (
        "Talent Bridge HR Services",
        "hr",
        ["US", "DE", "SG", "MY"],
        ["zh", "en"],
        "Hiring and payroll for foreign sales offices, expatriate assignments.",
    ),
]


def seed_providers() -> int:
    ServiceProvider.objects.filter(name__in=[row[0] for row in PROVIDERS]).delete()
    ServiceProvider.objects.bulk_create(
        ServiceProvider(
            name=name,
            category=category,
            countries=countries,
            languages=languages,
            description=description,
            contact_email=f"contact@{name.split()[0].lower()}.example.org",
        )
        for name, category, countries, languages, description in PROVIDERS
    )
    return len(PROVIDERS)
