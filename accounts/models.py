from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


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
