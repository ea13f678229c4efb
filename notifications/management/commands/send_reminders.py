from django.core.management.base import BaseCommand

from notifications.reminders import reminders_send


class Command(BaseCommand):
    help = "Send the deadline reminders that are due (idempotent; run it hourly, on any number of hosts)."

    def handle(self, *args, **options) -> None:
        outcome = reminders_send()
        self.stdout.write(f"reminders sent: {outcome.sent}, already sent: {outcome.skipped}")
