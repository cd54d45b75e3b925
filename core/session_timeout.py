"""Time limits (WCAG 2.2.1): a warning before an idle session ends, and nothing typed is lost.

Sessions end after ``SESSION_COOKIE_AGE`` seconds without a request. Two things
make that bearable:

* *A warning with a way to stay.* Signed-in pages carry a banner
  (``components/_session_warning.html``) that ``static/js/app.js`` shows
  ``SESSION_WARNING_SECONDS`` before the end, with a button that POSTs to
  :func:`session_extend`. Without JavaScript the banner is revealed by a CSS
  timer and the button is a plain form.

* *A form posted after the end is kept, not lost.* :class:`SessionTimeoutMiddleware`
  catches a POST from a visitor whose session is gone before Django's
  ``LoginRequiredMiddleware`` turns it into a redirect, and keeps the posted
  fields in the visitor's new session — a database row, server-side, that
  outlives the login (Django keeps an anonymous session's data when someone
  signs in). Never in a URL: the login link carries only the page to return to.
  Passwords, codes, CSRF tokens and files are not kept. After the login (and the
  second factor), the page the form was on is shown with what was typed filled
  in again and a note saying nothing was saved yet — the form is never posted
  on the user's behalf. If the form cannot be found on the page any more, the
  note lists what was typed so it can be copied.

The fields are offered back only to the person who typed them when the old
session's row still names them; a row already removed by ``clearsessions``
names nobody, and the fields then go to whoever signs in on that browser.
"""

import secrets
import time
from html import escape
from html.parser import HTMLParser
from math import ceil
from urllib.parse import urlencode, urljoin, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

#: The session key holding a form that was posted after the session had ended.
KEPT_FORM = "session-timeout:kept-form"
#: At most this many characters of posted text are kept (a follow-up is far smaller).
MAX_KEPT_CHARACTERS = 200_000
#: Never kept, never filled in again: credentials and tokens, by field name.
SECRET_NAMES = frozenset(
    {
        "csrfmiddlewaretoken",
        "code",
        "otp_token",
        "passkey",
        "token",
        "password",
        "old_password",
        "new_password1",
        "new_password2",
        "password1",
        "password2",
    }
)
#: Formset bookkeeping and version numbers: filled in again, but not worth showing.
_BOOKKEEPING_SUFFIXES = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS", "-id")
#: A POST here after the session ended is not work to keep.
_NOT_KEPT_VIEWS = frozenset({"accounts:logout"})
_NOT_RESTORED_INPUTS = frozenset({"password", "file", "submit", "button", "reset", "image"})


