from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts import services
from accounts.decorators import administrator_required
from accounts.forms import SignUpForm, StaffUserForm
from accounts.models import User


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = SignUpForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account has been created."))
        return redirect(next_url or "enterprises:register")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


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
