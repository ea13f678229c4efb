"""Zone totals the statistics read instead of every record: Σ and count per year, registration type, industry
group and currency, with the size band or the destination each breakdown groups by; the number of firms per
registration type and industry group; and the verified assessments per year, registration type and industry
group (which years Table 1 marks as verified).

They are maintained by database triggers (`zone.totals`) on annual reports, export records, firms and exchange
rates, in the transaction of every write whatever made it (forms, API, bulk import, seed, admin, raw SQL), so
the figures are never stale. A total whose count fell to 0 stays as a row with count 0 and is never read.
"""

from django.db import models

UNKNOWN_BAND = "unknown"  # no annual report that year, or no exchange rate for its currency and year

_SUM = {"max_digits": 32, "decimal_places": 2}  # Σ of up to 10^12 amounts of MONEY (20 digits)
_CELL = ["year", "registration_type", "industry_group"]


class YearlyTotal(models.Model):
    """What every total is kept by: the year, the firm's registration type and industry group, the currency."""

    year = models.PositiveSmallIntegerField()
    registration_type = models.CharField(max_length=20)
    industry_group = models.CharField(max_length=30)
    currency = models.CharField(max_length=3)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        key = getattr(self, "band", "") or getattr(self, "destination", "")
        return f"{self.year} {self.registration_type} {self.industry_group} {key} {self.currency}"


class BandTotal(YearlyTotal):
    """A yearly total that the size band breaks down (the band of the firm's revenue that year)."""

    band = models.CharField(max_length=10)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=[*_CELL, "band", "currency"], name="%(app_label)s_%(class)s_unique_cell")
        ]


class ReportTotal(BandTotal):
    """The annual reports of one year by the firm's registration type and industry group, the size band of the
    report's revenue and the report's currency: how many, and Σ imports."""

    reports = models.IntegerField()
    imports_total = models.DecimalField(**_SUM)


class ExportTotal(BandTotal):
    """The export records of one year by the firm's registration type and industry group, the size band of the
    firm's annual report of that year (UNKNOWN_BAND without one) and the export's currency."""

    records = models.IntegerField()
    exports_total = models.DecimalField(**_SUM)


class DestinationTotal(YearlyTotal):
    """The export records of one year by the firm's registration type and industry group, destination and
    currency."""

    destination = models.CharField(max_length=2)
    records = models.IntegerField()
    exports_total = models.DecimalField(**_SUM)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[*_CELL, "destination", "currency"], name="zone_destination_total_unique_cell"
            )
        ]


class FirmTotal(models.Model):
    """How many firms have a registration type and an industry group (the stage breakdown's "all firms")."""

    registration_type = models.CharField(max_length=20)
    industry_group = models.CharField(max_length=30)
    firms = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration_type", "industry_group"], name="zone_firm_total_unique_cell")
        ]

    def __str__(self) -> str:
        return f"{self.registration_type} {self.industry_group}: {self.firms}"


class VerifiedTotal(models.Model):
    """How many verified assessments are for a year among firms of a registration type and industry group."""

    year = models.PositiveSmallIntegerField()
    registration_type = models.CharField(max_length=20)
    industry_group = models.CharField(max_length=30)
    assessments = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=_CELL, name="zone_verified_total_unique_cell")]

    def __str__(self) -> str:
        return f"{self.year} {self.registration_type} {self.industry_group}: {self.assessments}"


class StatisticsVersion(models.Model):
    """One row: a token that every committed write of a figure of the statistics page replaces (`zone.freshness`):
    the key under which the page's figures may be cached."""

    token = models.CharField(max_length=32)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="zone_statistics_version_one_row")]

    def __str__(self) -> str:
        return self.token


class StatisticsChange(models.Model):
    """A transaction that wrote a figure of the statistics page and has not committed yet (PostgreSQL): its
    one row fires the deferred trigger that replaces the token at commit (`zone.freshness`)."""

    def __str__(self) -> str:
        return f"change {self.pk}"
