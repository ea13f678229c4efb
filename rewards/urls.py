from django.urls import path

from rewards import views

app_name = "rewards"

urlpatterns = [
    path("", views.public_rounds, name="public_list"),
    path("<int:pk>/", views.public_results, name="results"),
    path("<int:pk>/results.csv", views.results_csv, name="results_csv"),
    path("<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("manage/", views.round_list, name="manage_list"),
    path("manage/new/", views.round_form, name="create"),
    path("manage/<int:pk>/", views.round_manage, name="manage"),
    path("manage/<int:pk>/edit/", views.round_form, name="edit"),
    path("manage/<int:pk>/simulate/", views.round_simulate, name="simulate"),
    path("manage/<int:pk>/ranking/", views.ranking_status, name="ranking_status"),
    path("manage/<int:pk>/<slug:action>/", views.round_action, name="action"),
]
