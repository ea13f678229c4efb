from django.urls import path

from bulkimport import views

app_name = "bulkimport"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("template/<slug:kind>.<slug:fmt>", views.template_download, name="template"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("batches/<int:pk>/errors.csv", views.batch_errors_csv, name="batch_errors"),
]
