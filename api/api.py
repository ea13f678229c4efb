"""The JSON API, version 1: /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from ninja import NinjaAPI, Swagger

from api import errors
from api.auth import AddressThrottle, TokenThrottle
from api.routers import firms, open_data, review, statistics

DESCRIPTION = """Open data of published reward rounds (no authentication), officers' statistics and review queue,
and firm members' records. Authenticate with a personal access token (`Authorization: Bearer <token>`), created
under *Account › API tokens*. Lists are paginated with `?after=<cursor>&limit=<n>` (the cursor is the `next`
of the previous page). Errors answer `{"detail": "...", "field": "..."}`. Money is a string with two
decimals next to its `currency`; dates are ISO 8601."""

api = NinjaAPI(
    title="Internationalization maturity API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=Swagger(settings={"persistAuthorization": False}),  # assets from the django-ninja package (no CDN)
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[AddressThrottle(), TokenThrottle()],
)
errors.install(api)
api.add_router("", open_data.router)
api.add_router("", statistics.router)
api.add_router("", review.router)
api.add_router("", firms.router)
