from django.urls import path

from enterprises import views

app_name = "evidence"

urlpatterns = [
    path("<int:evidence_id>/", views.evidence_download, name="download"),
    path("<int:evidence_id>/delete/", views.evidence_delete, name="delete"),
]
