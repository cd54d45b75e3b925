"""The demo promises, entered faithfully from the two seed documents.

- Katrineholm 2020: the signed promise, published, with its twelve commitments
  and its two paper signatories as in the document; ended, as its period is over.
- Kalmar 2019–2020: the two joint promises of the memo KS 2018/1249 with the
  seven planned measures (insatser), sent for signing so a demo user can sign.
- A draft in progress: Katrineholm 2021, the successor being written.

Idempotent: a promise that exists (by partnership and title) is left alone.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from organizations.models import Area, Organisation, Partnership, Theme
from promises.models import Commitment, Promise
from promises.services import (
    commitment_create,
    promise_confirm_paper_signatures,
    promise_create,
    promise_record_paper_signatures,
    promise_snapshot,
    promise_submit_for_signing,
    promises_expire_due,
)
from promises.snapshot import parse
from situation.models import SituationReport

KATRINEHOLM_TITLE = "Medborgarlöfte Katrineholms kommun 2020"
KALMAR_TITLE = "Medborgarlöften 2019–2020"
DRAFT_TITLE = "Medborgarlöfte Katrineholms kommun 2021"

Party = Commitment.Party


def theme(slug: str, name: str) -> Theme:
    """A theme of the shared vocabulary (the situation demo may have made it already)."""
    found = Theme.objects.filter(partnership__isnull=True, slug=slug).first()
    return found or Theme.objects.create(slug=slug, name=name)


def area(municipality: Organisation, name: str, kind: str) -> Area:
    found = Area.objects.filter(municipality=municipality, name__iexact=name).first()
    return found or Area.objects.create(municipality=municipality, name=name, kind=kind)


KATRINEHOLM_INTRODUCTION = """\
Medborgarlöftet är en del av polisens och kommunens samverkansöverenskommelse om \
trygghetskapande och brottsförebyggande arbete.

En av grundpelarna i Polismyndigheten är att polisen ska verka närmare medborgarna i \
kommunen och medborgarna ska kunna vara delaktiga i processer vid trygghetskapande och \
brottsförebyggande arbete. Medborgarna, medarbetarna, trygghetsundersökningar och \
tillgänglig statistik har används för att ta fram en lägesbild för Katrineholms kommun. \
Utifrån denna gemensamma lägesbild har medborgarlöftet tagits fram."""

KATRINEHOLM_EFFECT = """\
Det övergripande målet med aktiviteterna i medborgarlöftet är att den upplevda tryggheten \
för kommuninvånarna ska öka och att utsattheten för brott minska i Katrineholm.

Öka tryggheten på lång sikt: Polisen och kommunen har som mål att öka den generella \
känslan av trygghet hos medborgarna. Detta arbete är långsiktigt och kräver tid och \
uttålighet. Aktiviteterna är en del i det långsiktiga arbetet och där målet är att fram \
till år 2022 uppnå en generell ökning avseende den upplevda tryggheten i centrum. Detta \
bör visa sig i de olika trygghetsmätningar samt medborgardialoger som genomförs.

