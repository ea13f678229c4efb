from django.urls import path

from bulkimport import views

app_name = "bulkimport"

urlpatterns = [path("", views.upload, name="upload")]
