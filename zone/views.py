from django.http import HttpResponse
from django.shortcuts import render

from accounts.decorators import officer_required


@officer_required
def statistics_page(request):
    return render(request, "zone/statistics.html", {})


@officer_required
def trade_csv(request):
    return HttpResponse("", content_type="text/csv")
