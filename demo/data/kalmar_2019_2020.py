"""Kalmar 2019–2020: the tjänsteskrivelse "Medborgarlöften 2019-2020" of 2018-12-11, KS 2018/1249.

The lägesbild of 2018 and the two joint promises with their seven insatser,
quoted, not summarised. Where the memo gives no number (the CAN trend since
2015, the split by gender of those who wanted to try) none is invented.
"""

from datetime import date

from organizations.models import Area
from promises.models import Commitment, Promise
from situation.models import Finding, IndicatorValue, Source, TargetGroup

G = TargetGroup
K = Source.Kind
HIGH, MEDIUM = Finding.Priority.HIGH, Finding.Priority.MEDIUM
ALL, GENDER = IndicatorValue.Breakdown.ALL, IndicatorValue.Breakdown.GENDER

PLACE = "Kalmar"
MUNICIPALITY_CODE = "0880"
POLICE_AREA = "lpo-kalmar"

PARTNERSHIP = "Samverkan Kalmar kommun och lokalpolisområde Kalmar"
AGREEMENT_REFERENCE = "Samverkansöverenskommelse Kalmar kommun – Polisen"
AGREEMENT_START_DATE = None
AGREEMENT_END_DATE = date(2020, 9, 30)
POLICE_SIGNATORY_TITLE = "Lokalpolisområdeschef"
MUNICIPAL_SIGNATORY_TITLE = "Kommunstyrelsens ordförande"

DISTRICTS = ["Oxhagen", "Smedby", "Berga", "Funkabo", "Norrliden"]
# key: (name, kind)
AREAS = {name: (name, Area.Kind.DISTRICT) for name in DISTRICTS}

# --- Lägesbild 2018 -------------------------------------------------------------------

REPORT = {
    "title": "Lägesbild Kalmar 2018 – underlag för medborgarlöften 2019–2020",
    "report_date": date(2018, 12, 11),
    "period_start_date": date(2018, 1, 1),
    "period_end_date": date(2018, 12, 31),
    "method": "",
    "summary": (
        "Under 2018 har parterna arbetat fram en ny lägesbild för nya medborgarlöften. "
        "Lägesbilden baseras på polisens trygghetsundersökning, medborgardialoger, "
        "medarbetardialoger inom resp. organisation, trygghetsvandringar, CAN:s "
        "undersökning om drogvanor för elever i årskurs 9 och gymnasieskolans år 2, samt "
        "lokal brottsstatistik.\n\n"
        "Ur tjänsteskrivelsen Medborgarlöften 2019-2020, 2018-12-11, KS 2018/1249."
    ),
}

# (key, kind, year, title, note)
SOURCES = [
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
]

# (theme slug, area keys, source keys, target groups, priority, text)
FINDINGS = [
    (
        "upplevd-trygghet",
        [],
        ["survey", "dialogue"],
        [],
        MEDIUM,
        "2018 års trygghetsmätning och medborgardialoger visar att utsattheten för brott "
        "är låg i hela kommunen.",
    ),
    (
        "upplevd-trygghet",
        [],
        ["survey"],
        [],
        MEDIUM,
        "Av mätningen framgår också att det finns geografiska, köns- och åldermässiga "
        "variationer i upplevelsen av utomhusstörningar, oro att utsättas för brott, "
        "konkret känsla av otrygghet, social tillit och polisens agerande mot problem.",
    ),
    (
        "trygghet-i-stadsdelar",
        DISTRICTS,
        ["survey"],
        [],
        HIGH,
        "Upplevelsen av trygghet är lägre än för kommunen för övrigt i stadsdelarna "
        "Oxhagen, Smedby, Berga, Funkabo och Norrliden.",
    ),
    (
        "upplevd-trygghet",
        [],
        ["survey"],
        [G.WOMEN, G.YOUNG],
        HIGH,
        "Större andel kvinnor anger att de känner sig otrygga ute ensam sen kväll än män, "
        "detta mönster ses även i ett åldersperspektiv, där unga i större andel "
        "rapporterar otrygghet än äldre.",
    ),
    (
        "upplevd-trygghet",
        [],
        ["dialogue"],
        [],
        MEDIUM,
        "Vid medborgardialoger förmedlas i hög utsträckning att känslan av otrygghet är "
        "svår att konkretisera och många ger uttryck för en mer ”diffus känsla” av att "
        "världen generellt är en otrygg plats.",
    ),
    (
        "narkotika",
        [],
        ["staff"],
        [G.YOUNG],
        HIGH,
        "Av medarbetardialoger genomförda inom lokalpolisområde Kalmar och Kalmar kommun "
        "framgår att unga ger uttryck för en alltmer liberal syn på narkotika, framför "
        "allt cannabis.",
    ),
    (
        "narkotika",
        [],
        ["can"],
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
        "narkotika",
        [],
        ["can"],
        [G.PUPILS, G.YOUNG],
        HIGH,
        "I gymnasiets år 2 var det 19 % som haft lust att prova narkotika. 18 % av "
        "eleverna uppgav att de använt narkotika någon gång (20 % av pojkarna och 15 % "
        "av flickorna), de dominerande preparaten var cannabis och marijuana. Också i "
        "gymnasiegruppen hade man fått tillgång till drogen via kompis eller "
        "flick-/pojkvän.",
    ),
    (
        "narkotika",
        [],
        ["can"],
        [G.PUPILS, G.YOUNG],
        HIGH,
        "CAN-undersökningen visar att andelen elever i årskurs 9 som använt narkotika de "
        "senaste 12 månaderna har minskat något sedan mätningen 2015, medan förhållandet "
        "är det omvända för gymnasieelever år 2, där gruppen som använt narkotika de "
        "senaste 12 månaderna ökat.",
    ),
]

