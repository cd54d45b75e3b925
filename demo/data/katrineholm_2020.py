"""Katrineholm 2020: "Medborgarlöfte Katrineholms kommun 2020", the promise signed on paper.

The lägesbild, the promise and its twelve commitments are quoted from the
document, not summarised. Also the successor being drafted (2021).
"""

from datetime import date

from organizations.models import Area
from promises.models import Commitment, Promise
from situation.models import Finding, Source, TargetGroup

G = TargetGroup
K = Source.Kind
HIGH = Finding.Priority.HIGH

PLACE = "Katrineholm"
MUNICIPALITY_CODE = "0483"
POLICE_AREA = "lpo-katrineholm"

PARTNERSHIP = "Samverkan Katrineholms kommun och lokalpolisområde Katrineholm"
AGREEMENT_REFERENCE = "Samverkansöverenskommelse om trygghetsskapande och brottsförebyggande arbete"
AGREEMENT_START_DATE = None
AGREEMENT_END_DATE = None
POLICE_SIGNATORY_TITLE = "Chef lokalpolisområde Katrineholm"
MUNICIPAL_SIGNATORY_TITLE = "Kommunstyrelsens ordförande"

# key: (name, kind)
AREAS = {
    "centrum": ("centrala Katrineholm", Area.Kind.AREA),
    "tatort": ("Katrineholms tätort", Area.Kind.TOWN),
}

# --- Lägesbild 2019 -------------------------------------------------------------------

REPORT = {
    "title": "Lägesbild Katrineholms kommun – underlag för medborgarlöfte 2020",
    "report_date": None,
    "period_start_date": date(2019, 1, 1),
    "period_end_date": date(2019, 12, 31),
    "method": "EST (Effektiv samordning för trygghet)",
    "summary": (
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
}

# (key, kind, year, title, note)
SOURCES = [
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
]

ALL_SOURCES = None  # in FINDINGS: every source of the report

# (theme slug, area keys, source keys or ALL_SOURCES, target groups, priority, text)
FINDINGS = [
    (
        "narkotika",
        ["tatort"],
        ALL_SOURCES,
        [G.YOUNG, G.RESIDENTS],
        HIGH,
        "Narkotika drabbar våra ungdomar och det drabbar boende i området både direkt och "
        "indirekt genom droghandel och störningar samt de grova våldsbrott som sker inom "
        "dessa kretsar. Området som drabbas mest av detta är tätorten inne i Katrineholm.",
    ),
    (
        "trygghet-i-centrum",
        ["centrum"],
        ["dialogue", "surveys", "est"],
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
        "ungdomsbrottslighet",
        [],
        ALL_SOURCES,
        [G.YOUNG, G.PUPILS, G.CHILDREN],
        HIGH,
        "Den lokala lägesbilden indikerar samma sak som den nationella "
        "samhällsutveckling. Vi upplever ett tuffare klimat bland ungdomar där våld och "
        "våldbrott ökar. Detta märks framförallt i högstadieskolan och på gymnasiet, men "
        "kartläggning pekar också på våldbeteenden bland barn ända ner i förskoleåldern.",
    ),
]

INDICATORS: list[dict] = []

# --- The promise ------------------------------------------------------------------------

TITLE = "Medborgarlöfte Katrineholms kommun 2020"

INTRODUCTION = """\
Medborgarlöftet är en del av polisens och kommunens samverkansöverenskommelse om \
trygghetskapande och brottsförebyggande arbete.

En av grundpelarna i Polismyndigheten är att polisen ska verka närmare medborgarna i \
kommunen och medborgarna ska kunna vara delaktiga i processer vid trygghetskapande och \
brottsförebyggande arbete. Medborgarna, medarbetarna, trygghetsundersökningar och \
tillgänglig statistik har används för att ta fram en lägesbild för Katrineholms kommun. \
Utifrån denna gemensamma lägesbild har medborgarlöftet tagits fram."""

EFFECT_GOAL = """\
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

PROMISE = {
    "title": TITLE,
    "valid_from_date": date(2020, 1, 1),
    "valid_to_date": date(2020, 12, 31),
    "introduction": INTRODUCTION,
    "effect_goal": EFFECT_GOAL,
    "effect_indicator": "Upplevd trygghet i centrum i trygghetsmätningar och medborgardialoger",
    "effect_target": "En generell ökning av den upplevda tryggheten i centrum",
    "effect_target_year": 2022,
    "followup_cadence": Promise.Cadence.TERTIAL,
    "followup_channels": "Polisens och kommunens webbsidor samt facebook konton",
}
PROMISE_THEMES = ["narkotika", "trygghet-i-centrum", "ungdomsbrottslighet"]
PROMISE_AREAS = ["centrum"]

Party = Commitment.Party

# (party, text, theme slug, area keys, target (quantity, unit, period, per area) or None,
#  condition)
COMMITMENTS = [
    (
        Party.POLICE,
        "Polisen kommer att öka närvaron i den centrala delen av Katrineholm med 15 minuters "
        "metoden (det handlar om att vara synlig genom fotpatrull) både dagtid och kvällstid.",
        "trygghet-i-centrum",
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
        "ungdomsbrottslighet",
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
        "ungdomsbrottslighet",
        [],
        None,
        "",
    ),
    (
        Party.MUNICIPALITY,
        "Kommunen fortätter arbetet med mötesplatser för ungdomar som exempelvis "
        "”lyckliga gatan” m.m.",
        "ungdomsbrottslighet",
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
        "ungdomsbrottslighet",
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
        "trygghet-i-centrum",
        ["centrum"],
        (2, "trygghetsvandringar", Commitment.Period.WHOLE, False),
        "",
    ),
]

# The document's signatories, in the order of the partnership's requirements (police first).
PAPER_SIGNATURES = [
    ("Liselotte Jergard", POLICE_SIGNATORY_TITLE),
    ("Göran Dahlström", MUNICIPAL_SIGNATORY_TITLE),
]
PAPER_NOTE = "Det undertecknade dokumentet för 2020 registrerat i efterhand."
PAPER_FILENAME = "katrineholm-2020.pdf"

# --- The successor being written ---------------------------------------------------------

DRAFT_TITLE = "Medborgarlöfte Katrineholms kommun 2021"
DRAFT = {
    "title": DRAFT_TITLE,
    "valid_from_date": date(2021, 1, 1),
    "valid_to_date": date(2021, 12, 31),
    "introduction": "Utkast under arbete: bygger vidare på medborgarlöftet för 2020.",
    "followup_cadence": Promise.Cadence.TERTIAL,
}
DRAFT_THEMES = ["narkotika", "trygghet-i-centrum"]
DRAFT_COMMITMENTS = [
    (
        Party.JOINT,
        "Kommunen och polisen kommer vid minst två tillfällen genomföra "
        "trygghetsvandringar i centrum.",
        "trygghet-i-centrum",
        ["centrum"],
        (2, "trygghetsvandringar", Commitment.Period.WHOLE, False),
        "",
    ),
]
