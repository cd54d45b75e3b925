from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class User(AbstractUser):
    """A person who signs in. Roles are held through ``organizations.Membership``."""

    email = models.EmailField(_("e-postadress"), blank=True)
    erased_at = models.DateTimeField(
        _("personuppgifter raderade"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "När kontots personuppgifter raderades. Underskrifter behåller namn och titel "
            "som de skrevs vid signeringen."
        ),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_unique_ci",
                violation_error_message=_("Det finns redan en användare med den e-postadressen."),
            )
        ]

    def __str__(self):
        if self.erased_at:
            return str(_("Raderad användare"))
        return self.get_full_name() or self.username

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class PasskeyCredential(Device):
    """A WebAuthn credential (passkey or security key) registered as a second factor.

    A django-otp ``Device`` so that ``django_otp.login`` and ``user.is_verified()``
    treat it like the TOTP and recovery-code devices. It verifies no typed
    token: ``accounts.mfa`` checks a WebAuthn assertion against ``public_key``.
    """

    credential_id = models.CharField(_("nyckelns id"), max_length=512, unique=True)
    public_key = models.BinaryField(_("publik nyckel"))
    sign_count = models.PositiveBigIntegerField(_("antal användningar"), default=0)
    transports = models.JSONField(_("överföringssätt"), default=list, blank=True)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("säkerhetsnyckel")
        verbose_name_plural = _("säkerhetsnycklar")

    def verify_token(self, token) -> bool:
        return False
