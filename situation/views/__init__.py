"""Workspace pages for lägesbilder: thin views over selectors and services.

Every lookup goes through ``visible_to(user)`` (outside your organisations:
404) and every change through ``can_edit_report`` (visible but not allowed:
403), then one service call. Adding rows works as plain form posts; with htmx
the same views answer with the page's section partial instead of a redirect.
"""

from situation.views.imports import indicator_import, indicator_import_confirm
from situation.views.parts import (
    finding_create,
    finding_delete,
    finding_update,
    indicator_create,
    indicator_delete,
    indicator_detail,
    indicator_update,
    source_create,
    source_delete,
    source_update,
    value_create,
    value_delete,
    value_update,
)
from situation.views.reports import (
    dashboard_panel,
    report_create,
    report_detail,
    report_list,
    report_update,
)

__all__ = [
    "dashboard_panel",
    "finding_create",
    "finding_delete",
    "finding_update",
    "indicator_create",
    "indicator_delete",
    "indicator_detail",
    "indicator_import",
    "indicator_import_confirm",
    "indicator_update",
    "report_create",
    "report_detail",
    "report_list",
    "report_update",
    "source_create",
    "source_delete",
    "source_update",
    "value_create",
    "value_delete",
    "value_update",
]
