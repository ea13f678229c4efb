"""The two hand-written showcase firms the demo accounts firm1 and firm2 own.

firm1 is at stage 3 (a sales subsidiary in Germany, agents in the US), firm2 at stage 2 (agents in
neighbouring markets; its Hong Kong office closed in 2012). Their figures are fixed; the drawn population
is calibrated around them.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from demo.firms import Namer, make_uscc
from demo.plan import (
    FEN,
    AnnualFigures,
    CertificatePlan,
    ExpensePlan,
    ExportRow,
    FirmPlan,
    PctFiling,
    PublicationPlan,
    Site,
    fen_to_decimal,
)
from enterprises.models import CertificationScheme as Scheme
from enterprises.models import DomesticScope
from enterprises.models import EstablishmentKind as Kind
from enterprises.models import ExpenseCategory as Cat
from enterprises.models import IndustryGroup as Ind
from enterprises.models import RegistrationType as Reg

MILLION = 1_000_000 * FEN  # a million CNY in fen


def million_cny(millions: str) -> int:
    """Fen of an amount written in million CNY."""
    return int(Decimal(millions) * MILLION)


@dataclass(frozen=True)
class Sales:
    """A showcase firm's exports to one market in one year."""

    year: int
    country: str
    channel: str
    millions: str  # CNY


@dataclass(frozen=True)
class YearFigures:
    """A showcase firm's annual report; amounts in million CNY, pairs are (total, foreign)."""

    year: int
    revenue: tuple[str, str]
    assets: tuple[str, str]
    employees: tuple[int, int]
    imports: str

    def annual_figures(self) -> AnnualFigures:
        return AnnualFigures(
            year=self.year,
            revenue_total=million_cny(self.revenue[0]),
            revenue_foreign=million_cny(self.revenue[1]),
            assets_total=million_cny(self.assets[0]),
            assets_foreign=million_cny(self.assets[1]),
            employees_total=self.employees[0],
            employees_foreign=self.employees[1],
            imports_total=million_cny(self.imports),
            domestic_scope=DomesticScope.NATIONAL,
        )


@dataclass(frozen=True)
class ShowcaseFirm:
    account: str
    index: int
    district: str
    organization_code: str  # the 8 digits the USCC is made of
    name_zh: str
    name_en: str
    registration_type: str
    industry: str
    founded: date
    stage: int
    export_from: int
    import_from: int
    sites: tuple[Site, ...]
    pct_filings: tuple[PctFiling, ...]
    certifications: tuple[CertificatePlan, ...]
    publications: tuple[PublicationPlan, ...]
    expenses: tuple[ExpensePlan, ...]
    sales: tuple[Sales, ...]
    reports: tuple[YearFigures, ...]

    def plan(self) -> FirmPlan:
        """A new plan of this firm with its fixed figures."""
        firm = FirmPlan(
            index=self.index,
            uscc=make_uscc(self.district, self.organization_code),
            name_zh=self.name_zh,
            name_en=self.name_en,
            registration_type=self.registration_type,
            industry=self.industry,
            founded=self.founded,
            district=self.district,
            account=self.account,
            export_from=self.export_from,
            import_from=self.import_from,
            stage=self.stage,
            sites=list(self.sites),
            pct_filings=list(self.pct_filings),
            certifications=list(self.certifications),
            publications=list(self.publications),
            expenses=list(self.expenses),
        )
        for sale in self.sales:
            fen = million_cny(sale.millions)
            firm.export_rows.append(ExportRow(sale.year, sale.country, sale.channel, "CNY", fen_to_decimal(fen)))
            firm.exports[sale.year] = firm.exports.get(sale.year, 0) + fen
        for report in self.reports:
            figures = report.annual_figures()
            firm.imports[report.year] = figures.imports_total
            firm.reports.append(figures)
        return firm


def showcase_firms(namer: Namer) -> list[FirmPlan]:
    """firm1 and firm2, their names and codes taken in `namer`."""
    firms = [FIRM1.plan(), FIRM2.plan()]
    for firm in firms:
        namer.register(firm.name_zh, firm.uscc)
    return firms


