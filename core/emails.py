"""The one way the site sends email: a background task, enqueued once the transaction has committed."""

from django.core.mail import EmailMessage
from django.db import transaction

from core.tasks import retrying_task


@retrying_task
def send_email(*, to: list[str], subject: str, body: str) -> int:
    return EmailMessage(subject=subject, body=body, to=to).send()


def email_on_commit(*, to: list[str], subject: str, body: str) -> None:
    """Queue one email for after the commit: a slow or failing mail server never touches the request."""
    subject = " ".join(str(subject).split())  # headers take one line
    transaction.on_commit(lambda: send_email.enqueue(to=list(to), subject=subject, body=str(body)), robust=True)
