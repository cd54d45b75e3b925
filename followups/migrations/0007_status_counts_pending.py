"""Every published promise's search group marked pending, so ``manage.py search_check``
(run by ``make run`` and on deploy) writes its stored status counts (0006) the next
time it runs; entries that are already right are left as they are."""

from django.db import migrations


def mark_pending(apps, schema_editor):
    Promise = apps.get_model("promises", "Promise")
    SearchPending = apps.get_model("core", "SearchPending")
    keys = (
        f"promise:{pk}"
        for pk in Promise.objects.filter(published_version__isnull=False).values_list(
            "pk", flat=True
        )
    )
    SearchPending.objects.bulk_create(
        [SearchPending(group_key=key) for key in keys], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0006_promise_status_counts"),
        ("core", "0003_search_parts_digest_pending"),
    ]

    operations = [migrations.RunPython(mark_pending, migrations.RunPython.noop)]
