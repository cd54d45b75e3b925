"""Accepting an invitation: the one-time link a local administrator e-mailed.

A newcomer chooses a username and a password (Django's password validators)
and is signed in; someone who already has an account signs in first and
takes the role with one button. A signatory in a partnership that requires
a second factor for signing goes straight on to add an authenticator app
(``accounts.views.totp_add``). The link works once, for seven days.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordMixin, UserCreationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import mfa
from core.errors import attach_errors
from core.forms import CrispyFormMixin
from organizations import services
from organizations.models import Membership, Partnership

User = get_user_model()


class InvitationSignupForm(CrispyFormMixin, UserCreationForm):
    """Name, username and password of the new account; the e-mail address is the invitation's."""

    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=gettext_lazy("Välj lösenord"), label2=gettext_lazy("Samma lösenord igen")
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("first_name", "last_name", "username")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].help_text = _(
            "Det du loggar in med. Bokstäver, siffror och @ . + - _ går bra."
        )


def second_factor_expected(user) -> bool:
    """A signatory in a partnership that requires two factors for signing, without one yet."""
    if mfa.has_second_factor(user):
        return False
    signs_for = Membership.objects.filter(user=user, role=Membership.Role.SIGNATORY).values_list(
        "organisation_id", flat=True
    )
    return (
        Partnership.objects.of_organisations(signs_for)
        .filter(require_mfa_for_signing=True)
        .exclude(status=Partnership.Status.NOT_AGREED)
        .exists()
    )


def _welcome(request: HttpRequest, membership: Membership) -> HttpResponse:
    welcome = _("Välkommen! Du är nu %(role)s i %(organisation)s.") % {
        "role": membership.get_role_display().lower(),
        "organisation": membership.organisation,
    }
    if second_factor_expected(request.user):
        messages.success(
            request,
            welcome
            + " "
            + _(
                "Som undertecknare bekräftar du varje underskrift med en kod från en app. "
                "Lägg till appen nu."
            ),
        )
        return redirect("accounts:totp-add")
    messages.success(request, welcome)
    return redirect("core:dashboard")


@never_cache
@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page the invitation's link opens."""
    invitation = services.invitation_for_token(token)
    try:
        services.invitation_check(invitation)
    except ValidationError as error:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"message": error.messages[0]},
            status=410 if error.code == "expired" else 404,
        )
    context = {"invitation": invitation, "organisation": invitation.organisation}
    user = request.user
    if user.is_authenticated:
        if mfa.has_second_factor(user) and not user.is_verified():
            # This page is open to newcomers, so the middleware leaves it alone.
            return redirect(
                reverse("accounts:second-factor")
                + "?"
                + urlencode({"next": request.get_full_path()})
            )
        if request.method == "POST":
            try:
                membership = services.invitation_accept(token=token, user=user)
            except ValidationError as error:
                context["error"] = error.messages[0]
            else:
                return _welcome(request, membership)
        return render(
            request,
            "accounts/invitation_accept.html",
            context,
            status=400 if "error" in context else 200,
        )
    if User.objects.filter(email__iexact=invitation.email).exists():
        context["login_url"] = (
            reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
        )
        return render(request, "accounts/invitation_accept.html", context)
    form = InvitationSignupForm(
        request.POST or None,
        instance=User(email=invitation.email),
        initial={
            "first_name": invitation.first_name,
            "last_name": invitation.last_name,
            "username": invitation.email.split("@")[0].lower()[:150],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            return _welcome(request, membership)
    context["form"] = form
    return render(
        request,
        "accounts/invitation_accept.html",
        context,
        status=400 if form.errors else 200,
    )
