"""Deployment checks: a production site must name who runs it and where residents write.

The defaults (``example.se``, "demoinstallation") keep the demo honest about being a
demo; ``manage.py check --deploy`` says which of them a real installation still uses.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register

SENDER_SETTINGS = ("CONTACT_EMAIL", "ACCESSIBILITY_EMAIL", "PRIVACY_EMAIL")


@register(Tags.security, deploy=True)
def sender_is_named(app_configs=None, **kwargs):
    problems = []
    for name in SENDER_SETTINGS:
        value = getattr(settings, name, "")
        if not value or value.rsplit("@", 1)[-1].lower() in {"example.se", "example.com"}:
            problems.append(
                Warning(
                    f"{name} är {value!r}: invånare kan inte nå den som driver tjänsten.",
                    hint=f"Sätt {name} till en adress som någon läser.",
                    id="medborgarlofte.W001",
                )
            )
    if "demoinstallation" in settings.SERVICE_OWNER:
        problems.append(
            Warning(
                "SERVICE_OWNER är standardvärdet: webbplatsen säger inte vem som står bakom den.",
                hint="Sätt SERVICE_OWNER till myndighetens namn, t.ex. 'Katrineholms kommun'.",
                id="medborgarlofte.W002",
            )
        )
    return problems
