from django.urls import include, path, re_path

from api import views
from api.api import api
from api.http import json_method_not_allowed

token_patterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]

_patterns, *_names = api.urls  # (not `app_name`: that name would make this whole module a namespace)
for _pattern in _patterns:
    _pattern.callback = json_method_not_allowed(_pattern.callback)

urlpatterns = [
    path("api/v1/", (_patterns, *_names)),
    re_path(r"^api/(?P<rest>.*)$", views.api_not_found, name="api_not_found"),
    path("accounts/tokens/", include((token_patterns, "api_tokens"))),
]
