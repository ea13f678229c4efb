from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("<int:enterprise_id>/assessments/", views.assessment_list, name="list"),
    path("<int:enterprise_id>/assessments/<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:enterprise_id>/assessments/<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("<int:enterprise_id>/assessments/<int:pk>/delete/", views.assessment_delete, name="delete"),
    path("<int:enterprise_id>/maturity/", views.maturity_report, name="maturity"),
]
