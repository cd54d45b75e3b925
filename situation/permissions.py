"""Who may read and change lägesbilder, as ``rules`` predicates.

Reading follows the partnership (any role in one of its organisations);
changing needs a coordinator of one of them. Views, services and templates ask
the same predicates so a button and its view never disagree.
"""

import rules

from organizations.permissions import can_coordinate_partnership, can_view_partnership


def _partnership(obj):
    """The partnership of a report or of any part of one."""
    if obj is None:
        return None
    if hasattr(obj, "partnership"):
        return obj.partnership
    if hasattr(obj, "report"):
        return obj.report.partnership
    if hasattr(obj, "indicator"):
        return obj.indicator.report.partnership
    return None


@rules.predicate
def can_view_report(user, obj) -> bool:
    return bool(can_view_partnership(user, _partnership(obj)))


@rules.predicate
def can_edit_report(user, obj) -> bool:
    return bool(can_coordinate_partnership(user, _partnership(obj)))


rules.add_perm("situation.see_report", can_view_report)
rules.add_perm("situation.edit_report", can_edit_report)