Kommunen driver arbetet med sociala insatsgrupper (SIG) och polisen kommer fortsätta \
delta i detta arbete och även erbjuda orosamtal till unga i riskzon. Vidare kommer \
polisen arbeta mer med fotpatrull mot särskilt prioriterade platser, så kallade \
"hot spots" där ungdomar vistas."""

# (party, text, theme key, area keys, target (quantity, unit, period, per area) or None, condition)
KATRINEHOLM_COMMITMENTS = [
    (
        Party.POLICE,
        "Polisen kommer att öka närvaron i den centrala delen av Katrineholm med 15 minuters "
        "metoden (det handlar om att vara synlig genom fotpatrull) både dagtid och kvällstid.",
        "centrum",
        ["centrum"],
        None,
        "",
    ),
    (
        Party.POLICE,
        "Polisen kommer att utföra hundsök i skolor i förebyggande syfte för att skapa "
        "förutsättningar för en drogfri miljö för barn och ungdomar",
        "narkotika",
        [],
        None,
        "",
    ),
    (
        Party.POLICE,
        "Polisen kommer att genomföra riktade insatser mot platser och individer som hanterar "
        "eller brukar narkotika.",
        "narkotika",
        ["tatort"],
        None,
        "",
    ),
    (
        Party.POLICE,
        "Polisen lovar att använda metoden medling när förutsättningar för det finns vid "
        "ungdomsbrottslighet.",
        "ungdom",
        [],
        None,
        "när förutsättningar för det finns",
    ),
    (
        Party.MUNICIPALITY,
        "Kommunen kommer stödja och hjälpa de som vill stiga av den kriminella banan. En del i "
        "detta är att utveckla arbetet med social insatsgrupper (SIG) Kommunen lovar att "
        "fortsätta att arbeta efter metoden och strävar efter att ha flera individer aktiva i "
        "verksamheten över tid.",
        "ungdom",
        [],
        None,
        "",
    ),
    (
        Party.MUNICIPALITY,
        "Kommunen fortätter arbetet med mötesplatser för ungdomar som exempelvis "
        "”lyckliga gatan” m.m.",
        "ungdom",
        [],
        None,
        "",
    ),
    (
        Party.MUNICIPALITY,
        "Kommunen kommer arbeta med ANDTS-coachmetoden – utbildnings och nätverkskoncept för "
        "att förebygga problem med alkohol, narkotika, doping, tobak och spel.",
        "narkotika",
        [],
        None,
        "",
    ),
    (
        Party.MUNICIPALITY,
        "Kommunens kommer genomföra antilångningskampanjer vid riskhelger",
        None,
        [],
        None,
        "vid riskhelger",
    ),
    (
        Party.JOINT,
        "Att vidta åtgärder i syfte att minska cykelstöldrarna i Katrineholms tätort.",
        None,
        ["tatort"],
        None,
        "",
    ),
    (
        Party.JOINT,
        "Polisen och kommunen kommer att öka kompetensen i sina respektive organisationer "
        "avseende ANDTS genom bland annat utbildningar och vattenmätningar i avloppsvattnet.",
        "narkotika",
        [],
        None,
        "",
    ),
    (
        Party.JOINT,
        "Polisen och kommunen kommer att genomföra så kallade orosamtal med de ungdomar som "
        "bedöms vara på väg in i kriminalitet.",
        "ungdom",
        [],
        None,
        "",
    ),
    (
        Party.JOINT,
        "Kommunen och polisen kommer vid minst två tillfällen genomföra trygghetsvandringar i "
        "centrum med särskilt fokus på miljöer där ungdomar vistas. Kommunen ansvarar för att "
        "arrangera trygghetsvandringarna och samtidigt bjuda in samverkanspartners och "
        "ungdomar. Varje vandring genomförs både på dagtid och kvällstid. Minst en "
        "trygghetsvandring kommer att ske för cyklister på cykel.",
        "centrum",
        ["centrum"],
        (2, "trygghetsvandringar", Commitment.Period.WHOLE, False),
        "",
    ),
]

KALMAR_INTRODUCTION = """\
Ett av kommunens viktigaste uppdrag är att bidra till att Kalmars invånare känner sig \
trygga och säkra i vardagen. Trygghet är inte bara ett mål i sig utan också en faktor som \
spelar stor roll för kommunens förutsättningar att vara en attraktiv och växande kommun.

För att öka tryggheten och minska brottsligheten krävs samverkan mellan olika aktörer, \
inte minst mellan kommun och polis.

Kalmar har sedan många år en formaliserad samverkan med polisen, vilken regleras genom en \
överenskommelse om samverkan. Aktuellt avtal löper fram till 2020-09-30. Parterna ska \
enligt avtalet upprätta gemensamma medborgarlöften och årliga aktivitetsplaner för dessa \
där ansvar, genomförande och uppföljning ska framgå.

Under perioden 2016-2018 har parterna arbetat med två löften; Skapa en tryggare \
stadskärna och Minska antalet bostadsinbrott.

