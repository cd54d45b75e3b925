"""The second factor: the step after the password, and the security page where it is set up.

Thin views: they read the request, call ``accounts.mfa`` and render.
WebAuthn needs JavaScript (``static/js/passkeys.js``); codes from an app and
recovery codes work without it.
"""

import json
from base64 import b32encode
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.middleware import enrolment_view, second_factor_exempt
from accounts.models import PasskeyCredential
from accounts.password_reset import request_reset

LOGIN_NONCE = "mfa-login-nonce"
REGISTER_NONCE = "mfa-register-nonce"
PENDING_TOTP = "mfa-pending-totp"


def relying_party(request: HttpRequest) -> tuple[str, str]:
    """(RP id, origin) of the site as this request reached it (host checked by Django)."""
    host = request.get_host()
    return urlsplit(f"//{host}").hostname, f"{request.scheme}://{host}"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("core:dashboard")


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the app, a recovery code, or a security key."""
    user = request.user
    if user.is_verified() or not mfa.has_second_factor(user):
        return redirect(_next(request))
    rp_id, origin = relying_party(request)
    error = None
    if request.method == "POST":
        factor = mfa.SecondFactor(
            code=request.POST.get("code", "")[:64],
            passkey=request.POST.get("passkey", "")[:20000],
            nonce=request.session.get(LOGIN_NONCE, ""),
            origin=origin,
            rp_id=rp_id,
        )
        try:
            device = mfa.verify(user, factor, purpose="login")
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            request.session.pop(LOGIN_NONCE, None)
            otp_login(request, device)
            return redirect(_next(request))
    nonce = mfa.new_nonce()
    request.session[LOGIN_NONCE] = nonce
    options = (
        mfa.passkey_authentication_options(user, rp_id=rp_id, nonce=nonce, purpose="login")
        if mfa.has_passkey(user)
        else None
    )
    return render(
        request,
        "accounts/second_factor.html",
        {
            "error": error,
            "next": _next(request),
            "passkey_options": json.loads(options) if options else None,
        },
        status=400 if error else 200,
    )


@enrolment_view
def security(request: HttpRequest) -> HttpResponse:
    """The person's second factors: app, recovery codes, security keys."""
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "totp_devices": TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"),
            "recovery": StaticDevice.objects.filter(user=user, confirmed=True)
            .prefetch_related("token_set")
            .first(),
            "passkeys": PasskeyCredential.objects.filter(user=user, confirmed=True).order_by("pk"),
            "has_second_factor": mfa.has_second_factor(user),
            "breadcrumbs": [(_("Säkerhet och tvåstegsverifiering"), None)],
        },
    )


def _qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@enrolment_view
@require_http_methods(["GET", "POST"])
def totp_add(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the code (or type the key), then confirm one code."""
    user = request.user
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False, pk=request.session.get(PENDING_TOTP)
    ).first()
    error = None
    if request.method == "POST" and device is not None:
        try:
            mfa.totp_confirm(user, device, request.POST.get("code", "")[:64])
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            request.session.pop(PENDING_TOTP, None)
            otp_login(request, device)
            messages.success(request, _("Appen är tillagd. Du loggar nu in med lösenord och kod."))
            if not StaticDevice.objects.filter(user=user, confirmed=True).exists():
                return redirect("accounts:recovery-codes")
            return redirect("accounts:security")
    if device is None:
        device = mfa.totp_start(user)
        request.session[PENDING_TOTP] = device.pk
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/totp_add.html",
        {
            "qr_svg": _qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "error": error,
            "breadcrumbs": [
                (_("Säkerhet och tvåstegsverifiering"), reverse("accounts:security")),
                (_("Lägg till kodapp"), None),
            ],
        },
        status=400 if error else 200,
    )


@enrolment_view
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once. GET explains; POST makes a new list."""
    codes = None
    if request.method == "POST":
        if not mfa.has_second_factor(request.user):
            raise Http404
        codes = mfa.recovery_codes_generate(request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": codes,
            "breadcrumbs": [
                (_("Säkerhet och tvåstegsverifiering"), reverse("accounts:security")),
                (_("Reservkoder"), None),
            ],
        },
    )


@enrolment_view
@require_http_methods(["GET", "POST"])
def passkey_add(request: HttpRequest) -> HttpResponse:
    """Register a passkey or security key (needs JavaScript for the browser's dialog)."""
    rp_id, origin = relying_party(request)
    error = None
    if request.method == "POST":
        try:
            mfa.passkey_register(
                request.user,
                response=request.POST.get("passkey", "")[:20000],
                nonce=request.session.get(REGISTER_NONCE, ""),
                origin=origin,
                rp_id=rp_id,
                name=request.POST.get("name", "").strip(),
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            request.session.pop(REGISTER_NONCE, None)
            messages.success(request, _("Säkerhetsnyckeln är registrerad."))
            if not StaticDevice.objects.filter(user=request.user, confirmed=True).exists():
                return redirect("accounts:recovery-codes")
            return redirect("accounts:security")
    nonce = mfa.new_nonce()
    request.session[REGISTER_NONCE] = nonce
    return render(
        request,
        "accounts/passkey_add.html",
        {
            "options": json.loads(
                mfa.passkey_registration_options(request.user, rp_id=rp_id, nonce=nonce)
            ),
            "error": error,
            "breadcrumbs": [
                (_("Säkerhet och tvåstegsverifiering"), reverse("accounts:security")),
                (_("Lägg till säkerhetsnyckel"), None),
            ],
        },
        status=400 if error else 200,
    )


DEVICE_MODELS = {"app": TOTPDevice, "nyckel": PasskeyCredential, "reservkoder": StaticDevice}


@enrolment_view
@require_POST
def device_remove(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Remove one second factor, after the password is given again."""
    model = DEVICE_MODELS.get(kind)
    if model is None:
        raise Http404
    device = get_object_or_404(model, pk=pk, user=request.user)
    if not request.user.check_password(request.POST.get("password", "")):
        messages.error(request, _("Fel lösenord. Inget togs bort."))
        return redirect("accounts:security")
    device.delete()
    update_session_auth_hash(request, request.user)
    messages.success(request, _("Den andra faktorn är borttagen."))
    return redirect("accounts:security")


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadress"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


@require_http_methods(["GET", "POST"])
@login_not_required
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link. The answer is the same whether or not the address has an account."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request_reset(request, form.cleaned_data["email"])
        return redirect("accounts:password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form})
