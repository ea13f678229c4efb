from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.money import MONEY
from reference.currencies import validate_currency


class ExchangeRate(models.Model):
    """Annual average rate: how many CNY one unit of `currency` was worth in `year`."""

    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    year = models.PositiveSmallIntegerField(_("year"))
    cny_per_unit = models.DecimalField(_("CNY per unit"), max_digits=18, decimal_places=8)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-year", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "year"], name="exchange_rate_unique_currency_year"),
            models.CheckConstraint(condition=Q(cny_per_unit__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.year}: {self.cny_per_unit} CNY"


class RegionalStatistic(models.Model):
    """A region's published foreign trade in a year (e.g. Beijing), for share-of-region figures."""

    region = models.CharField(_("region"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    imports = models.DecimalField(_("imports"), **MONEY)
    exports = models.DecimalField(_("exports"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="USD", validators=[validate_currency])
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regional statistic")
        verbose_name_plural = _("regional statistics")
        ordering = ["region", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="regional_statistic_unique_region_year"),
            models.CheckConstraint(
                condition=Q(imports__gte=0) & Q(exports__gte=0), name="regional_statistic_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"

    @property
    def trade(self) -> Decimal:
        return self.imports + self.exports
