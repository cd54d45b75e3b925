"""The login form, checked before anything is asked of the database."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's form sets the username's max_length after the field is built, so the
    limit reached only the HTML: a 5,000-character username went on to the login
    throttling, whose record holds 255, and the page was a 500. Here the limit and a
    NUL are checked first, with a Swedish message, and nothing is authenticated."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
        field.error_messages["max_length"] = _(
            "Användarnamnet kan ha högst %(limit_value)d tecken."
        )
        field.error_messages["null_characters_not_allowed"] = _(
            "Användarnamnet innehåller ett tecken som inget användarnamn har."
        )
        self.fields["password"].max_length = 4096
        self.fields["password"].validators.append(MaxLengthValidator(4096))
        self.fields["password"].error_messages["null_characters_not_allowed"] = _(
            "Lösenordet innehåller ett tecken som inget lösenord har."
        )

    def clean(self):
        if self.errors:
            return self.cleaned_data  # a refused field: nobody is asked to authenticate
        return super().clean()
