from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reference.models import ExchangeRate, RegionalStatistic


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    list_display = ["currency", "year", "cny_per_unit", "source"]
    list_filter = ["year", "currency"]


@admin.register(RegionalStatistic)
class RegionalStatisticAdmin(SimpleHistoryAdmin):
    list_display = ["region", "year", "imports", "exports", "currency"]
    list_filter = ["region"]
