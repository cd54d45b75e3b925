from crispy_forms.helper import FormHelper
from django.utils.translation import gettext_lazy as _

#: What Django puts where the posted bytes were not UTF-8 (it decodes with "replace").
REPLACEMENT_CHARACTER = "\ufffd"
UNREADABLE_TEXT = _(
    "Texten innehåller tecken som inte gick att läsa (visas som �). Ta bort dem eller skriv "
    "in texten igen; inget har sparats."
)


class CrispyFormMixin:
    """Give a form a crispy ``helper`` that leaves the <form> tag to the template.

    Templates own the <form> element (action, CSRF, htmx attributes); crispy
    renders the fields with Bootstrap 5 markup and accessible error messages.

    Every workspace form built on it also refuses text that arrived as bytes that are
    not UTF-8: Django replaces them with U+FFFD without a word, and the damaged text
    could otherwise be saved, signed and published.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str) and REPLACEMENT_CHARACTER in value:
                self.add_error(name if name in self.fields else None, UNREADABLE_TEXT)
