"""One way to turn a service's ``ValidationError`` into what the user sees.

Services validate again under their locks (``full_clean()``, state checks) and
raise ``ValidationError``; views put it on the form they show, next to the
field it names or above the form, so the user gets the Swedish message and
nothing is saved.
"""

from django.core.exceptions import ValidationError
from django.forms import Form


def attach_errors(form: Form, error: ValidationError) -> None:
    """Put ``error`` on ``form``: beside a field the form has, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def save_or_errors(form: Form, action):
    """Run ``action`` (a service call); on a ``ValidationError`` attach it and return None."""
    try:
        return action()
    except ValidationError as error:
        attach_errors(form, error)
        return None
