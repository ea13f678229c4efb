from django.urls import path

from assessments import views
from enterprises import views as enterprise_views

app_name = "evidence"

urlpatterns = [
    path("<int:evidence_id>/", views.evidence_download, name="download"),
    path("<int:evidence_id>/preview/", views.evidence_preview, name="preview"),
    path("<int:evidence_id>/delete/", enterprise_views.evidence_delete, name="delete"),
]
