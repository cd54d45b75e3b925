"""E-mail subscriptions: an address that follows one kommun, or the whole country.

Nothing else about the person is kept: no name, no account, no IP address.
Unsubscribing deletes the row, so the address is gone. The model is not
audited (no pghistory), and tasks get the row's id, never the address, so the
task queue holds no copy either.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    email = models.EmailField(_("e-postadress"), max_length=254)
    municipality = models.ForeignKey(
        "organizations.Organisation",
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "kommun"},
        help_text=_("Tom för hela landet."),
    )
    #: SHA-256 of the one-time link in the latest confirmation mail; empty once confirmed.
    confirm_token_sha256 = models.CharField(max_length=64, blank=True, default="")
    #: In every mail's unsubscribe link (and List-Unsubscribe header).
    unsubscribe_token = models.CharField(max_length=64, unique=True)
    requested_at = models.DateTimeField(_("begärd"))
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)

    class Meta:
        verbose_name = _("prenumeration")
        verbose_name_plural = _("prenumerationer")
        constraints = [
            # One subscription per address and kommun; "the whole country" counts as one.
            models.UniqueConstraint(
                fields=["email", "municipality"],
                nulls_distinct=False,
                name="subscription_once_per_address_and_scope",
            ),
            models.CheckConstraint(
                condition=models.Q(email=models.functions.Lower("email")),
                name="subscription_email_lowercase",
            ),
        ]
        indexes = [models.Index(fields=["confirmed_at", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.email} – {self.scope_name}"

    @property
    def scope_name(self) -> str:
        return self.municipality.display_name if self.municipality_id else str(_("hela landet"))

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
