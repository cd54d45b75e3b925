"""The demo promises, entered from the two seed documents as their coordinators would.

- Katrineholm 2020: drafted with its twelve commitments by the kommun's
  coordinator, who records the paper signatures of the two signatories with
  a rendition of the text (not a scan: the page says so); the kommunpolis
  confirms it, which publishes it. Its lägesbild, when loaded, is linked
  before anything is frozen, so the signed version carries it. Ended, as its
  period is over (what the daily ``expire_promises`` job would record).
- Kalmar 2019–2020: the memo KS 2018/1249 with its seven insatser, sent for
  signing, so a demo signatory can sign it.
- Katrineholm 2021: a draft being written, the 2020 promise's successor.

A promise that exists (by partnership and title) is left alone.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from demo.common import (
    acting_as,
    municipal_coordinator,
    partnership_of,
    police_coordinator,
    say,
)
from demo.data import kalmar_2019_2020 as kalmar
from demo.data import katrineholm_2020 as katrineholm
from organizations.models import Area, Theme
from promises.models import Promise
from promises.services import (
    commitment_create,
    promise_confirm_paper_signatures,
    promise_create,
    promise_expire,
    promise_record_paper_signatures,
    promise_snapshot,
    promise_submit_for_signing,
)
from promises.snapshot import parse
from situation.models import SituationReport

KATRINEHOLM_TITLE = katrineholm.TITLE
KALMAR_TITLE = kalmar.TITLE
DRAFT_TITLE = katrineholm.DRAFT_TITLE


def _themes(slugs) -> list[Theme]:
    return [Theme.objects.get(partnership__isnull=True, slug=slug) for slug in slugs]


def _areas(partnership, seed) -> dict[str, Area]:
    return {
        key: Area.objects.get(municipality__in=partnership.municipalities.all(), name__iexact=name)
        for key, (name, _kind) in seed.AREAS.items()
    }


def _situation_report(partnership) -> SituationReport | None:
    """The partnership's lägesbild (from the lägesbild part), cited before anything is signed."""
    return SituationReport.objects.filter(partnership=partnership).order_by("pk").first()


def _draft(user, partnership, seed, fields, themes, commitments, **extra) -> Promise:
    """A draft with its commitments, each answering its theme's findings in the lägesbild."""
    areas = _areas(partnership, seed)
    promise = promise_create(
        user=user, partnership=partnership, **fields, themes=_themes(themes), **extra
    )
    report = promise.situation_report
    for party, text, theme_slug, area_keys, target, condition in commitments:
        theme = _themes([theme_slug])[0] if theme_slug else None
        details = {}
        if target:
            quantity, unit, period, per_area = target
            details = {
                "target_quantity": quantity,
                "target_unit": unit,
                "target_period": period,
                "target_per_area": per_area,
            }
        if report is not None and theme is not None:
            details["findings"] = list(report.findings.filter(theme=theme).order_by("order"))
        commitment_create(
            user=user,
            promise=promise,
            party=party,
            text=text,
            theme=theme,
            condition=condition,
            areas=[areas[key] for key in area_keys],
            **details,
        )
    return promise


def _rendition(promise, signatures) -> bytes:
    """A PDF of the promise's text standing in for the scan of the signed page.

    The demo has no scan of the original; this page says so at the top, so it
    can never be taken for the signed document.
    """
    from weasyprint import HTML

    content = parse(promise_snapshot(promise))
    html = render_to_string("demo/rendition.html", {"content": content, "signatures": signatures})
    return HTML(string=html).write_pdf()


def _katrineholm_2020(partnership) -> Promise:
    seed = katrineholm
    areas = _areas(partnership, seed)
    coordinator, kommunpolis = municipal_coordinator(seed), police_coordinator(seed)
    with transaction.atomic():
        with acting_as(coordinator):
            promise = _draft(
                coordinator,
                partnership,
                seed,
                seed.PROMISE,
                seed.PROMISE_THEMES,
                seed.COMMITMENTS,
                areas=[areas[key] for key in seed.PROMISE_AREAS],
                situation_report=_situation_report(partnership),
            )
            requirements = partnership.signatory_requirements.order_by("order")
            promise_record_paper_signatures(
                user=coordinator,
                promise=promise,
                signatures=[
                    {"requirement": requirement, "name": name, "title": title}
                    for requirement, (name, title) in zip(
                        requirements, seed.PAPER_SIGNATURES, strict=True
                    )
                ],
                scan=SimpleUploadedFile(
                    seed.PAPER_FILENAME, _rendition(promise, seed.PAPER_SIGNATURES)
                ),
                note=seed.PAPER_NOTE,
            )
        # The other party checks the page against the text and confirms: published.
        with acting_as(kommunpolis):
            promise_confirm_paper_signatures(user=kommunpolis, promise=promise)
    return promise


def _kalmar(partnership) -> Promise:
    seed = kalmar
    areas = _areas(partnership, seed)
    coordinator = municipal_coordinator(seed)
    with transaction.atomic(), acting_as(coordinator):
        promise = _draft(
            coordinator,
            partnership,
            seed,
            seed.PROMISE,
            seed.PROMISE_THEMES,
            seed.COMMITMENTS,
            areas=[areas[key] for key in seed.PROMISE_AREAS],
            situation_report=_situation_report(partnership),
        )
        promise_submit_for_signing(user=coordinator, promise=promise)
    return promise


def _katrineholm_2021(partnership, predecessor) -> Promise:
    seed = katrineholm
    coordinator = municipal_coordinator(seed)
    with transaction.atomic(), acting_as(coordinator):
        return _draft(
            coordinator,
            partnership,
            seed,
            seed.DRAFT,
            seed.DRAFT_THEMES,
            seed.DRAFT_COMMITMENTS,
            predecessor=predecessor,
        )


def _existing(partnership, title) -> Promise | None:
    return Promise.objects.filter(partnership=partnership, title=title).first()


def load(stdout=None) -> bool:
    """Returns whether anything was written."""
    wrote = False
    katrineholm_p, kalmar_p = partnership_of(katrineholm), partnership_of(kalmar)

    katrineholm_2020 = _existing(katrineholm_p, katrineholm.TITLE)
    if katrineholm_2020 is None:
        katrineholm_2020 = _katrineholm_2020(katrineholm_p)
        wrote = True
    if _existing(kalmar_p, kalmar.TITLE) is None:
        _kalmar(kalmar_p)
        wrote = True
    if _existing(katrineholm_p, katrineholm.DRAFT_TITLE) is None:
        _katrineholm_2021(katrineholm_p, katrineholm_2020)
        wrote = True

    # The demo is as of today: Katrineholm 2020's period is over, so it has ended (and
    # stays public), as the daily expire_promises job would have recorded.
    katrineholm_2020.refresh_from_db()
    today = timezone.localdate()
    if katrineholm_2020.status == Promise.Status.PUBLISHED and katrineholm_2020.end_date < today:
        promise_expire(promise=katrineholm_2020, today=today)
        wrote = True
    say(stdout, "Medborgarlöften: Katrineholm 2020 (publicerat), Kalmar 2019–2020, utkast 2021.")
    return wrote
