from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api import selectors, services
from api.forms import TokenCreateForm


@login_required
def token_list(request: HttpRequest):
    """The user's tokens; creating one shows its secret on this answer only."""
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, secret = services.token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.expires_at(),
        )
        created = {"token": token, "secret": secret}
        form = TokenCreateForm()
    context = {"form": form, "created": created, "tokens": selectors.tokens_for(request.user)}
    response = render(request, "api/tokens.html", context)
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int):
    token = get_object_or_404(selectors.tokens_for(request.user), pk=pk)
    services.token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
    return redirect("api_tokens:list")


def api_not_found(request: HttpRequest, rest: str = ""):
    """JSON, not the site's HTML page, for an unknown address under /api/."""
    return JsonResponse({"detail": _("Not found."), "field": None}, status=404)
