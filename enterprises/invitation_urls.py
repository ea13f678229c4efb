from django.urls import path

from enterprises import views

app_name = "invitations"

urlpatterns = [path("<uuid:token>/", views.invitation_accept, name="accept")]
