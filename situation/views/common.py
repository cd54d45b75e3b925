"""Loading with scoping (404 outside, 403 when not allowed) and the shared form flows."""

from django.contrib import messages
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.concurrency import StaleObjectError
from core.errors import save_or_errors
from situation.models import IndicatorValue, SituationReport
from situation.permissions import can_edit_report
from situation.selectors import (
    report_queryset,
)

# --- Loading and checking --------------------------------------------------------------


def get_report(request: HttpRequest, pk: int, *, edit: bool = False) -> SituationReport:
    report = get_object_or_404(report_queryset().visible_to(request.user), pk=pk)
    if edit and not can_edit_report(request.user, report):
        raise PermissionDenied(_("Du får inte ändra den här lägesbilden."))
    return report


def get_item(request: HttpRequest, model, pk: int, *, edit: bool = False):
    """A source, finding or indicator of a visible report (404 otherwise)."""
    queryset = model.objects.visible_to(request.user).select_related(
        "report__partnership__police_area"
    )
    item = get_object_or_404(queryset, pk=pk)
    if edit and not can_edit_report(request.user, item.report):
        raise PermissionDenied(_("Du får inte ändra den här lägesbilden."))
    return item


def get_value(request: HttpRequest, pk: int, *, edit: bool = False) -> IndicatorValue:
    value = get_object_or_404(
        IndicatorValue.objects.filter(
            indicator__report__in=SituationReport.objects.visible_to(request.user)
        ).select_related("indicator__report__partnership__police_area"),
        pk=pk,
    )
    if edit and not can_edit_report(request.user, value.indicator.report):
        raise PermissionDenied(_("Du får inte ändra den här lägesbilden."))
    return value


def crumbs(report: SituationReport | None = None, *extra) -> list[tuple[str, str | None]]:
    """Breadcrumbs for layouts/workspace.html: Lägesbilder › report › ``extra``."""
    trail = [(_("Lägesbilder"), reverse("situation:report-list"))]
    if report is not None:
        trail.append((report.title, report.get_absolute_url()))
    return trail + list(extra)


# --- Adding, changing and removing parts ----------------------------------------------


def item_form_page(
    request, *, report, form, heading, action, theirs=None, status=200
) -> HttpResponse:
    return render(
        request,
        "situation/item_form.html",
        {
            "report": report,
            "form": form,
            "heading": heading,
            "action": action,
            "theirs": theirs,
            "breadcrumbs": crumbs(report, (heading, None)),
        },
        status=status,
    )


def create_part(
    request, *, report, form_class, build_form_kwargs, section, context_fn, create, heading, anchor
) -> HttpResponse:
    """Shared flow for adding a source, finding or indicator.

    Plain POST: redirect to the report (or show the form page with errors).
    htmx POST: the report page's ``section`` partial with the new row and a fresh form.
    """
    action = request.path
    if request.method != "POST":
        return item_form_page(
            request,
            report=report,
            form=form_class(**build_form_kwargs),
            heading=heading,
            action=action,
        )
    form = form_class(request.POST, **build_form_kwargs)
    created = save_or_errors(form, lambda: create(form.cleaned_data)) if form.is_valid() else None
    if request.htmx:
        context = context_fn(report, True, form=None if created else form, created=created)
        return render(request, f"situation/report_detail.html#{section}", context)
    if created is None:
        return item_form_page(request, report=report, form=form, heading=heading, action=action)
    messages.success(request, _("Har lagts till."))
    return redirect(f"{report.get_absolute_url()}#{anchor}-{created.pk}")


def conflict_message() -> str:
    return _(
        "Någon annan har sparat ändringar sedan du öppnade sidan. Din text finns kvar i "
        "formuläret och den sparade versionen visas nedanför. Spara igen om du vill ersätta den."
    )


def saved_values(current, names) -> list[tuple[str, object]]:
    """``(label, value)`` of ``current``'s fields as they are saved, for the conflict notice."""
    rows = []
    for name in names:
        field = current._meta.get_field(name)
        value = getattr(current, name)
        if field.many_to_many:
            value = ", ".join(str(related) for related in value.all())
        elif isinstance(field, ArrayField):  # the finding's target groups
            labels = dict(field.base_field.choices or ())
            value = ", ".join(str(labels.get(v, v)) for v in value)
        elif field.choices:
            value = getattr(current, f"get_{name}_display")()
        rows.append((field.verbose_name, value))
    return rows


def keep_typed_after_conflict(form: Form, current) -> list[tuple[str, object]]:
    """Keep what the user typed, based now on the saved version; say so above the form.

    Saving again is then a deliberate choice to replace the other person's save.
    """
    form.data = form.data.copy()
    form.data[form.add_prefix("lock_version")] = str(current.lock_version)
    form.add_error(None, conflict_message())
    return saved_values(current, [n for n in form.fields if n != "lock_version"])


def update_part(request, *, item, report, form, save, heading) -> HttpResponse:
    """Change a part; a save based on an older version is refused and shown, not overwritten.

    ``save`` is called with the ``lock_version`` the form was loaded with.
    """
    theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_or_errors(form, lambda: save(form.cleaned_data["lock_version"]))
        except StaleObjectError as exc:
            theirs = keep_typed_after_conflict(form, exc.current)
        else:
            if saved is not None:
                messages.success(request, _("Ändringen har sparats."))
                return redirect(item)
    return item_form_page(
        request,
        report=report,
        form=form,
        heading=heading,
        action=request.path,
        theirs=theirs,
    )


def delete_part(request, *, item, report, delete, heading, back) -> HttpResponse:
    if request.method == "POST":
        delete()
        messages.success(request, _("Har tagits bort."))
        return redirect(back)
    return render(
        request,
        "situation/confirm_delete.html",
        {
            "item": item,
            "heading": heading,
            "cancel_url": item.get_absolute_url(),
            "breadcrumbs": crumbs(report, (heading, None)),
        },
    )