def warning_seconds() -> int:
    """How long before the end the warning shows: five minutes, at most half the session."""
    wanted = getattr(settings, "SESSION_WARNING_SECONDS", 5 * 60)
    return max(1, min(wanted, settings.SESSION_COOKIE_AGE // 2))


def warning_context(request: HttpRequest) -> dict:
    """What the warning banner needs (``{% session_warning %}``)."""
    seconds, warning = settings.SESSION_COOKIE_AGE, warning_seconds()
    here = request.get_full_path()
    return {
        "session_seconds": seconds,
        "session_minutes": ceil(seconds / 60),
        "warning_seconds": warning,
        "warning_minutes": ceil(warning / 60),
        # The CSS timer in site.css is written for the default hour and five minutes.
        "css_timer": (seconds, warning) == (60 * 60, 5 * 60),
        "extend_url": reverse("session:extend"),
        "login_url": f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': here})}",
        "next": here,
    }


# --- Keeping a form posted after the session ended ---------------------------------


def is_secret(name: str) -> bool:
    """Whether a field holds a credential or token (``a12-password`` as much as ``password``)."""
    last = name.rsplit("-", 1)[-1].lower()
    return last in SECRET_NAMES or "password" in last or "losenord" in last


def _same_site_path(request: HttpRequest, url: str) -> str | None:
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    if not parts.path.startswith("/"):
        return None
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _former_user_id(request: HttpRequest) -> str | None:
    """Who the ended session belonged to, if its row is still there (expired rows stay
    until ``clearsessions``). ``None`` when nobody can be named."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not key or len(key) > 64:
        return None
    try:
        from django.contrib.sessions.models import Session

        row = Session.objects.filter(session_key=key).first()
        return None if row is None else row.get_decoded().get(SESSION_KEY)
    except Exception:  # another session engine, or a row that no longer decodes
        return None


def keep_form(request: HttpRequest) -> list[str]:
    """Keep the POSTed fields in the (new, anonymous) session; returns where to go back.

    The pages to try, in order: the address posted to (most forms are shown
    there), then the page the form was on (``HX-Current-URL`` or the referrer),
    for forms that post to an action of their own.
    """
    fields = [[name, values] for name, values in request.POST.lists() if not is_secret(name)]
    if sum(len(v) for _name, values in fields for v in values) > MAX_KEPT_CHARACTERS:
        fields = []
    pages = [request.get_full_path()]
    shown_on = _same_site_path(
        request, request.headers.get("HX-Current-URL") or request.headers.get("Referer", "")
    )
    if (
        shown_on
        and shown_on not in pages
        and not shown_on.startswith(resolve_url(settings.LOGIN_URL))
    ):
        pages.append(shown_on)
    request.session[KEPT_FORM] = {
        "token": secrets.token_urlsafe(16),
        "user": _former_user_id(request),
        "action": request.path,
        "pages": pages,
        "fields": fields,
        "kept_at": time.time(),
        "fallback": False,
    }
    return pages


class SessionTimeoutMiddleware:
    """Keeps a form posted after the session ended, and fills it in again after the login.

    Placed after ``AuthenticationMiddleware`` and before ``LoginRequiredMiddleware``:
    its ``process_view`` sees the anonymous POST first. htmx requests get an
    ``HX-Redirect`` to the login page instead of a login page swapped into a
    fragment.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "GET"
            and not request.headers.get("HX-Request")
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
            and KEPT_FORM in request.session
        ):
            response = _give_back(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in _NOT_KEPT_VIEWS:
            return None
        htmx = bool(request.headers.get("HX-Request"))
        if request.method == "POST" and settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Someone who had a session posted a form: keep it, then ask them to log in.
            back_to = keep_form(request)[0]
            messages.warning(
                request,
                ngettext(
                    "Du loggades ut efter %(minutes)s minut utan aktivitet. Det du skickade "
                    "är inte sparat men inte heller borta: logga in igen, så fylls det i igen.",
                    "Du loggades ut efter %(minutes)s minuter utan aktivitet. Det du skickade "
                    "är inte sparat men inte heller borta: logga in igen, så fylls det i igen.",
                    ceil(settings.SESSION_COOKIE_AGE / 60),
                )
                % {"minutes": ceil(settings.SESSION_COOKIE_AGE / 60)},
            )
        elif htmx:
            back_to = (
                _same_site_path(request, request.headers.get("HX-Current-URL", ""))
                or request.get_full_path()
            )
        else:
            return None
        login = redirect_to_login(back_to)
        return HttpResponseClientRedirect(login["Location"]) if htmx else login


def _give_back(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """On the way back after the login: fill the kept form in on the page that shows it."""
    kept = request.session[KEPT_FORM]
    here = request.get_full_path()
    # Offered back on the way in, not days later over newer work.
    too_old = time.time() - kept.get("kept_at", 0) > 2 * settings.SESSION_COOKIE_AGE
    if too_old or (kept.get("user") not in (None, str(request.user.pk))):
        del request.session[KEPT_FORM]
        return response
    is_html = (
        not response.streaming
        and response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
    )
    pages = kept["pages"]
    if here not in pages:
        if kept.get("fallback") and is_html:
            del request.session[KEPT_FORM]
            return _with_html(response, _show_typed(_html(response), kept))
        return response
    if response.status_code in (301, 302, 303, 307, 308) and _is_login_step(response):
        return response  # the second factor comes first; we are asked again afterwards
    html = _html(response) if is_html else None
    if html is not None:
        filled = fill_in(html, kept, page_url=here)
        if filled is not None:
            del request.session[KEPT_FORM]
            return _with_html(response, filled)
    later = pages[pages.index(here) + 1 :]
    if later:
        return HttpResponseRedirect(later[0])
    if html is not None:
        del request.session[KEPT_FORM]
        return _with_html(response, _show_typed(html, kept))
    request.session[KEPT_FORM] = kept | {"fallback": True}
    return response


def _is_login_step(response: HttpResponse) -> bool:
    target = urlsplit(response.get("Location", "")).path
    return target in (resolve_url(settings.LOGIN_URL), reverse("accounts:second-factor"))


def _html(response: HttpResponse) -> str:
    return response.content.decode(response.charset or "utf-8")


def _with_html(response: HttpResponse, html: str) -> HttpResponse:
    response.content = html.encode(response.charset or "utf-8")
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response


# --- Filling a form in again ---------------------------------------------------------


class _FormScanner(HTMLParser):
    """Finds each form and its fields, with their places in the page's text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        self.line_starts += [i + 1 for i, char in enumerate(html) if char == "\n"]
        self.forms: list[dict] = []
        self.main_end: int | None = None
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        end = start + len(self.get_starttag_text() or "")
        if tag == "main" and self.main_end is None:
            self.main_end = end
        if tag == "form":
            self._form = {"attrs": dict(attrs), "tag_end": end, "fields": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        field = {"tag": tag, "attrs": attrs, "start": start, "end": end}
        if tag == "input":
            self._form["fields"].append(field)
        elif tag == "select":
            self._select = field | {"options": []}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(field)
        elif tag == "textarea":
            self._textarea = field
            self._form["fields"].append(field)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea["content_end"] = self._offset()
            self._textarea = None


def _start_tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    rendered = "".join(
        f" {name}" if value is None else f' {name}="{escape(value, quote=True)}"'
        for name, value in attrs
    )
    return f"<{tag}{rendered}>"


def _with_attr(attrs, name: str, value: str | None, *, present: bool = True):
    kept = [(k, v) for k, v in attrs if k != name]
    return [*kept, (name, value)] if present else kept


def _field_edits(field: dict, values: dict[str, list[str]], queues: dict[str, list[str]]):
    attrs = dict(field["attrs"])
    name = attrs.get("name")
    if not name or "disabled" in attrs or is_secret(name) or name not in values:
        return []
    tag = field["tag"]
    if tag == "input":
        kind = (attrs.get("type") or "text").lower()
        if kind in _NOT_RESTORED_INPUTS:
            return []
        if kind in ("checkbox", "radio"):
            checked = (attrs.get("value") or "on") in values[name]
            new = _with_attr(field["attrs"], "checked", None, present=checked)
        else:
            if not queues[name]:
                return []
            new = _with_attr(field["attrs"], "value", queues[name].pop(0))
        return [(field["start"], field["end"], _start_tag("input", new))]
    if tag == "textarea":
        if not queues[name] or "content_end" not in field:
            return []
        # The newline after <textarea> is dropped by the browser, so text that starts
        # with one keeps it.
        text = "\n" + escape(queues[name].pop(0), quote=False)
        return [(field["end"], field["content_end"], text)]
    edits = []
    for option in field.get("options", []):
        option_attrs = dict(option["attrs"])
        if "value" not in option_attrs:
            continue
        chosen = option_attrs["value"] in values[name]
        new = _with_attr(option["attrs"], "selected", None, present=chosen)
        edits.append((option["start"], option["end"], _start_tag("option", new)))
    return edits


def _apply(html: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, text in sorted(edits, key=lambda edit: edit[0], reverse=True):
        html = html[:start] + text + html[end:]
    return html


def fill_in(html: str, kept: dict, *, page_url: str) -> str | None:
    """``html`` with the kept fields filled into the form that posts where they were
    posted, and a note above it; ``None`` when the page has no such form."""
    scanner = _FormScanner(html)
    scanner.feed(html)
    scanner.close()
    for form in scanner.forms:
        action = urlsplit(urljoin(page_url, form["attrs"].get("action") or "")).path
        if (form["attrs"].get("method") or "get").lower() != "post" or action != kept["action"]:
            continue
        values = {name: list(v) for name, v in kept["fields"]}
        queues = {name: list(v) for name, v in kept["fields"]}
        edits = []
        for field in form["fields"]:
            edits += _field_edits(field, values, queues)
        note = render_to_string("components/_form_restored.html", {"kept": kept})
        edits.append((form["tag_end"], form["tag_end"], note))
        return _apply(html, edits)
    return None


def _show_typed(html: str, kept: dict) -> str:
    """The form is not on the page any more: list what was typed, to copy from."""
    scanner = _FormScanner(html)
    scanner.feed(html)
    scanner.close()
    typed = [
        (name, value)
        for name, values in kept["fields"]
        for value in values
        if value.strip() and not name.endswith(_BOOKKEEPING_SUFFIXES) and name != "lock_version"
    ]
    note = render_to_string(
        "components/_form_restored.html", {"kept": kept, "typed": typed, "not_found": True}
    )
    at = scanner.main_end if scanner.main_end is not None else 0
    return html[:at] + note + html[at:]


# --- Staying signed in ---------------------------------------------------------------


@login_not_required
@require_POST
def session_extend(request: HttpRequest) -> HttpResponse:
    """Stay signed in: any request touches the session (``SESSION_SAVE_EVERY_REQUEST``),
    this one on purpose. Plain POST: back to the page, with a message."""
    back_to = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back_to = resolve_url(settings.LOGIN_REDIRECT_URL)
    if not request.user.is_authenticated:
        login = redirect_to_login(back_to)
        return HttpResponseClientRedirect(login["Location"]) if request.htmx else login
    request.session.modified = True
    if request.htmx:
        return HttpResponse(status=204)
    minutes = ceil(settings.SESSION_COOKIE_AGE / 60)
    messages.success(
        request,
        ngettext(
            "Du är inloggad %(minutes)s minut till.",
            "Du är inloggad %(minutes)s minuter till.",
            minutes,
        )
        % {"minutes": minutes},
    )
    return redirect(back_to)


app_name = "session"
urlpatterns = [path("forlang/", session_extend, name="extend")]
