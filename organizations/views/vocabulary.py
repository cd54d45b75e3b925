"""A partnership's own themes, added to the national vocabulary, and its kommuner's areas."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import attach_errors, flash_errors
from organizations import permissions as perms
from organizations import services
from organizations.forms import AreaForm, ThemeForm
from organizations.models import Area, Theme
from organizations.views.common import forbid_unless, partnership_for


def _managed(request: HttpRequest, pk: int):
    partnership = partnership_for(request, pk)
    forbid_unless(perms.can_manage_vocabulary(request.user, partnership))
    return partnership


def _crumbs(partnership, *more):
    return [
        (partnership.name, partnership.get_absolute_url()),
        (
            _("Teman och områden"),
            reverse("organizations:vocabulary", kwargs={"pk": partnership.pk}) if more else None,
        ),
        *more,
    ]


def _vocabulary_url(partnership) -> str:
    return reverse("organizations:vocabulary", kwargs={"pk": partnership.pk})


@require_http_methods(["GET", "POST"])
def vocabulary(request: HttpRequest, pk: int) -> HttpResponse:
    """The themes and areas the partnership's promises can use; add to them."""
    partnership = _managed(request, pk)
    theme_form = ThemeForm(request.POST if "tema" in request.POST else None, prefix="tema")
    area_form = AreaForm(
        request.POST if "omrade" in request.POST else None,
        partnership=partnership,
        prefix="omrade",
    )
    if request.method == "POST":
        form = theme_form if theme_form.is_bound else area_form
        if form.is_bound and form.is_valid():
            try:
                if form is theme_form:
                    services.theme_create(
                        actor=request.user, partnership=partnership, **form.cleaned_data
                    )
                    messages.success(request, _("Temat är tillagt."))
                else:
                    services.area_create(
                        actor=request.user, partnership=partnership, **form.cleaned_data
                    )
                    messages.success(request, _("Området är tillagt."))
            except ValidationError as error:
                attach_errors(form, error)
            else:
                return redirect(_vocabulary_url(partnership))
    themes = Theme.objects.filter(
        Q(partnership__isnull=True) | Q(partnership=partnership)
    ).order_by("name")
    areas = (
        Area.objects.for_partnership(partnership)
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )
    failed = theme_form.errors or area_form.errors
    return render(
        request,
        "organizations/vocabulary.html",
        {
            "partnership": partnership,
            "themes": themes,
            "areas": areas,
            "theme_form": theme_form,
            "area_form": area_form,
            "breadcrumbs": _crumbs(partnership),
        },
        status=400 if failed else 200,
    )


def _own_theme(partnership, theme_pk):
    return get_object_or_404(Theme.objects.filter(partnership=partnership), pk=theme_pk)


def _area(partnership, area_pk):
    return get_object_or_404(
        Area.objects.for_partnership(partnership).select_related("municipality"), pk=area_pk
    )


@require_http_methods(["GET", "POST"])
def theme_update(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    partnership = _managed(request, pk)
    theme = _own_theme(partnership, theme_pk)
    form = ThemeForm(request.POST or None, initial={"name": theme.name}, prefix="tema")
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(
                actor=request.user, partnership=partnership, theme=theme, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Temat är ändrat."))
            return redirect(_vocabulary_url(partnership))
    return render(
        request,
        "organizations/vocabulary_item_form.html",
        {
            "partnership": partnership,
            "form": form,
            "heading": _("Ändra temat ”%(name)s”") % {"name": theme.name},
            "breadcrumbs": _crumbs(partnership, (_("Ändra tema"), None)),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def area_update(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    partnership = _managed(request, pk)
    area = _area(partnership, area_pk)
    form = AreaForm(
        request.POST or None,
        partnership=partnership,
        initial={"municipality": area.municipality_id, "name": area.name, "kind": area.kind},
        prefix="omrade",
    )
    form.fields["municipality"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.area_update(
                actor=request.user,
                partnership=partnership,
                area=area,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Området är ändrat."))
            return redirect(_vocabulary_url(partnership))
    return render(
        request,
        "organizations/vocabulary_item_form.html",
        {
            "partnership": partnership,
            "form": form,
            "heading": _("Ändra området ”%(name)s”") % {"name": area.name},
            "breadcrumbs": _crumbs(partnership, (_("Ändra område"), None)),
        },
        status=400 if form.errors else 200,
    )


def _delete(request, partnership, service, **kwargs) -> HttpResponse:
    try:
        service(actor=request.user, partnership=partnership, **kwargs)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Borttaget."))
    return redirect(_vocabulary_url(partnership))


@require_POST
def theme_delete(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    partnership = _managed(request, pk)
    return _delete(
        request, partnership, services.theme_delete, theme=_own_theme(partnership, theme_pk)
    )


@require_POST
def area_delete(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    partnership = _managed(request, pk)
    return _delete(request, partnership, services.area_delete, area=_area(partnership, area_pk))
