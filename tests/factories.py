"""factory-boy factories for the foundation: users and roles, firms, firm records and evidence files.

Every factory builds valid data (it passes the models' full_clean), so tests can change one field to
make it invalid. Import from here in any test package.
"""

import datetime
import hashlib
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts import roles
from accounts.models import User
from enterprises.models import (
    AnnualReport,
    Certification,
    CertificationScheme,
    DomesticScope,
    Enterprise,
    EstablishmentKind,
    EvidenceFile,
    Expense,
    ExpenseCategory,
    ExportChannel,
    ExportRecord,
    IndustryGroup,
    Invitation,
    MemberRole,
    Membership,
    PctApplication,
    Publication,
    RegistrationType,
)
from enterprises.models import Establishment as EstablishmentModel
from enterprises.validators import build_uscc

PASSWORD = "pass-Word-123"

#: A minimal well-formed PDF (header, one empty page, xref, trailer, EOF marker).
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n"
    b"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n188\n%%EOF\n"
)


def make_uscc(serial: int, *, registration: str = "91", region: str = "110108") -> str:
    """A valid USCC: registration authority + type, 6-digit region, organization code with its GB 11714
    check digit, then the GB 32100 check character."""
    return build_uscc(region, f"{serial % 10**8:08d}", registration=registration)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)


def _join_group(name: str):
    def join(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get_or_create(name=name)[0])

    return factory.PostGeneration(join)


class OfficerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"officer{n}")
    role_group = _join_group(roles.OFFICER)


class AdministratorFactory(UserFactory):
    """Administrators are staff (Django admin) and in the administrator group, not superusers."""

    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    role_group = _join_group(roles.ADMINISTRATOR)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name_zh = factory.Sequence(lambda n: f"中关村测试科技有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Zhongguancun Test Technology Co., Ltd. {n}")
    uscc = factory.Sequence(lambda n: make_uscc(10_000_000 + n))
    registration_type = RegistrationType.LIMITED_LIABILITY
    industry_group = IndustryGroup.ELECTRONIC_INFORMATION
    founded = datetime.date(2005, 6, 1)
    province = "北京"
    city = "北京"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    role = MemberRole.OWNER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    enterprise = factory.SubFactory(EnterpriseFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = MemberRole.EDITOR
    invited_by = None
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = factory.Sequence(lambda n: 2014 - n % 30)
    currency = "CNY"
    revenue_total = Decimal("50000000.00")
    revenue_foreign = Decimal("12000000.00")
    assets_total = Decimal("80000000.00")
    assets_foreign = Decimal("5000000.00")
    employees_total = 200
    employees_foreign = 12
    imports_total = Decimal("3000000.00")
    domestic_scope = DomesticScope.NATIONAL


_COUNTRIES = ["US", "DE", "JP", "GB", "FR", "KR", "SG", "AU", "CA", "IT", "NL", "BR", "IN", "RU", "HK", "TW", "MO"]


class ExportRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportRecord

    enterprise = factory.SubFactory(EnterpriseFactory)
    # (year, destination) runs through 17 countries by many years: no (year, destination, channel) repeats.
    year = factory.Sequence(lambda n: 2014 - (n // len(_COUNTRIES)) % 30)
    destination = factory.Sequence(lambda n: _COUNTRIES[n % len(_COUNTRIES)])
    channel = ExportChannel.DIRECT
    currency = "CNY"
    value = Decimal("1000000.00")


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EstablishmentModel

    enterprise = factory.SubFactory(EnterpriseFactory)
    country = "DE"
    city = factory.Sequence(lambda n: f"City {n}")
    kind = EstablishmentKind.SALES
    ownership_pct = Decimal("100.00")
    opened = datetime.date(2012, 3, 1)
    closed = None
    employees = 8


class PctApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PctApplication

    enterprise = factory.SubFactory(EnterpriseFactory)
    filed = datetime.date(2014, 5, 20)
    number = factory.LazyAttributeSequence(lambda o, n: f"PCT/CN{o.filed.year}/{n % 10**6:06d}")
    title = factory.Sequence(lambda n: f"Method and device for signal processing {n}")
    publication_number = ""
    national_phase = factory.LazyFunction(list)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    enterprise = factory.SubFactory(EnterpriseFactory)
    scheme = CertificationScheme.CE
    scheme_other = ""
    number = factory.Sequence(lambda n: f"CE-{n:06d}")
    issuer = "TÜV SÜD"
    target_market = "DE"
    issued = datetime.date(2013, 1, 15)
    expires = datetime.date(2018, 1, 14)


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"Low-power wide-area networks in practice, part {n}")
    venue = "IEEE Communications Magazine"
    country = "US"
    year = 2014


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense

    enterprise = factory.SubFactory(EnterpriseFactory)
    category = ExpenseCategory.EXHIBITION
    description = "Booth at a trade fair"
    currency = "CNY"
    amount = factory.Sequence(lambda n: Decimal("20000.00") + n)
    date = datetime.date(2014, 4, 10)
    provider = "Messe Frankfurt"


class EvidenceFileFactory(factory.django.DjangoModelFactory):
    """An evidence file with a real stored PDF (written through the model's private storage)."""

    class Meta:
        model = EvidenceFile

    record = factory.SubFactory(ExportRecordFactory)
    enterprise = factory.SelfAttribute("record.enterprise")
    file = factory.django.FileField(data=PDF_BYTES, filename="evidence.pdf")
    original_name = "evidence.pdf"
    mime_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    uploaded_by = None

    @classmethod
    def with_content(cls, record, name: str, data: bytes, mime_type: str) -> EvidenceFile:
        """An evidence file of `record` holding `data` under `name`, stored with `mime_type` as its type."""
        return cls(
            record=record,
            file=ContentFile(data, name=name),
            original_name=name,
            mime_type=mime_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
