from django.urls import path

from zone import views

app_name = "zone"

urlpatterns = [
    path("", views.statistics_page, name="statistics"),
    path("trade.csv", views.trade_csv, name="trade_csv"),
    path("statistics.xlsx", views.workbook_xlsx, name="workbook_xlsx"),
    path("<slug:table>.csv", views.breakdown_csv, name="breakdown_csv"),
]
