from django.urls import path

from anomalies import views

app_name = "anomalies"

urlpatterns = [
    path("", views.anomaly_list, name="list"),
    path("anomalies.csv", views.anomaly_csv, name="csv"),
    path("check/", views.zone_check, name="check"),
    path(
        "<slug:rule>/<int:enterprise_id>/<int:year>/<int:record_id>/explain/",
        views.anomaly_explain,
        name="explain",
    ),
]