Mot bakgrund av lägesbilden föreslås följande medborgarlöften för perioden 2019-2020: \
Ökad närvaro och trygghet i fem prioriterade stadsdelar, och Förstärkt arbete mot narkotika."""

KALMAR_DISTRICTS = ["Oxhagen", "Smedby", "Berga", "Funkabo", "Norrliden"]

# The memo lists the seven insatser in two groups, one per promise.
KALMAR_COMMITMENTS = [
    (
        "stadsdelar",
        "Genom olika forum hålla kommunens invånare informerade om förebyggande insatser och "
        "trygghetsfrågor.",
        False,
        None,
    ),
    (
        "stadsdelar",
        "Kontinuerlig samverkan mellan polis, kommun och andra aktörer i syfte att motverka "
        "otrygghet, brottslighet och ordningsstörningar i prioriterade områden.",
        True,
        None,
    ),
    (
        "stadsdelar",
        "Genomföra minst en trygghetsvandring/år i respektive stadsdel i syfte att identifiera "
        "förbättringsinsatser för ökad trygghet. Vid behov utarbetas lokala åtgärdsplaner som "
        "kommuniceras med berörda aktörer och boende.",
        True,
        (1, "trygghetsvandringar", Commitment.Period.YEAR, True),
    ),
    (
        "narkotika",
        "Återkommande kommunicera samlade lägesbilder samt insatser som kan antas påverka "
        "upplevelsen av trygghet.",
        False,
        None,
    ),
    (
        "narkotika",
        "Genomförande av riktade insatser mot droger och ungdomar i riskzon för kriminalitet och "
        "missbruk.",
        False,
        None,
    ),
    (
        "narkotika",
        "Förstärkta insatser som förväntas påverka tillgänglighet av narkotika.",
        False,
        None,
    ),
    (
        "narkotika",
        "Skapa förutsättningar för en trygg och drogfri miljö tillsammans med föräldrar för barn "
        "och unga genom att förstärka det förebyggande arbetet, tidig upptäckt och snabba "
        "insatser i skola, socialtjänst och fritid.",
        False,
        None,
    ),
]


def _commitments(user, promise, rows):
    """Enter commitments; each answers the findings of its theme in the promise's lägesbild."""
    report = promise.situation_report
    for party, text, theme_obj, areas, target, condition in rows:
        fields = {"party": party, "text": text, "theme": theme_obj, "condition": condition}
        if report is not None and theme_obj is not None:
            fields["findings"] = list(report.findings.filter(theme=theme_obj))
        if party == Party.MUNICIPALITY:
            fields["municipality"] = promise.partnership.municipalities.get()
        if target:
            quantity, unit, period, per_area = target
            fields.update(
                target_quantity=quantity,
                target_unit=unit,
                target_period=period,
                target_per_area=per_area,
            )
        commitment_create(user=user, promise=promise, areas=areas, **fields)


def _rendition(promise) -> bytes:
    """A PDF of the promise's text standing in for the scan of the signed page.

    The demo has no scan of the original; this page says so at the top, so it
    can never be taken for the signed document.
    """
    from django.template.loader import render_to_string
    from weasyprint import HTML

    content = parse(promise_snapshot(promise))
    html = render_to_string("promises/demo_rendition.html", {"content": content})
    return HTML(string=html).write_pdf()


def _report(partnership) -> SituationReport | None:
    """The partnership's lägesbild (from the situation demo), cited before anything is signed."""
    return SituationReport.objects.filter(partnership=partnership).order_by("pk").first()


