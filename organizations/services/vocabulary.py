"""A partnership's own themes and its kommuner's areas."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.services import require
from organizations import permissions as perms
from organizations.models import (
    Area,
    Organisation,
    Partnership,
    Theme,
)
from organizations.services.common import (
    Event,
    log_event,
)


def _in_use(obj) -> bool:
    """Whether any row (a promise, a commitment, a finding …) refers to ``obj``.

    Asked through the model's relations so this app need not know who uses it.
    """
    for relation in obj._meta.related_objects:
        if relation.one_to_many or relation.many_to_many:
            model = relation.related_model
            if model._base_manager.filter(**{relation.field.name: obj}).exists():
                return True
    return False


def _require_vocabulary(actor, partnership: Partnership) -> None:
    require(
        perms.can_manage_vocabulary(actor, partnership),
        _("Du kan inte ändra teman och områden i den här samverkan."),
    )


@transaction.atomic
def theme_create(*, actor, partnership: Partnership, name: str) -> Theme:
    """Add a theme of the partnership's own to the shared vocabulary."""
    _require_vocabulary(actor, partnership)
    name = name.strip()
    slug = slugify(name)[:120]
    if Theme.objects.filter(partnership__isnull=True, slug=slug).exists():
        raise ValidationError(
            {"name": _("Temat finns redan i den gemensamma vokabulären.")}, code="shared"
        )
    theme = Theme(partnership=partnership, name=name, slug=slug)
    theme.full_clean()
    theme.save()
    log_event(
        Event.THEME_CHANGED,
        actor=actor,
        partnership=partnership,
        summary=_("Lade till temat ”%(name)s”.") % {"name": name},
    )
    return theme


def _own_theme(theme: Theme, partnership: Partnership) -> None:
    if theme.partnership_id != partnership.pk:
        raise ValidationError(
            _("Gemensamma teman ändras av den nationella administratören."), code="shared"
        )


@transaction.atomic
def theme_update(*, actor, partnership: Partnership, theme: Theme, name: str) -> Theme:
    """Rename one of the partnership's own themes (its short name in addresses stays)."""
    _require_vocabulary(actor, partnership)
    _own_theme(theme, partnership)
    before = theme.name
    theme.name = name.strip()
    theme.full_clean()
    theme.save()
    log_event(
        Event.THEME_CHANGED,
        actor=actor,
        partnership=partnership,
        summary=_("Döpte om temat ”%(before)s” till ”%(after)s”.")
        % {"before": before, "after": theme.name},
    )
    return theme


@transaction.atomic
def theme_delete(*, actor, partnership: Partnership, theme: Theme) -> None:
    _require_vocabulary(actor, partnership)
    _own_theme(theme, partnership)
    if _in_use(theme):
        raise ValidationError(
            _("Temat används i ett löfte eller en lägesbild och kan inte tas bort."),
            code="in_use",
        )
    name = theme.name
    theme.delete()
    log_event(
        Event.THEME_CHANGED,
        actor=actor,
        partnership=partnership,
        summary=_("Tog bort temat ”%(name)s”.") % {"name": name},
    )


def _area_in(area_or_municipality, partnership: Partnership) -> None:
    municipality_id = getattr(area_or_municipality, "municipality_id", area_or_municipality.pk)
    if municipality_id not in {m.pk for m in partnership.municipalities.all()}:
        raise ValidationError(
            {"municipality": _("Välj en av kommunerna i samverkan.")}, code="not_a_party"
        )


@transaction.atomic
def area_create(
    *, actor, partnership: Partnership, municipality: Organisation, name: str, kind: str
) -> Area:
    """Add a stadsdel, tätort, plats or område to one of the partnership's kommuner."""
    _require_vocabulary(actor, partnership)
    _area_in(municipality, partnership)
    area = Area(municipality=municipality, name=name.strip(), kind=kind)
    area.full_clean()
    area.save()
    log_event(
        Event.AREA_CHANGED,
        actor=actor,
        organisation=municipality,
        partnership=partnership,
        summary=_("Lade till %(kind)s ”%(name)s” i %(municipality)s.")
        % {
            "kind": str(area.get_kind_display()).lower(),
            "name": area.name,
            "municipality": municipality,
        },
    )
    return area


@transaction.atomic
def area_update(*, actor, partnership: Partnership, area: Area, name: str, kind: str) -> Area:
    _require_vocabulary(actor, partnership)
    _area_in(area, partnership)
    before = f"{area.get_kind_display()} ”{area.name}”"
    area.name = name.strip()
    area.kind = kind
    area.full_clean()
    area.save()
    log_event(
        Event.AREA_CHANGED,
        actor=actor,
        organisation=area.municipality,
        partnership=partnership,
        summary=_("Ändrade %(before)s till %(kind)s ”%(name)s”.")
        % {"before": before, "kind": str(area.get_kind_display()).lower(), "name": area.name},
    )
    return area


@transaction.atomic
def area_delete(*, actor, partnership: Partnership, area: Area) -> None:
    _require_vocabulary(actor, partnership)
    _area_in(area, partnership)
    if _in_use(area):
        raise ValidationError(
            _(
                "Området används i ett löfte, en lägesbild eller en aktivitet och kan inte "
                "tas bort."
            ),
            code="in_use",
        )
    municipality, name = area.municipality, area.name
    area.delete()
    log_event(
        Event.AREA_CHANGED,
        actor=actor,
        organisation=municipality,
        partnership=partnership,
        summary=_("Tog bort området ”%(name)s” i %(municipality)s.")
        % {"name": name, "municipality": municipality},
    )
