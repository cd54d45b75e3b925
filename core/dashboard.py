"""Panels on the workspace dashboard ("Mitt arbete").

Each domain app registers a panel from its ``AppConfig.ready()``; the dashboard
renders them in registration order. This keeps ``core`` free of domain imports
while every app decides what it shows its users.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template_name: str
    context: dict


PanelProvider = Callable[[HttpRequest], Panel | None]
_providers: list[PanelProvider] = []


def register(provider: PanelProvider) -> PanelProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(request: HttpRequest) -> list[Panel]:
    return [panel for provider in _providers if (panel := provider(request)) is not None]
