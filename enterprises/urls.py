from django.urls import path

from enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.firm_list, name="list"),
    path("register/", views.firm_register, name="register"),
    path("<int:enterprise_id>/", views.firm_overview, name="overview"),
    path("<int:enterprise_id>/edit/", views.firm_edit, name="edit"),
    path("<int:enterprise_id>/members/", views.firm_members, name="members"),
    path("<int:enterprise_id>/history/", views.firm_history, name="history"),
    path("<int:enterprise_id>/<slug:kind>/", views.record_list, name="record_list"),
    path("<int:enterprise_id>/<slug:kind>/new/", views.record_form, name="record_create"),
    path("<int:enterprise_id>/<slug:kind>/<int:pk>/", views.record_detail, name="record_detail"),
    path("<int:enterprise_id>/<slug:kind>/<int:pk>/edit/", views.record_form, name="record_edit"),
    path("<int:enterprise_id>/<slug:kind>/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("<int:enterprise_id>/<slug:kind>/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
]
