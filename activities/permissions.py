"""Who may do what with activity plans, activities and reports.

They follow the promise: members of the partnership read, its coordinators
plan and report. Used by views, services and templates alike.
"""

import rules

from promises.permissions import can_coordinate_promise, can_view_promise


@rules.predicate
def can_view_plan(user, plan) -> bool:
    return plan is not None and can_view_promise(user, plan.promise)


@rules.predicate
def can_edit_plan(user, plan) -> bool:
    return plan is not None and can_coordinate_promise(user, plan.promise)


@rules.predicate
def can_report_activity(user, activity) -> bool:
    return activity is not None and can_coordinate_promise(user, activity.plan.promise)


rules.add_perm("activities.see_plan", can_view_plan)
rules.add_perm("activities.edit_plan", can_edit_plan)
rules.add_perm("activities.report_activity", can_report_activity)