@transaction.atomic
def load(stdout=None) -> None:
    User = get_user_model()
    kalmar_p = Partnership.objects.get(name="Samverkan Kalmar kommun och lokalpolisområde Kalmar")
    katrineholm_p = Partnership.objects.get(
        name="Samverkan Katrineholms kommun och lokalpolisområde Katrineholm"
    )
    kalmar = kalmar_p.municipalities.get()
    katrineholm = katrineholm_p.municipalities.get()

    themes = {
        "narkotika": theme("narkotika", "Narkotika"),
        "centrum": theme("trygghet-i-centrum", "Trygghet i centrum"),
        "ungdom": theme("ungdomsbrottslighet", "Ungdomsbrottslighet"),
        "stadsdelar": theme("trygghet-i-stadsdelar", "Trygghet i stadsdelar"),
        None: None,
    }
    k_areas = {
        "centrum": area(katrineholm, "Centrala Katrineholm", Area.Kind.AREA),
        "tatort": area(katrineholm, "Katrineholms tätort", Area.Kind.TOWN),
    }
    districts = [area(kalmar, name, Area.Kind.DISTRICT) for name in KALMAR_DISTRICTS]

    # --- Katrineholm 2020: published, signed on paper ---------------------------------
    coordinator = User.objects.get(username="katrineholm-samordnare")
    katrineholm_2020 = Promise.objects.filter(
        partnership=katrineholm_p, title=KATRINEHOLM_TITLE
    ).first()
    if katrineholm_2020 is None:
        katrineholm_2020 = promise_create(
            user=coordinator,
            partnership=katrineholm_p,
            title=KATRINEHOLM_TITLE,
            valid_from_date=date(2020, 1, 1),
            valid_to_date=date(2020, 12, 31),
            introduction=KATRINEHOLM_INTRODUCTION,
            effect_goal=KATRINEHOLM_EFFECT,
            effect_indicator=(
                "Upplevd trygghet i centrum i trygghetsmätningar och medborgardialoger"
            ),
            effect_target="En generell ökning av den upplevda tryggheten i centrum",
            effect_target_year=2022,
            followup_cadence=Promise.Cadence.TERTIAL,
            followup_channels="Polisens och kommunens webbsidor samt facebook konton",
            themes=[themes["narkotika"], themes["centrum"], themes["ungdom"]],
            areas=[k_areas["centrum"]],
            situation_report=_report(katrineholm_p),
        )
        _commitments(
            coordinator,
            katrineholm_2020,
            [
                (party, text, themes[t], [k_areas[a] for a in a_keys], target, condition)
                for party, text, t, a_keys, target, condition in KATRINEHOLM_COMMITMENTS
            ],
        )
        police_req, municipal_req = katrineholm_p.signatory_requirements.order_by("order")
        promise_record_paper_signatures(
            user=coordinator,
            promise=katrineholm_2020,
            signatures=[
                {
                    "requirement": police_req,
                    "name": "Liselotte Jergard",
                    "title": "Chef lokalpolisområde Katrineholm",
                },
                {
                    "requirement": municipal_req,
                    "name": "Göran Dahlström",
                    "title": "Kommunstyrelsens ordförande",
                },
            ],
            scan=SimpleUploadedFile("katrineholm-2020.pdf", _rendition(katrineholm_2020)),
            note="Det undertecknade dokumentet för 2020 registrerat i efterhand.",
        )
        # The other party checks the page against the text and confirms.
        promise_confirm_paper_signatures(
            user=User.objects.get(username="katrineholm-kommunpolis"), promise=katrineholm_2020
        )

    # --- Kalmar 2019–2020: waiting for signatures ----------------------------------------
    kalmar_coordinator = User.objects.get(username="kalmar-samordnare")
    kalmar_promise = Promise.objects.filter(partnership=kalmar_p, title=KALMAR_TITLE).first()
    if kalmar_promise is None:
        kalmar_promise = promise_create(
            user=kalmar_coordinator,
            partnership=kalmar_p,
            title=KALMAR_TITLE,
            valid_from_date=date(2019, 1, 1),
            valid_to_date=date(2020, 12, 31),
            introduction=KALMAR_INTRODUCTION,
            effect_goal=(
                "Ökad närvaro och trygghet i fem prioriterade stadsdelar. "
                "Förstärkt arbete mot narkotika."
            ),
            decision_reference="KS 2018/1249",
            followup_cadence=Promise.Cadence.YEARLY,
            themes=[themes["stadsdelar"], themes["narkotika"]],
            areas=districts,
            situation_report=_report(kalmar_p),
        )
        for theme_key, text, in_districts, target in KALMAR_COMMITMENTS:
            _commitments(
                kalmar_coordinator,
                kalmar_promise,
                [
                    (
                        Party.JOINT,
                        text,
                        themes[theme_key],
                        districts if in_districts else [],
                        target,
                        "",
                    )
                ],
            )
        promise_submit_for_signing(user=kalmar_coordinator, promise=kalmar_promise)

    # --- A draft in progress: Katrineholm 2021 -------------------------------------------
    if not Promise.objects.filter(partnership=katrineholm_p, title=DRAFT_TITLE).exists():
        draft = promise_create(
            user=coordinator,
            partnership=katrineholm_p,
            title=DRAFT_TITLE,
            valid_from_date=date(2021, 1, 1),
            valid_to_date=date(2021, 12, 31),
            introduction="Utkast under arbete: bygger vidare på medborgarlöftet för 2020.",
            predecessor=katrineholm_2020,
            followup_cadence=Promise.Cadence.TERTIAL,
            themes=[themes["narkotika"], themes["centrum"]],
        )
        _commitments(
            coordinator,
            draft,
            [
                (
                    Party.JOINT,
                    "Kommunen och polisen kommer vid minst två tillfällen genomföra "
                    "trygghetsvandringar i centrum.",
                    themes["centrum"],
                    [k_areas["centrum"]],
                    (2, "trygghetsvandringar", Commitment.Period.WHOLE, False),
                    "",
                ),
            ],
        )
    # The demo is as of today: Katrineholm 2020 has ended (and stays public), as the
    # daily expire_promises job would have recorded.
    promises_expire_due(today=timezone.localdate())
    if stdout:
        stdout.write(
            "Medborgarlöften: Katrineholm 2020 (publicerat), Kalmar 2019–2020, utkast 2021."
        )
