from crispy_forms.helper import FormHelper


class CrispyFormMixin:
    """Give a form a crispy ``helper`` that leaves the <form> tag to the template.

    Templates own the <form> element (action, CSRF, htmx attributes); crispy
    renders the fields with Bootstrap 5 markup and accessible error messages.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