FIRM1 = ShowcaseFirm(
    account="firm1",
    index=0,
    district="110108",
    organization_code="10210736",
    name_zh="北京中关村智联科技有限公司",
    name_en="Beijing Zhongguancun Zhilian Technology Co., Ltd.",
    registration_type=Reg.LIMITED_LIABILITY,
    industry=Ind.ELECTRONIC_INFORMATION,
    founded=date(2003, 6, 18),
    stage=3,
    export_from=2009,
    import_from=2009,
    sites=(
        Site(
            country="DE",
            city="Munich",
            kind=Kind.SALES,
            ownership=Decimal("100.00"),
            opened=date(2011, 3, 15),
            closed=None,
            employees=14,
        ),
        Site(
            country="AE",
            city="Dubai",
            kind=Kind.REPRESENTATIVE,
            ownership=Decimal("100.00"),
            opened=date(2010, 5, 10),
            closed=date(2013, 6, 30),
            employees=2,
        ),
    ),
    pct_filings=(  # filed, title
        PctFiling(
            date(2010, 9, 14), "Method and device for low-latency scheduling in industrial wireless sensor networks"
        ),
        PctFiling(date(2011, 5, 26), "System and method for energy-aware data aggregation in sensor networks"),
        PctFiling(date(2012, 3, 8), "Apparatus for time synchronisation of wireless field devices"),
        PctFiling(date(2012, 10, 23), "Method for secure over-the-air firmware updates of sensor nodes"),
        PctFiling(date(2013, 4, 17), "Method and device for interference detection in 2.4 GHz industrial networks"),
        PctFiling(date(2013, 11, 5), "System and method for predictive maintenance from vibration sensor data"),
        PctFiling(date(2014, 2, 19), "Method for adaptive channel hopping in mesh networks"),
        PctFiling(date(2014, 7, 2), "Apparatus for intrinsically safe wireless gas sensing"),
        PctFiling(date(2014, 12, 9), "System and method for edge analytics on industrial gateways"),
    ),
    certifications=(
        CertificatePlan(
            scheme=Scheme.ISO_9001,
            number="CN08/31255",
            issuer="SGS",
            issued=date(2008, 7, 1),
            expires=date(2011, 6, 30),
        ),
        CertificatePlan(
            scheme=Scheme.ISO_9001,
            number="CN11/31255",
            issuer="SGS",
            issued=date(2011, 7, 1),
            expires=date(2014, 6, 30),
        ),
        CertificatePlan(
            scheme=Scheme.ISO_9001,
            number="CN14/31255",
            issuer="SGS",
            issued=date(2014, 7, 1),
            expires=date(2017, 6, 30),
        ),
        CertificatePlan(
            scheme=Scheme.CE, number="Z2 10 09 70412 001", issuer="TÜV SÜD", issued=date(2010, 9, 15), expires=None
        ),
        CertificatePlan(
            scheme=Scheme.ISO_27001,
            number="IS 612884",
            issuer="BSI",
            issued=date(2013, 4, 10),
            expires=date(2016, 4, 9),
        ),
        CertificatePlan(
            scheme=Scheme.UL,
            number="E471203",
            issuer="UL LLC",
            issued=date(2014, 2, 20),
            expires=None,
            target_market="US",
        ),
    ),
    publications=(
        PublicationPlan(
            title="Low-latency scheduling for industrial wireless sensor networks",
            venue="IEEE International Conference on Communications",
            country="CA",
            year=2012,
        ),
        PublicationPlan(
            title="Energy-aware data aggregation in dense sensor deployments",
            venue="IEEE Sensors Journal",
            country="US",
            year=2013,
        ),
        PublicationPlan(
            title="Field results on wireless condition monitoring in steel plants",
            venue="Ad Hoc Networks",
            country="NL",
            year=2014,
        ),
    ),
    expenses=(  # category, day, amount, description, provider
        ExpensePlan(
            Cat.ESTABLISHMENT,
            date(2010, 5, 10),
            420_000 * FEN,
            "Set-up of the representative office in Dubai",
            "Atlas Incorporation Services",
        ),
        ExpensePlan(
            Cat.ESTABLISHMENT,
            date(2011, 3, 15),
            1_850_000 * FEN,
            "Set-up of the sales subsidiary in Munich",
            "Euro-China Business Services GmbH",
        ),
        ExpensePlan(
            Cat.MARKET_RESEARCH,
            date(2010, 8, 20),
            160_000 * FEN,
            "German industrial automation market study",
            "EuroMarket Analytics",
        ),
        ExpensePlan(Cat.CERTIFICATION, date(2010, 8, 30), 138_000 * FEN, "CE type examination", "TÜV SÜD"),
        ExpensePlan(Cat.CERTIFICATION, date(2011, 6, 10), 52_000 * FEN, "ISO 9001 recertification audit", "SGS"),
        ExpensePlan(Cat.CERTIFICATION, date(2013, 3, 18), 96_000 * FEN, "ISO/IEC 27001 certification audit", "BSI"),
        ExpensePlan(Cat.CERTIFICATION, date(2014, 1, 28), 185_000 * FEN, "UL listing", "UL LLC"),
        ExpensePlan(Cat.CERTIFICATION, date(2014, 6, 12), 55_000 * FEN, "ISO 9001 recertification audit", "SGS"),
        ExpensePlan(Cat.EXHIBITION, date(2012, 3, 6), 268_000 * FEN, "Booth at CeBIT", "CeBIT, Hannover"),
        ExpensePlan(Cat.EXHIBITION, date(2013, 3, 5), 295_000 * FEN, "Booth at CeBIT", "CeBIT, Hannover"),
        ExpensePlan(Cat.EXHIBITION, date(2014, 1, 7), 342_000 * FEN, "Booth at CES", "CES, Las Vegas"),
        ExpensePlan(Cat.EXHIBITION, date(2014, 4, 7), 310_000 * FEN, "Booth at Hannover Messe", "Hannover Messe"),
        ExpensePlan(
            Cat.TRAINING,
            date(2012, 9, 12),
            36_000 * FEN,
            "Export control and EU product law training",
            "Export Compliance Training Institute",
        ),
        ExpensePlan(
            Cat.SERVICES,
            date(2011, 2, 22),
            210_000 * FEN,
            "German company law and tax advice",
            "Sino-Euro Legal Consulting",
        ),
        ExpensePlan(
            Cat.SERVICES, date(2014, 5, 15), 88_000 * FEN, "US distribution agreement review", "Jinghua Law Firm"
        ),
    ),
    sales=(  # year, market, channel, million CNY
        Sales(2009, "US", "agent", "7.2"),
        Sales(2009, "DE", "agent", "5.6"),
        Sales(2009, "JP", "direct", "3.1"),
        Sales(2009, "HK", "direct", "2.4"),
        Sales(2010, "US", "agent", "9.8"),
        Sales(2010, "DE", "agent", "8.3"),
        Sales(2010, "JP", "direct", "4.2"),
        Sales(2010, "HK", "direct", "3.1"),
        Sales(2010, "AE", "direct", "1.2"),
        Sales(2011, "US", "agent", "13.9"),
        Sales(2011, "DE", "subsidiary", "12.6"),
        Sales(2011, "JP", "direct", "5.3"),
        Sales(2011, "HK", "direct", "3.9"),
        Sales(2011, "AE", "direct", "2.1"),
        Sales(2012, "US", "agent", "18.4"),
        Sales(2012, "DE", "subsidiary", "17.9"),
        Sales(2012, "FR", "agent", "3.6"),
        Sales(2012, "JP", "direct", "6.2"),
        Sales(2012, "HK", "direct", "4.3"),
        Sales(2012, "AE", "direct", "2.4"),
        Sales(2013, "US", "agent", "23.8"),
        Sales(2013, "DE", "subsidiary", "23.4"),
        Sales(2013, "FR", "agent", "5.1"),
        Sales(2013, "GB", "agent", "2.9"),
        Sales(2013, "JP", "direct", "6.8"),
        Sales(2013, "HK", "direct", "4.7"),
        Sales(2013, "AE", "direct", "1.3"),
        Sales(2014, "US", "agent", "29.6"),
        Sales(2014, "DE", "subsidiary", "28.9"),
        Sales(2014, "FR", "agent", "6.8"),
        Sales(2014, "GB", "agent", "4.6"),
        Sales(2014, "JP", "direct", "7.1"),
        Sales(2014, "HK", "direct", "5.2"),
        Sales(2014, "SG", "direct", "2.3"),
    ),
    reports=(
        YearFigures(2009, revenue=("118.4", "21.3"), assets=("96.0", "0"), employees=(310, 0), imports="9.8"),
        YearFigures(2010, revenue=("156.9", "30.5"), assets=("121.0", "0.4"), employees=(352, 2), imports="12.4"),
        YearFigures(2011, revenue=("203.5", "46.8"), assets=("158.0", "6.2"), employees=(405, 10), imports="16.9"),
        YearFigures(2012, revenue=("262.7", "64.9"), assets=("201.0", "9.8"), employees=(468, 12), imports="21.3"),
        YearFigures(2013, revenue=("331.2", "86.4"), assets=("249.0", "13.5"), employees=(540, 12), imports="28.7"),
        YearFigures(2014, revenue=("418.6", "109.7"), assets=("305.0", "18.9"), employees=(612, 14), imports="36.2"),
    ),
)
FIRM2 = ShowcaseFirm(
    account="firm2",
    index=1,
    district="110114",
    organization_code="79341852",
    name_zh="北京华清康达医疗器械有限公司",
    name_en="Beijing Huaqing Kangda Medical Devices Co., Ltd.",
    registration_type=Reg.PRIVATE,
    industry=Ind.BIOPHARMACEUTICAL,
    founded=date(2006, 9, 12),
    stage=2,
    export_from=2009,
    import_from=2009,
    sites=(
        Site(
            country="HK",
            city="Hong Kong",
            kind=Kind.REPRESENTATIVE,
            ownership=Decimal("100.00"),
            opened=date(2010, 4, 1),
            closed=date(2012, 9, 30),
            employees=2,
        ),
    ),
    pct_filings=(  # filed, title
        PctFiling(date(2013, 6, 20), "Apparatus for non-invasive haemoglobin measurement"),
        PctFiling(date(2014, 8, 28), "Method for calibrating portable blood analysers"),
    ),
    certifications=(
        CertificatePlan(
            scheme=Scheme.ISO_13485,
            number="MD 569012",
            issuer="TÜV SÜD",
            issued=date(2010, 11, 20),
            expires=date(2013, 11, 19),
        ),
        CertificatePlan(
            scheme=Scheme.ISO_13485,
            number="MD 569012-R1",
            issuer="TÜV SÜD",
            issued=date(2013, 11, 20),
            expires=date(2016, 11, 19),
        ),
        CertificatePlan(
            scheme=Scheme.ISO_9001,
            number="CN11/20417",
            issuer="SGS",
            issued=date(2011, 3, 1),
            expires=date(2014, 2, 28),
        ),
        CertificatePlan(
            scheme=Scheme.CE, number="G1 12 05 81233 002", issuer="TÜV SÜD", issued=date(2012, 5, 8), expires=None
        ),
    ),
    publications=(
        PublicationPlan(
            title="Clinical evaluation of a portable haemoglobin meter",
            venue="Medical Engineering & Physics",
            country="GB",
            year=2013,
        ),
        PublicationPlan(
            title="Calibration drift of low-cost blood analysers", venue="Sensors", country="CH", year=2014
        ),
    ),
    expenses=(  # category, day, amount, description, provider
        ExpensePlan(
            Cat.ESTABLISHMENT,
            date(2010, 4, 1),
            260_000 * FEN,
            "Set-up of the representative office in Hong Kong",
            "Pacific Corporate Services Ltd.",
        ),
        ExpensePlan(Cat.CERTIFICATION, date(2010, 10, 15), 85_000 * FEN, "ISO 13485 certification audit", "TÜV SÜD"),
        ExpensePlan(Cat.CERTIFICATION, date(2011, 2, 10), 45_000 * FEN, "ISO 9001 certification audit", "SGS"),
        ExpensePlan(Cat.CERTIFICATION, date(2012, 4, 12), 120_000 * FEN, "CE conformity assessment (MDD)", "TÜV SÜD"),
        ExpensePlan(Cat.CERTIFICATION, date(2013, 10, 30), 62_000 * FEN, "ISO 13485 recertification audit", "TÜV SÜD"),
        ExpensePlan(
            Cat.MARKET_RESEARCH,
            date(2011, 6, 8),
            80_000 * FEN,
            "Vietnam hospital equipment market study",
            "Asia Pacific Research Partners",
        ),
        ExpensePlan(
            Cat.SERVICES,
            date(2012, 11, 20),
            45_000 * FEN,
            "Distribution agreement with the Taiwan agent",
            "Jinghua Law Firm",
        ),
        ExpensePlan(Cat.EXHIBITION, date(2013, 11, 20), 128_000 * FEN, "Booth at MEDICA", "MEDICA, Düsseldorf"),
        ExpensePlan(Cat.EXHIBITION, date(2014, 11, 12), 136_000 * FEN, "Booth at MEDICA", "MEDICA, Düsseldorf"),
        ExpensePlan(
            Cat.TRAINING,
            date(2013, 5, 16),
            18_000 * FEN,
            "Medical device regulation training (EU, ASEAN)",
            "Export Compliance Training Institute",
        ),
    ),
    sales=(  # year, market, channel, million CNY
        Sales(2009, "HK", "agent", "1.5"),
        Sales(2009, "MO", "direct", "0.6"),
        Sales(2010, "HK", "agent", "2.1"),
        Sales(2010, "MO", "direct", "0.7"),
        Sales(2010, "VN", "agent", "0.6"),
        Sales(2011, "HK", "agent", "2.6"),
        Sales(2011, "VN", "agent", "0.9"),
        Sales(2011, "TW", "agent", "0.7"),
        Sales(2011, "MO", "direct", "0.5"),
        Sales(2012, "HK", "agent", "3.0"),
        Sales(2012, "VN", "agent", "1.3"),
        Sales(2012, "TW", "agent", "1.1"),
        Sales(2012, "KR", "agent", "0.7"),
        Sales(2012, "MO", "direct", "0.4"),
        Sales(2013, "HK", "agent", "3.4"),
        Sales(2013, "VN", "agent", "1.7"),
        Sales(2013, "TW", "agent", "1.6"),
        Sales(2013, "KR", "agent", "1.0"),
        Sales(2013, "JP", "agent", "0.5"),
        Sales(2014, "HK", "agent", "3.9"),
        Sales(2014, "VN", "agent", "2.2"),
        Sales(2014, "TW", "agent", "2.1"),
        Sales(2014, "KR", "agent", "1.3"),
        Sales(2014, "JP", "agent", "0.9"),
        Sales(2014, "MO", "direct", "0.3"),
    ),
    reports=(
        YearFigures(2009, revenue=("21.6", "2.6"), assets=("18.0", "0"), employees=(86, 0), imports="1.1"),
        YearFigures(2010, revenue=("26.3", "3.9"), assets=("21.5", "0.3"), employees=(94, 2), imports="1.4"),
        YearFigures(2011, revenue=("31.8", "5.3"), assets=("25.6", "0.3"), employees=(108, 2), imports="1.9"),
        YearFigures(2012, revenue=("39.5", "7.2"), assets=("30.9", "0"), employees=(122, 0), imports="2.3"),
        YearFigures(2013, revenue=("48.2", "9.3"), assets=("36.8", "0"), employees=(139, 0), imports="2.9"),
        YearFigures(2014, revenue=("57.9", "12.1"), assets=("43.5", "0"), employees=(158, 0), imports="3.6"),
    ),
)
