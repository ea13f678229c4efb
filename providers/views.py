from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.decorators import administrator_required
from providers import services
from providers.filters import ProviderFilter
from providers.forms import ServiceProviderForm
from providers.models import ServiceProvider
from providers.selectors import visible_providers

PAGE_SIZE = 25


@login_required
def provider_list(request):
    filterset = ProviderFilter(request.GET or None, queryset=visible_providers(request.user).order_by("name", "pk"))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "providers/list.html", {"filter": filterset, "page": page})


@login_required
def provider_detail(request, pk: int):
    provider = get_object_or_404(visible_providers(request.user), pk=pk)
    return render(request, "providers/detail.html", {"provider": provider})


def _edit(request, provider: ServiceProvider | None):
    form = ServiceProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        saved = services.provider_save(provider=form.save(commit=False))
        messages.success(request, _("Provider %(name)s saved.") % {"name": saved.name})
        return redirect("providers:detail", pk=saved.pk)
    return render(request, "providers/form.html", {"form": form, "provider": provider})


@administrator_required
def provider_create(request):
    return _edit(request, None)


@administrator_required
def provider_update(request, pk: int):
    return _edit(request, get_object_or_404(ServiceProvider, pk=pk))


@administrator_required
def provider_delete(request, pk: int):
    provider = get_object_or_404(ServiceProvider, pk=pk)
    if request.method == "POST":
        services.provider_unlist(provider=provider)
        messages.success(request, _("Provider %(name)s is no longer listed.") % {"name": provider.name})
        return redirect("providers:list")
    return render(request, "providers/confirm_delete.html", {"provider": provider})
