from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import health


@never_cache
@require_safe
def healthz(request):
    results = health.run_checks()
    healthy = all(results.values())
    body = {"status": "ok" if healthy else "fail", "checks": {k: "ok" if v else "fail" for k, v in results.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
