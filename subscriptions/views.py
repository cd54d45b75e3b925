"""Public subscription pages: no account, nothing cached, one answer for every address.

All four are open to anyone (``login_not_required``). Two take a POST without
a CSRF token, on purpose:

* ``subscribe``: its form sits on cached public pages, which cannot carry a
  per-visitor token. A forged request can do no more than the form itself —
  ask for a confirmation mail, rate-limited — and double opt-in means that
  mail changes nothing until its owner clicks.
* ``unsubscribe``: RFC 8058 one-click unsubscribe. The mail client POSTs
  ``List-Unsubscribe=One-Click`` to the URL in the ``List-Unsubscribe``
  header, without cookies or a token; the secret token in the URL is the
  authorisation.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from subscriptions import services
from subscriptions.forms import WHOLE_COUNTRY, SubscribeForm


@login_not_required
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """Ask for e-mail about one kommun or the whole country; a confirmation mail follows."""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            services.subscription_request(
                request=request,
                email=form.cleaned_data["email"],
                municipality=form.municipality(),
            )
            return redirect("subscriptions:subscribe-sent")
    else:
        wanted = request.GET.get("kommun", "")
        form = SubscribeForm(initial={"kommun": wanted if len(wanted) <= 80 else WHOLE_COUNTRY})
    return render(
        request,
        "subscriptions/subscribe.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_not_required
@require_GET
def subscribe_sent(request: HttpRequest) -> HttpResponse:
    """The same answer whether the address is new, waiting or already subscribed."""
    return render(request, "subscriptions/subscribe_sent.html", {"days": services.CONFIRM_DAYS})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link: GET asks (mail scanners follow links), POST confirms."""
    if request.method == "POST":
        subscription = services.subscription_confirm(token=token)
        template = "subscriptions/confirmed.html"
    else:
        subscription = services.pending_for_token(token)
        template = "subscriptions/confirm.html"
    return render(
        request,
        template,
        {"subscription": subscription, "token": token},
        status=200 if subscription else 404,
    )


@login_not_required
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with a button. POST (the button, or a mail client's one-click): the
    subscription and its address are deleted. Unknown tokens get the same answer."""
    if request.method == "POST":
        services.subscription_cancel(token=token)
        return render(request, "subscriptions/unsubscribed.html")
    subscription = services.for_unsubscribe_token(token)
    return render(
        request,
        "subscriptions/unsubscribe.html",
        {"subscription": subscription, "token": token},
        status=200 if subscription else 404,
    )
