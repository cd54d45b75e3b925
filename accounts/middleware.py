"""After the password, the second factor: nobody who has one gets in without using it."""

from functools import wraps

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import urlencode

from accounts.mfa import has_second_factor


def second_factor_exempt(view):
    """Reachable between the password and the second factor (the step itself, logout …)."""
    view.second_factor_exempt = True
    return view


def require_verified_if_enrolled(user) -> None:
    """Whoever has a second factor has used it in this session, or is refused."""
    if user.is_authenticated and not user.is_verified() and has_second_factor(user):
        raise PermissionDenied


def enrolment_view(view):
    """Managing one's second factors: reachable before the second factor only by someone who
    has none yet (an administrator sent to enrol). Whoever has one uses it first — otherwise
    the password alone could add an app, make recovery codes or remove the owner's factors.
    The middleware sends them to the second step; the view refuses them itself as well."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        require_verified_if_enrolled(request.user)
        return view(request, *args, **kwargs)

    checked.enrolment_view = True
    return checked


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


#: Longer "next" addresses are cut back to the path: Django refuses to redirect to a URL
#: over 16,384 characters (a 400 and a logged traceback for any long query string).
NEXT_MAX_LENGTH = 2000


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, except that a very long address is not carried whole into ``next``."""

    def handle_no_permission(self, request, view_func):
        if len(request.get_full_path()) <= NEXT_MAX_LENGTH:
            return super().handle_no_permission(request, view_func)
        path = request.path if len(request.path) <= NEXT_MAX_LENGTH else "/"
        return redirect_to_login(
            path,
            resolve_url(self.get_login_url(view_func)),
            self.get_redirect_field_name(view_func),
        )
