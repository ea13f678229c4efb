from django.shortcuts import render

from accounts.decorators import officer_required


@officer_required
def upload(request):
    return render(request, "bulkimport/upload.html", {})
