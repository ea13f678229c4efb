from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("methodology/", views.methodology, name="methodology"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    path("firms/<int:enterprise_id>/reports/", views.issued_list, name="list"),
    path("firms/<int:enterprise_id>/reports/<int:pk>.pdf", views.report_pdf, name="pdf"),
]
