"""The demo: Kalmar and Katrineholm as `make run` shows them, written through the services.

Every row is written the way a person would write it in the workspace — the
same service, as the person who would do it, inside a history context naming
them — so the demo goes down the paths users take: the transition log, the
history, the versions and their hash chain are those of real work. Reading
(lookups) is direct; writing is not, with the exceptions each part names.

The parts run in this order, each idempotent (what exists is skipped, so a
second run writes nothing): accounts and organisations, lägesbilder,
promises, activity plans, follow-ups. The content is in ``demo.data``.
``manage.py load_demo`` runs them.
"""

from demo import accounts, activities, followups, promises, situation_reports

PARTS = [accounts, situation_reports, promises, activities, followups]


def load(stdout=None) -> bool:
    """Load every part; returns whether anything was written."""
    wrote = False
    for part in PARTS:
        wrote = part.load(stdout=stdout) or wrote
    return wrote