YEAR_9 = "elever i årskurs 9"
UPPER_SECONDARY_2 = "elever i gymnasiets år 2"

# Every figure in per cent from the CAN survey (source key "can"); values are
# (period, breakdown, group, value).
INDICATORS = [
    {
        "name": "Har någon gång haft lust att prova narkotika",
        "population": YEAR_9,
        "source": "can",
        "values": [("2017", ALL, "", "12")],
        "description": (
            "Det var en något högre andel flickor som svarade ja och tveksamma än pojkar. "
            "Andelarna per kön anges inte i underlaget."
        ),
    },
    {
        "name": "Tveksamma till att prova narkotika",
        "population": YEAR_9,
        "source": "can",
        "values": [("2017", ALL, "", "12")],
    },
    {
        "name": "Har någon gång använt narkotika",
        "population": YEAR_9,
        "source": "can",
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
        "source": "can",
        "values": [("2017", ALL, "", "94")],
    },
    {
        "name": "Har någon gång haft lust att prova narkotika",
        "population": UPPER_SECONDARY_2,
        "source": "can",
        "values": [("2017", ALL, "", "19")],
    },
    {
        "name": "Har någon gång använt narkotika",
        "population": UPPER_SECONDARY_2,
        "source": "can",
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

# --- The promise ------------------------------------------------------------------------

TITLE = "Medborgarlöften 2019–2020"

INTRODUCTION = """\
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

PROMISE = {
    "title": TITLE,
    "valid_from_date": date(2019, 1, 1),
    "valid_to_date": date(2020, 12, 31),
    "introduction": INTRODUCTION,
    "effect_goal": (
        "Ökad närvaro och trygghet i fem prioriterade stadsdelar. Förstärkt arbete mot narkotika."
    ),
    "decision_reference": "KS 2018/1249",
    "followup_cadence": Promise.Cadence.YEARLY,
}
PROMISE_THEMES = ["trygghet-i-stadsdelar", "narkotika"]
PROMISE_AREAS = DISTRICTS

Party = Commitment.Party
EVERY_WALK = (1, "trygghetsvandringar", Commitment.Period.YEAR, True)

# The memo lists the seven insatser in two groups, one per promise; all are joint.
# (party, text, theme slug, area keys, target or None, condition)
COMMITMENTS = [
    (
        Party.JOINT,
        "Genom olika forum hålla kommunens invånare informerade om förebyggande insatser och "
        "trygghetsfrågor.",
        "trygghet-i-stadsdelar",
        [],
        None,
        "",
    ),
    (
        Party.JOINT,
        "Kontinuerlig samverkan mellan polis, kommun och andra aktörer i syfte att motverka "
        "otrygghet, brottslighet och ordningsstörningar i prioriterade områden.",
        "trygghet-i-stadsdelar",
        DISTRICTS,
        None,
        "",
    ),
    (
        Party.JOINT,
        "Genomföra minst en trygghetsvandring/år i respektive stadsdel i syfte att identifiera "
        "förbättringsinsatser för ökad trygghet. Vid behov utarbetas lokala åtgärdsplaner som "
        "kommuniceras med berörda aktörer och boende.",
        "trygghet-i-stadsdelar",
        DISTRICTS,
        EVERY_WALK,
        "",
    ),
    (
        Party.JOINT,
        "Återkommande kommunicera samlade lägesbilder samt insatser som kan antas påverka "
        "upplevelsen av trygghet.",
        "narkotika",
        [],
        None,
        "",
    ),
    (
        Party.JOINT,
        "Genomförande av riktade insatser mot droger och ungdomar i riskzon för kriminalitet och "
        "missbruk.",
        "narkotika",
        [],
        None,
        "",
    ),
    (
        Party.JOINT,
        "Förstärkta insatser som förväntas påverka tillgänglighet av narkotika.",
        "narkotika",
        [],
        None,
        "",
    ),
    (
        Party.JOINT,
        "Skapa förutsättningar för en trygg och drogfri miljö tillsammans med föräldrar för barn "
        "och unga genom att förstärka det förebyggande arbetet, tidig upptäckt och snabba "
        "insatser i skola, socialtjänst och fritid.",
        "narkotika",
        [],
        None,
        "",
    ),
]
