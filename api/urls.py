from django.urls import include, path, re_path

from api import views
from api.api import api

token_patterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", views.api_not_found, name="api_not_found"),
    path("accounts/tokens/", include((token_patterns, "api_tokens"))),
]
