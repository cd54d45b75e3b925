"""Background tasks (Django's tasks API).

Development and tests use the immediate backend; production runs
``manage.py db_worker`` with django-tasks-db.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task


@task
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text message to each recipient (recipients don't see each other)."""
    sent = 0
    for address in recipients:
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return sent
