"""After the password, the second factor: nobody who has one gets in without using it."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.mfa import has_second_factor


def second_factor_exempt(view):
    """Reachable between the password and the second factor (the step itself, logout …)."""
    view.second_factor_exempt = True
    return view


def enrolment_view(view):
    """Managing one's second factors: reachable before the second factor only by someone who
    has none yet (an administrator sent to enrol). Whoever has one uses it first — otherwise
    the password alone could add an app, make recovery codes or remove the owner's factors."""
    view.enrolment_view = True
    return view


def require_verified_if_enrolled(user) -> None:
    """The same rule inside the views, whatever the middleware did."""
    from django.core.exceptions import PermissionDenied

    if user.is_authenticated and not user.is_verified() and has_second_factor(user):
        raise PermissionDenied


class SecondFactorMiddleware:
    """Sends a signed-in user who has a second factor but has not used it to that step.

    Administrators without one are sent to enrol when ``MFA_REQUIRED_FOR_STAFF``.
    Public views (``login_not_required``) are left alone, so they never touch
    the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        if getattr(view_func, "second_factor_exempt", False):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if has_second_factor(user):
            url = reverse("accounts:second-factor")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        if getattr(view_func, "enrolment_view", False):
            return None
        if user.is_staff and settings.MFA_REQUIRED_FOR_STAFF:
            return redirect("accounts:security")
        return None
