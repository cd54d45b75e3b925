"""Second factors: TOTP codes, recovery codes and passkeys, for login and for signing.

TOTP and recovery codes are django-otp's devices (``otp_totp``, ``otp_static``);
passkeys and security keys are ``PasskeyCredential`` rows verified with the
``webauthn`` library (Duo Labs' py_webauthn). A passkey's challenge is built
from a one-time nonce *and what it approves* — for a signature, the SHA-256 of
the exact version — so an assertion made for one version cannot sign another.

Failed signing attempts (wrong password or second factor) are counted per
account in the cache and pause signing for a while, like failed logins.
"""

import hashlib
import json
import math
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import PasskeyCredential

TOTP = "totp"
RECOVERY_CODE = "reservkod"
PASSKEY = "nyckel"
RECOVERY_CODE_COUNT = 10


@dataclass(frozen=True)
class SecondFactor:
    """What the person gave as their second factor, as the view received it."""

    code: str = ""
    #: JSON of ``navigator.credentials.get()``.
    passkey: str = ""
    #: The nonce the passkey's challenge was built from (kept in the session).
    nonce: str = ""
    origin: str = ""
    rp_id: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.code.strip() or self.passkey)


def has_second_factor(user) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def challenge(nonce: str, purpose: str) -> bytes:
    """The WebAuthn challenge for ``purpose`` ("login", or "sign:<version sha256>")."""
    return hashlib.sha256(f"{purpose}:{nonce}".encode()).digest()


def _clean_code(code: str) -> str:
    return "".join(code.split()).lower()


def verify(user, factor: SecondFactor, *, purpose: str):
    """The device that accepts ``factor`` for ``purpose``; ``ValidationError`` otherwise.

    Tries what was given: a passkey assertion, or a code (six digits: the TOTP
    apps; otherwise a recovery code, used up once it is accepted).
    """
    if factor.passkey:
        return _verify_passkey(user, factor, purpose=purpose)
    code = _clean_code(factor.code)
    if not code:
        raise ValidationError(
            _("Ange koden från din app, en reservkod, eller använd din säkerhetsnyckel."),
            code="second_factor_missing",
        )
    with transaction.atomic():
        if code.isdigit() and len(code) == 6:
            devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
        else:
            devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
        locked_until = None
        for device in devices.select_for_update():
            allowed, details = device.verify_is_allowed()
            if not allowed:
                until = (details or {}).get("locked_until")
                locked_until = max(filter(None, [locked_until, until]), default=None)
                continue
            if device.verify_token(code):
                return device
    if locked_until is not None:
        # Not "wrong code": after several wrong codes even the right one waits (throttling).
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        raise ValidationError(
            _(
                "För många felaktiga koder i rad. Vänta %(seconds)s sekunder och försök igen "
                "med koden som appen visar då."
            )
            % {"seconds": seconds},
            code="second_factor_throttled",
        )
    raise ValidationError(
        _("Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och försök igen."),
        code="second_factor_wrong",
    )


def method_of(device) -> str:
    if isinstance(device, PasskeyCredential):
        return PASSKEY
    if isinstance(device, StaticDevice):
        return RECOVERY_CODE
    return TOTP


def _verify_passkey(user, factor: SecondFactor, *, purpose: str) -> PasskeyCredential:
    from webauthn import verify_authentication_response
    from webauthn.helpers.exceptions import InvalidAuthenticationResponse

    wrong = ValidationError(
        _("Säkerhetsnyckeln kunde inte bekräftas. Försök igen eller använd en kod."),
        code="second_factor_wrong",
    )
    try:
        credential_id = json.loads(factor.passkey)["id"]
    except (ValueError, KeyError, TypeError):
        raise wrong from None
    with transaction.atomic():
        device = (
            PasskeyCredential.objects.select_for_update()
            .filter(user=user, confirmed=True, credential_id=credential_id)
            .first()
        )
        if device is None or not factor.nonce:
            raise wrong
        try:
            verified = verify_authentication_response(
                credential=factor.passkey,
                expected_challenge=challenge(factor.nonce, purpose),
                expected_rp_id=factor.rp_id,
                expected_origin=factor.origin,
                credential_public_key=bytes(device.public_key),
                credential_current_sign_count=device.sign_count,
                require_user_verification=True,
            )
        except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError):
            raise wrong from None
        device.sign_count = verified.new_sign_count
        device.last_used_at = timezone.now()
        device.save(update_fields=["sign_count", "last_used_at"])
    return device


