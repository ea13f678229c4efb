from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts import services
from accounts.decorators import administrator_required
from accounts.forms import SignUpForm, StaffUserForm
from accounts.models import User
from accounts.verification import token_payload


def _local_next(request) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return next_url if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}) else ""


def _link_builder(request, next_url: str):
    def link_for(token: str) -> str:
        url = request.build_absolute_uri(reverse("accounts:verify_email", args=[token]))
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

    return link_for


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    next_url = _local_next(request)
    form = SignUpForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.user_signup(
            username=data["username"],
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            language=translation.get_language() or "",
            link_for=_link_builder(request, next_url),
        )
        return redirect("accounts:signup_done")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


def signup_done(request):
    """The same answer for a new and for a known address: nothing here tells which addresses have accounts."""
    return render(request, "registration/signup_done.html")


def verify_email(request, token: str):
    payload = token_payload(token)
    user = services.user_verify_email(user_id=payload[0], email=payload[1]) if payload else None
    if user is None:
        return render(request, "registration/verify_email_invalid.html", status=400)
    messages.success(request, _("Your e-mail address is verified."))
    next_url = _local_next(request)
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect(next_url or "home")
    login_url = reverse("login")
    return redirect(f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url)


@login_required
def verify_pending(request):
    """Where a signed-in user whose address is not verified yet lands (accounts.middleware)."""
    if request.user.email_verified:
        return redirect("home")
    if request.method == "POST":
        services.user_send_verification(user=request.user, link_for=_link_builder(request, ""))
        messages.success(request, _("We sent you a new link."))
        return redirect("accounts:verify_pending")
    return render(request, "registration/verify_pending.html")


@administrator_required
def user_list(request):
    users = User.objects.prefetch_related("groups", "memberships__enterprise").order_by("username")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(username__icontains=query) | users.filter(email__icontains=query)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "query": query})


@administrator_required
def staff_user_create(request):
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.staff_user_create(
            username=data["username"],
            email=data["email"],
            password=data["password"],
            role=data["role"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        messages.success(request, _("User %(user)s created.") % {"user": user.username})
        return redirect("accounts:users")
    return render(request, "accounts/staff_user_form.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A completed password reset also lifts a log-in lock-out of that user name (from every address)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_unlock(username=form.user.get_username())
        return response
