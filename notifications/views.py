from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.forms import MarkReadForm, ProfileForm


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request):
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This notification does not exist."))
        return redirect("notifications:list")
    chosen = form.cleaned_data["notification"]
    services.notifications_mark_read(user=request.user, notification_ids=[chosen] if chosen else None)
    return redirect("notifications:list")


@login_required
def profile(request):
    user = request.user
    initial = {"language": user.language or translation.get_language(), "email_kinds": selectors.email_kinds_on(user)}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.email_preferences_set(
            user=user, language=form.cleaned_data["language"], email_kinds=form.cleaned_data["email_kinds"]
        )
        messages.success(request, _("Your settings are saved."))
        return redirect("profile")
    return render(request, "notifications/profile.html", {"form": form})
