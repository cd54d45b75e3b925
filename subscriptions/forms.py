from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Organisation

#: The value of the kommun field that means "every kommun".
WHOLE_COUNTRY = "hela-landet"


class SubscribeForm(forms.Form):
    """An address and what it follows: one kommun (by its slug) or the whole country."""

    email = forms.EmailField(
        label=_("Din e-postadress"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Skriv din e-postadress."),
            "invalid": _("Skriv en e-postadress som namn@exempel.se."),
        },
    )
    kommun = forms.ChoiceField(
        label=_("Vad vill du få e-post om?"),
        error_messages={"invalid_choice": _("Välj en kommun i listan, eller hela landet.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Organisation.objects.municipalities().order_by("name")
        self.municipalities = {m.slug: m for m in municipalities}
        self.fields["kommun"].choices = [
            (WHOLE_COUNTRY, _("Hela landet")),
            *((m.slug, m.display_name) for m in municipalities),
        ]

    def municipality(self) -> Organisation | None:
        slug = self.cleaned_data["kommun"]
        return None if slug == WHOLE_COUNTRY else self.municipalities[slug]
