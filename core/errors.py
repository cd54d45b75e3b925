"""One way to turn a service's ``ValidationError`` into what the user sees.

Services validate again under their locks (``full_clean()``, state checks) and
raise ``ValidationError``; views put it on the form they show, next to the
field it names or above the form, so the user gets the Swedish message and
nothing is saved. A view without a form (a button that posts) shows
``flash_errors`` instead. Every app uses these; none has its
own copy.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest


def attach_errors(form: Form, error: ValidationError, *, above: bool = False) -> None:
    """Put ``error`` on ``form``: beside a field the form has, otherwise above the form.

    ``above=True`` puts every message above the form, for a form whose service
    also validates other objects (formset rows) whose field names could collide
    with the form's own.
    """
    if above:
        form.add_error(None, error.messages)
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def flash_errors(request: HttpRequest, error: ValidationError) -> None:
    """Show each message of ``error`` as an error flash message on the next page."""
    for message in error.messages:
        messages.error(request, message)


def save_or_errors(form: Form, action):
    """Run ``action`` (a service call); on a ``ValidationError`` attach it and return None."""
    try:
        return action()
    except ValidationError as error:
        attach_errors(form, error)
        return None
