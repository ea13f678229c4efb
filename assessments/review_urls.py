from django.urls import path

from assessments import views

app_name = "review"

urlpatterns = [
    path("", views.review_queue, name="queue"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/items/", views.review_item, name="item"),
    path("<int:pk>/decide/", views.review_decide, name="decide"),
    path("<int:pk>/verify-remaining/", views.review_verify_remaining, name="verify_remaining"),
]
