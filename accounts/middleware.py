from django.shortcuts import redirect
from django.urls import Resolver404, resolve

#: what a signed-in user with an unverified e-mail address may still reach
UNVERIFIED_ALLOWED = {
    "logout",
    "set_language",
    "accounts:verify_pending",
    "accounts:verify_email",
    "password_change",
    "password_change_done",
}


class EmailVerificationMiddleware:
    """A user who signed up but has not followed the e-mailed link sees only the "verify your e-mail" page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.email_verified:
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = ""
            if view_name and view_name not in UNVERIFIED_ALLOWED:
                return redirect("accounts:verify_pending")
        return self.get_response(request)
