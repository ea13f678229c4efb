from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def provider_list(request):
    return render(request, "providers/list.html", {})
