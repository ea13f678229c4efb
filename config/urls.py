from django.contrib import admin
from django.urls import include, path

from accounts.urls import auth_patterns
from core.views import healthz
from enterprises.views import home
from notifications import views as notification_views

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("notifications/", include("notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/profile/", notification_views.profile, name="profile"),
    path("accounts/", include(auth_patterns)),
    path("accounts/", include("accounts.urls")),
    path("", include("reports.urls")),  # before enterprises' /firms/<id>/<kind>/ would take /firms/<id>/reports/
    path("firms/", include("assessments.urls")),
    path("firms/", include("enterprises.urls")),
    path("review/", include("assessments.review_urls")),
    path("rounds/", include("rewards.urls")),
    path("statistics/", include("zone.urls")),
    path("anomalies/", include("anomalies.urls")),
    path("providers/", include("providers.urls")),
    path("import/", include("bulkimport.urls")),
    path("evidence/", include("assessments.evidence_urls")),
    path("invitations/", include("enterprises.invitation_urls")),
    path("", include("api.urls")),
]
