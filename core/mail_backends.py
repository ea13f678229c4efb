"""Email backends for tests and the benchmark: a slow mail server and a broken one."""

import time

from django.conf import settings
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class SlowEmailBackend(LocmemBackend):
    """Delivers to the locmem outbox after EMAIL_SLOW_SECONDS (default 5)."""

    def send_messages(self, messages):
        time.sleep(getattr(settings, "EMAIL_SLOW_SECONDS", 5))
        return super().send_messages(messages)


class FailingEmailBackend(LocmemBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server unreachable")
