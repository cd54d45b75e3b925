"""The two hooks the publishing services call, inside their transaction.

``promises.services._publish_if_complete`` and ``followups.services.followup_publish``
each call one of these; the mail is queued only once the transaction commits,
so a publication that rolls back tells nobody.
"""

from django.db import transaction


def promise_published(promise) -> None:
    from subscriptions.tasks import notify_promise_published

    pk = promise.pk
    transaction.on_commit(lambda: notify_promise_published.enqueue(pk))


def followup_published(followup) -> None:
    from subscriptions.tasks import notify_followup_published

    pk = followup.pk
    transaction.on_commit(lambda: notify_followup_published.enqueue(pk))
