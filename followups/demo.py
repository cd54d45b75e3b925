"""Demo follow-ups: the three tertial follow-ups of Katrineholm 2020.

Tertial 1 and 2 are approved by both parties and published; tertial 3 is still
a draft, approved by the police side only, so a demo user can approve and
publish it. Narratives, assessments and indicator values are invented and
stored with ``is_example=True`` ("Exempeldata" wherever shown).

Idempotent; skips with a note when the promise is not there yet.
"""

from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from followups.models import (
    CommitmentAssessment,
    FollowUp,
    FollowUpApproval,
    FollowUpIndicatorValue,
)
from followups.services import followup_periods, followup_prefill
from promises.models import Promise
from promises.published import published_promise

KATRINEHOLM_TITLE = "Medborgarlöfte Katrineholms kommun 2020"

NARRATIVES = {
    1: "Exempeldata. Under årets första tertial har polisen gått fotpatrull i centrum "
    "varje månad och genomfört riktade insatser mot narkotika i tätorten. Den första "
    "trygghetsvandringen i centrum gjordes i april; belysningen i gångtunneln under "
    "järnvägen är redan åtgärdad.",
    2: "Exempeldata. Under sommaren har mötesplatserna för unga haft kvällsöppet och "
    "antilangningskampanjer genomförts inför valborg och skolavslutningen. Cykelmärkning "
    "vid resecentrum ledde till nya cykelställ.",
    3: "Exempeldata, utkast. Den andra trygghetsvandringen gjordes på cykel i september. "
    "Båda utlovade trygghetsvandringar är därmed genomförda.",
}

INDICATORS = {
    1: [("Anmälda cykelstölder i Katrineholms tätort", "anmälningar", "jan–apr 2020", 41)],
    2: [("Anmälda cykelstölder i Katrineholms tätort", "anmälningar", "maj–aug 2020", 63)],
    3: [("Anmälda cykelstölder i Katrineholms tätort", "anmälningar", "sep–dec 2020", 38)],
}


def _note(stdout, text: str) -> None:
    if stdout:
        stdout.write(text)


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def load(stdout=None) -> None:
    promise = (
        Promise.objects.filter(title=KATRINEHOLM_TITLE)
        .select_related("partnership__police_area")
        .first()
    )
    if promise is None:
        _note(stdout, "Uppföljningar: hoppar över, Katrineholms löfte finns inte ännu.")
        return
    User = get_user_model()
    police = User.objects.filter(username="katrineholm-kommunpolis").first()
    municipal = User.objects.filter(username="katrineholm-samordnare").first()
    municipality = promise.partnership.municipalities.order_by("pk").first()

    live = published_promise(promise.pk)
    for number, period in enumerate(followup_periods(live), start=1):
        if FollowUp.objects.filter(promise=promise, period_start_date=period.start).exists():
            # Created once: a demo user may have moved it on (approved, published) since.
            continue
        published = number < 3
        followup = FollowUp.objects.create(
            promise=promise,
            period_start_date=period.start,
            title=period.title,
            period_end_date=period.end,
            due_date=period.due,
            narrative=NARRATIVES.get(number, ""),
            is_example=True,
            status=FollowUp.Status.DRAFT,
        )
        for item in followup_prefill(followup):
            CommitmentAssessment.objects.create(followup=followup, **item)
        for position, (name, unit, label, value) in enumerate(INDICATORS.get(number, []), 1):
            FollowUpIndicatorValue.objects.create(
                followup=followup, name=name, period=label, unit=unit, value=value, order=position
            )
        approvers = [(FollowUpApproval.Side.POLICE, police, promise.partnership.police_area)]
        if published:
            approvers.append((FollowUpApproval.Side.MUNICIPALITY, municipal, municipality))
        for side, user, organisation in approvers:
            if user is None or organisation is None:
                continue
            FollowUpApproval.objects.create(
                followup=followup,
                side=side,
                user=user,
                user_name=user.get_full_name() or user.username,
                organisation=organisation,
                approved_at=_at(period.due),
            )
        if published:
            # Published last: from then on the database keeps the follow-up as it is.
            FollowUp.objects.filter(pk=followup.pk).update(
                status=FollowUp.Status.PUBLISHED, published_at=_at(period.due)
            )
    _note(
        stdout,
        "Uppföljningar: Katrineholm 2020, tertial 1–2 publicerade och tertial 3 utkast "
        "(exempeldata).",
    )