# --- Enrolment -------------------------------------------------------------------------


def totp_start(user) -> TOTPDevice:
    """An unconfirmed TOTP device with a fresh secret; confirmed by ``totp_confirm``."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Kodapp"), confirmed=False)


def totp_confirm(user, device: TOTPDevice, code: str) -> TOTPDevice:
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("Börja om med att lägga till appen."), code="stale")
    if not device.verify_token(_clean_code(code)):
        raise ValidationError(
            _("Koden stämmer inte. Skriv den sexsiffriga koden som appen visar nu."),
            code="second_factor_wrong",
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def recovery_codes_generate(user) -> list[str]:
    """Replace the user's recovery codes with ten new ones, each usable once.

    They are shown to the person once; django-otp keeps them in the database as
    they are, so a new list makes the old one useless.
    """
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Reservkoder"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def passkey_registration_options(user, *, rp_id: str, nonce: str) -> str:
    """JSON options for ``navigator.credentials.create()``."""
    from webauthn import generate_registration_options, options_to_json
    from webauthn.helpers import base64url_to_bytes
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        PublicKeyCredentialDescriptor,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    existing = PasskeyCredential.objects.filter(user=user, confirmed=True)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=settings.WEBAUTHN_RP_NAME,
        user_id=str(user.pk).encode(),
        user_name=user.username,
        user_display_name=user.get_full_name() or user.username,
        challenge=challenge(nonce, "register"),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(c.credential_id)) for c in existing
        ],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
    )
    return options_to_json(options)


def passkey_register(user, *, response: str, nonce: str, origin: str, rp_id: str, name: str):
    from webauthn import verify_registration_response
    from webauthn.helpers import bytes_to_base64url
    from webauthn.helpers.exceptions import InvalidRegistrationResponse

    try:
        verified = verify_registration_response(
            credential=response,
            expected_challenge=challenge(nonce, "register"),
            expected_rp_id=rp_id,
            expected_origin=origin,
            require_user_verification=True,
        )
        transports = json.loads(response).get("response", {}).get("transports", [])
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError):
        raise ValidationError(
            _("Säkerhetsnyckeln kunde inte registreras. Försök igen."), code="passkey_invalid"
        ) from None
    return PasskeyCredential.objects.create(
        user=user,
        name=(name or _("Säkerhetsnyckel"))[:64],
        confirmed=True,
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=transports if isinstance(transports, list) else [],
    )


def passkey_authentication_options(user, *, rp_id: str, nonce: str, purpose: str) -> str:
    """JSON options for ``navigator.credentials.get()``, for the user's own keys."""
    from webauthn import generate_authentication_options, options_to_json
    from webauthn.helpers import base64url_to_bytes
    from webauthn.helpers.structs import (
        PublicKeyCredentialDescriptor,
        UserVerificationRequirement,
    )

    keys = PasskeyCredential.objects.filter(user=user, confirmed=True)
    options = generate_authentication_options(
        rp_id=rp_id,
        challenge=challenge(nonce, purpose),
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(k.credential_id)) for k in keys
        ],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return options_to_json(options)


def has_passkey(user) -> bool:
    return PasskeyCredential.objects.filter(user=user, confirmed=True).exists()


# --- Throttling failed signing attempts ---------------------------------------------


def _failures_key(user) -> str:
    return f"signing-failures:{user.pk}"


def signing_paused(user) -> bool:
    return cache.get(_failures_key(user), 0) >= settings.SIGNING_FAILURE_LIMIT


def signing_failed(user) -> None:
    key = _failures_key(user)
    if cache.add(key, 1, timeout=settings.SIGNING_COOLOFF_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired in between
        cache.set(key, 1, timeout=settings.SIGNING_COOLOFF_SECONDS)


def signing_succeeded(user) -> None:
    cache.delete(_failures_key(user))
