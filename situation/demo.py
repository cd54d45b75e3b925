"""Demo lägesbilder for Kalmar (2018) and Katrineholm (2019), entered from the seed documents.

Kalmar: the tjänsteskrivelse "Medborgarlöften 2019-2020" of 2018-12-11, KS 2018/1249.
Katrineholm: "Medborgarlöfte Katrineholms kommun 2020". The texts are quoted,
not summarised; where a document gives no number (the CAN trend since 2015,
the split by gender of those who wanted to try) none is invented.

Idempotent: running it again updates instead of duplicating. It writes
directly rather than through the services because there is no acting user.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from organizations.models import Area, Organisation, Partnership, Theme
from situation.models import (
    Finding,
    Indicator,
    IndicatorValue,
    SituationReport,
    Source,
    TargetGroup,
    Visibility,
)

KALMAR_PARTNERSHIP = "Samverkan Kalmar kommun och lokalpolisområde Kalmar"
KATRINEHOLM_PARTNERSHIP = "Samverkan Katrineholms kommun och lokalpolisområde Katrineholm"
KALMAR_DISTRICTS = ["Oxhagen", "Smedby", "Berga", "Funkabo", "Norrliden"]

THEMES = {
    "upplevd-trygghet": "Upplevd trygghet",
    "trygghet-i-stadsdelar": "Trygghet i stadsdelar",
    "narkotika": "Narkotika",
    "trygghet-i-centrum": "Trygghet i centrum",
    "ungdomsbrottslighet": "Ungdomsbrottslighet",
}

PUBLIC = Visibility.PUBLIC
HIGH, MEDIUM = Finding.Priority.HIGH, Finding.Priority.MEDIUM
G = TargetGroup


def _themes() -> dict[str, Theme]:
    return {
        slug: Theme.objects.get_or_create(slug=slug, partnership=None, defaults={"name": name})[0]
        for slug, name in THEMES.items()
    }


def _area(municipality: Organisation, name: str, kind: str) -> Area:
    return Area.objects.get_or_create(
        municipality=municipality, name=name, defaults={"kind": kind}
    )[0]


def _report(partnership: Partnership, title: str, **fields) -> SituationReport:
    report, _ = SituationReport.objects.update_or_create(
        partnership=partnership, title=title, defaults=fields
    )
    return report


def _sources(report: SituationReport, rows) -> dict[str, Source]:
    found = {}
    for order, (key, kind, year, title, note) in enumerate(rows):
        found[key], _ = Source.objects.update_or_create(
            report=report,
            kind=kind,
            title=title,
            defaults={"year": year, "note": note, "visibility": PUBLIC, "order": order},
        )
    return found


def _findings(report: SituationReport, rows) -> list[Finding]:
    findings = []
    for order, (theme, areas, sources, groups, priority, text) in enumerate(rows):
        finding, _ = Finding.objects.update_or_create(
            report=report,
            text=text,
            defaults={
                "theme": theme,
                "groups": [str(g) for g in groups],
                "priority": priority,
                "visibility": PUBLIC,
                "order": order,
            },
        )
        finding.areas.set(areas)
        finding.sources.set(sources)
        findings.append(finding)
    return findings


def _indicator(report, order, *, name, population, source, values, description="") -> Indicator:
    indicator, _ = Indicator.objects.update_or_create(
        report=report,
        name=name,
        population=population,
        defaults={
            "unit": "%",
            "description": description,
            "source": source,
            "visibility": PUBLIC,
            "order": order,
        },
    )
    for period, breakdown, group, value in values:
        IndicatorValue.objects.update_or_create(
            indicator=indicator,
            period=period,
            breakdown=breakdown,
            group=group,
            defaults={"value": Decimal(value)},
        )
    return indicator


ALL, GENDER = IndicatorValue.Breakdown.ALL, IndicatorValue.Breakdown.GENDER
YEAR_9 = "elever i årskurs 9"
UPPER_SECONDARY_2 = "elever i gymnasiets år 2"


def load_kalmar(partnership: Partnership, themes: dict[str, Theme]) -> SituationReport:
    kalmar = partnership.municipalities.get(municipality_code="0880")
    districts = [_area(kalmar, name, Area.Kind.DISTRICT) for name in KALMAR_DISTRICTS]
    report = _report(
        partnership,
        "Lägesbild Kalmar 2018 – underlag för medborgarlöften 2019–2020",
        report_date=date(2018, 12, 11),
        period_start_date=date(2018, 1, 1),
        period_end_date=date(2018, 12, 31),
        method="",
        summary=(
            "Under 2018 har parterna arbetat fram en ny lägesbild för nya medborgarlöften. "
            "Lägesbilden baseras på polisens trygghetsundersökning, medborgardialoger, "
            "medarbetardialoger inom resp. organisation, trygghetsvandringar, CAN:s "
            "undersökning om drogvanor för elever i årskurs 9 och gymnasieskolans år 2, samt "
            "lokal brottsstatistik.\n\n"
            "Ur tjänsteskrivelsen Medborgarlöften 2019-2020, 2018-12-11, KS 2018/1249."
        ),
    )
    K = Source.Kind
    sources = _sources(
        report,
        [
            ("survey", K.SAFETY_SURVEY, 2018, "Polisens trygghetsundersökning", ""),
            ("dialogue", K.CITIZEN_DIALOGUE, 2018, "Medborgardialoger", ""),
            (
                "staff",
                K.STAFF_DIALOGUE,
                None,
                "Medarbetardialoger inom lokalpolisområde Kalmar och Kalmar kommun",
                "",
            ),
            ("walks", K.SAFETY_WALK, None, "Trygghetsvandringar", ""),
            (
                "can",
                K.DRUG_SURVEY,
                2017,
                "CAN:s undersökning om drogvanor för elever i årskurs 9 och gymnasieskolans år 2",
                "Jämförs med mätningen 2015.",
            ),
            ("crime", K.CRIME_STATISTICS, None, "Lokal brottsstatistik", ""),
        ],
    )
    survey, dialogue, staff, can = (sources[k] for k in ("survey", "dialogue", "staff", "can"))
    safety, districts_theme, drugs = (
        themes["upplevd-trygghet"],
        themes["trygghet-i-stadsdelar"],
        themes["narkotika"],
    )
    _findings(
        report,
        [
            (
                safety,
                [],
                [survey, dialogue],
                [],
                MEDIUM,
                "2018 års trygghetsmätning och medborgardialoger visar att utsattheten för brott "
                "är låg i hela kommunen.",
            ),
            (
                safety,
                [],
                [survey],
                [],
                MEDIUM,
                "Av mätningen framgår också att det finns geografiska, köns- och åldermässiga "
                "variationer i upplevelsen av utomhusstörningar, oro att utsättas för brott, "
                "konkret känsla av otrygghet, social tillit och polisens agerande mot problem.",
            ),
            (
                districts_theme,
                districts,
                [survey],
                [],
                HIGH,
                "Upplevelsen av trygghet är lägre än för kommunen för övrigt i stadsdelarna "
                "Oxhagen, Smedby, Berga, Funkabo och Norrliden.",
            ),
            (
                safety,
                [],
                [survey],
                [G.WOMEN, G.YOUNG],
                HIGH,
                "Större andel kvinnor anger att de känner sig otrygga ute ensam sen kväll än män, "
                "detta mönster ses även i ett åldersperspektiv, där unga i större andel "
                "rapporterar otrygghet än äldre.",
            ),
            (
                safety,
                [],
                [dialogue],
                [],
                MEDIUM,
                "Vid medborgardialoger förmedlas i hög utsträckning att känslan av otrygghet är "
                "svår att konkretisera och många ger uttryck för en mer ”diffus känsla” av att "
                "världen generellt är en otrygg plats.",
            ),
            (
                drugs,
                [],
                [staff],
                [G.YOUNG],
                HIGH,
                "Av medarbetardialoger genomförda inom lokalpolisområde Kalmar och Kalmar kommun "
                "framgår att unga ger uttryck för en alltmer liberal syn på narkotika, framför "
                "allt cannabis.",
            ),
            (
                drugs,
                [],
                [can],
                [G.PUPILS, G.YOUNG],
                HIGH,
                "I CAN-undersökningen som genomfördes 2017 uppgav 12 % av eleverna i årskurs 9 "
                "att de någon gång haft lust att prova narkotika och 12 % uppgav att de var "
                "tveksamma, det var en något högre andel flickor som svarade ja och tveksamma än "
                "pojkar. 5 % av eleverna uppgav att de någon gång använt narkotika (6 % av "
                "pojkarna och 4 % av flickorna) medan 94 % svarade nej. Av de som använt "
                "narkotika hade de flesta testat 1 gång, vanligaste preparat var cannabis och "
                "marijuana som man fått tag på av en kompis/flick- eller pojkvän eller "
                "langare/annan person.",
            ),
            (
                drugs,
                [],
                [can],
                [G.PUPILS, G.YOUNG],
                HIGH,
                "I gymnasiets år 2 var det 19 % som haft lust att prova narkotika. 18 % av "
                "eleverna uppgav att de använt narkotika någon gång (20 % av pojkarna och 15 % "
                "av flickorna), de dominerande preparaten var cannabis och marijuana. Också i "
                "gymnasiegruppen hade man fått tillgång till drogen via kompis eller "
                "flick-/pojkvän.",
            ),
            (
                drugs,
                [],
                [can],
                [G.PUPILS, G.YOUNG],
                HIGH,
                "CAN-undersökningen visar att andelen elever i årskurs 9 som använt narkotika de "
                "senaste 12 månaderna har minskat något sedan mätningen 2015, medan förhållandet "
                "är det omvända för gymnasieelever år 2, där gruppen som använt narkotika de "
                "senaste 12 månaderna ökat.",
            ),
        ],
    )
    indicators = [
        {
            "name": "Har någon gång haft lust att prova narkotika",
            "population": YEAR_9,
            "values": [("2017", ALL, "", "12")],
            "description": (
                "Det var en något högre andel flickor som svarade ja och tveksamma än pojkar. "
                "Andelarna per kön anges inte i underlaget."
            ),
        },
        {
            "name": "Tveksamma till att prova narkotika",
            "population": YEAR_9,
            "values": [("2017", ALL, "", "12")],
        },
        {
            "name": "Har någon gång använt narkotika",
            "population": YEAR_9,
            "values": [
                ("2017", ALL, "", "5"),
                ("2017", GENDER, "pojkar", "6"),
                ("2017", GENDER, "flickor", "4"),
            ],
            "description": (
                "Av de som använt narkotika hade de flesta testat 1 gång, vanligaste preparat "
                "var cannabis och marijuana som man fått tag på av en kompis/flick- eller "
                "pojkvän eller langare/annan person."
            ),
        },
        {
            "name": "Svarade nej på frågan om de någon gång använt narkotika",
            "population": YEAR_9,
            "values": [("2017", ALL, "", "94")],
        },
        {
            "name": "Har någon gång haft lust att prova narkotika",
            "population": UPPER_SECONDARY_2,
            "values": [("2017", ALL, "", "19")],
        },
        {
            "name": "Har någon gång använt narkotika",
            "population": UPPER_SECONDARY_2,
            "values": [
                ("2017", ALL, "", "18"),
                ("2017", GENDER, "pojkar", "20"),
                ("2017", GENDER, "flickor", "15"),
            ],
            "description": (
                "De dominerande preparaten var cannabis och marijuana. Också i gymnasiegruppen "
                "hade man fått tillgång till drogen via kompis eller flick-/pojkvän."
            ),
        },
    ]
    for order, spec in enumerate(indicators):
        _indicator(report, order, source=can, **spec)
    return report


def load_katrineholm(partnership: Partnership, themes: dict[str, Theme]) -> SituationReport:
    katrineholm = partnership.municipalities.get(municipality_code="0483")
    centre = _area(katrineholm, "centrala Katrineholm", Area.Kind.AREA)
    town = _area(katrineholm, "Katrineholms tätort", Area.Kind.TOWN)
    report = _report(
        partnership,
        "Lägesbild Katrineholms kommun – underlag för medborgarlöfte 2020",
        report_date=None,
        period_start_date=date(2019, 1, 1),
        period_end_date=date(2019, 12, 31),
        method="EST (Effektiv samordning för trygghet)",
        summary=(
            "Medborgarna, medarbetarna, trygghetsundersökningar och tillgänglig statistik har "
            "används för att ta fram en lägesbild för Katrineholms kommun. Utifrån denna "
            "gemensamma lägesbild har medborgarlöftet tagits fram.\n\n"
            "För att få medborgarnas bild av Katrineholms kommun har polisen tillsammans med "
            "kommunen frågat medborgarna om deras upplevda trygghet och vilka problemområden de "
            "ser samt använt de trygghetsmätningar som finns att tillgå. Resultatet innebar ett "
            "fokus på olika områden som medborgarna, polisen och kommunen identifierat som "
            "viktigast att arbeta vidare med för att medborgarna ska känna sig tryggare i "
            "kommunen. Under arbetet har polisen och kommunen använt sig av metoden EST "
            "(Effektiv samordning för trygghet) för att fördjupa sin kunskap om den lokala "
            "problembilden."
        ),
    )
    K = Source.Kind
    sources = _sources(
        report,
        [
            (
                "dialogue",
                K.CITIZEN_DIALOGUE,
                None,
                "Medborgardialog om upplevd trygghet och problemområden",
                "Polisen tillsammans med kommunen frågade medborgarna om deras upplevda trygghet "
                "och vilka problemområden de ser.",
            ),
            ("surveys", K.SAFETY_SURVEY, None, "Trygghetsmätningar som finns att tillgå", ""),
            (
                "est",
                K.EST,
                None,
                "EST (Effektiv samordning för trygghet)",
                "Metoden användes för att fördjupa kunskapen om den lokala problembilden.",
            ),
            ("staff", K.STAFF_DIALOGUE, None, "Medarbetarnas bild", ""),
            ("statistics", K.CRIME_STATISTICS, None, "Tillgänglig statistik", ""),
        ],
    )
    all_sources = list(sources.values())
    _findings(
        report,
        [
            (
                themes["narkotika"],
                [town],
                all_sources,
                [G.YOUNG, G.RESIDENTS],
                HIGH,
                "Narkotika drabbar våra ungdomar och det drabbar boende i området både direkt och "
                "indirekt genom droghandel och störningar samt de grova våldsbrott som sker inom "
                "dessa kretsar. Området som drabbas mest av detta är tätorten inne i Katrineholm.",
            ),
            (
                themes["trygghet-i-centrum"],
                [centre],
                [sources["dialogue"], sources["surveys"], sources["est"]],
                [G.YOUNG],
                HIGH,
                "Vi vet att man kan känna sig otrygg fastän man lever i ett område med väldigt "
                "lite brottslighet och vice versa, så det är därför helt centralt att vi arbetar "
                "med medborgarnas upplevda otrygghet. Medborgardialogen har givit att den platsen "
                "i kommunen där medborgarna upplever störst otrygghet är i centrum. Det är främst "
                "under dygnets mörka timmar som oro för att utsättas för brott finns och då främst "
                "för våldsbrott. Många människor har behov av att bli sedda, hörda och "
                "bekräftade. Särskilt ungdomar har ett sådant behov och i synnerhet när de tar "
                "steget in i vuxenlivet. Ungdomars ”häng” i tätorten och framförallt i centrum "
                "kan skapa otrygghet och oro för både vuxna och andra ungdomar.",
            ),
            (
                themes["ungdomsbrottslighet"],
                [],
                all_sources,
                [G.YOUNG, G.PUPILS, G.CHILDREN],
                HIGH,
                "Den lokala lägesbilden indikerar samma sak som den nationella "
                "samhällsutveckling. Vi upplever ett tuffare klimat bland ungdomar där våld och "
                "våldbrott ökar. Detta märks framförallt i högstadieskolan och på gymnasiet, men "
                "kartläggning pekar också på våldbeteenden bland barn ända ner i förskoleåldern.",
            ),
        ],
    )
    return report


@transaction.atomic
def load(stdout=None) -> dict:
    themes = _themes()
    reports = {
        "kalmar": load_kalmar(Partnership.objects.get(name=KALMAR_PARTNERSHIP), themes),
        "katrineholm": load_katrineholm(
            Partnership.objects.get(name=KATRINEHOLM_PARTNERSHIP), themes
        ),
    }
    if stdout is not None:
        stdout.write("Lägesbilder för Kalmar och Katrineholm är inlästa.")
    return reports
