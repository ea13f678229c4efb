from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

SECRET_KEY_MISSING = "accounts.E001"


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs) -> list[Error]:
    """Sessions, password resets and invitation links are signed with SECRET_KEY: it must exist."""
    try:
        if settings.SECRET_KEY:
            return []
    except ImproperlyConfigured:  # Django refuses to read an empty key
        pass
    return [Error("SECRET_KEY is not set.", hint="Set the SECRET_KEY environment variable.", id=SECRET_KEY_MISSING)]
