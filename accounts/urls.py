from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import two_factor, views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("verify/", views.verify_pending, name="verify_pending"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.staff_user_create, name="staff_create"),
    path("users/<int:pk>/second-factor/reset/", two_factor.otp_reset, name="otp_reset"),
    path("second-factor/setup/", two_factor.otp_setup, name="otp_setup"),
    path("second-factor/", two_factor.otp_verify, name="otp_verify"),
]

# Django's own views keep their global names (login, logout, password_reset, ...).
auth_patterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("", include("django.contrib.auth.urls")),
]
