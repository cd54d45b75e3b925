"""``{% session_warning %}``: the banner that warns before an idle session ends (WCAG 2.2.1)."""

from django import template

from core.session_timeout import warning_context

register = template.Library()


@register.inclusion_tag("components/_session_warning.html", takes_context=True)
def session_warning(context):
    """The warning for the signed-in visitor of this page, timed by ``static/js/app.js``."""
    return warning_context(context["request"]) | {"csrf_token": context.get("csrf_token")}
