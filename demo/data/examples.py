"""What the demo invents to show the loop: activity plans, reports and follow-ups.

The seed documents say what was promised, not what was done. Every plan,
activity, report and follow-up made from this module is stored with
``is_example=True`` so every page marks it "Exempeldata". Names are roles,
never people.
"""

from activities.models import Measure

PLAN_NOTE = (
    "Exempeldata: planen är påhittad för demonstrationen, inte parternas verkliga aktivitetsplan."
)

# An activity per commitment, found by a phrase of the commitment's text ("match").
# target: (count, unit), "commitment" (the commitment's own) or None (no target).
# Reports: (month, day, count, area key, description, participants, findings, measures)
# area key: "first" = the commitment's first area, a name = that area, None = none.
# measures: [(description, owner, status)]

KATRINEHOLM_2020 = [
    {
        "match": "15 minuters",
        "title": "Fotpatrull i centrum med 15-minutersmetoden",
        "description": "Kvarterspoliser går fotpatrull minst 15 minuter per pass i centrum, "
        "dagtid och kvällstid, med fokus på platser där ungdomar samlas.",
        "person": "Kommunpolis",
        "target": (48, "fotpatrullpass"),
        "reports": [
            (m, 28, c, "first", "Fotpatrullpass i centrum, dag och kväll.", "Polisen", "", [])
            for m, c in [(1, 3), (2, 4), (3, 5), (4, 4), (5, 5), (6, 4), (8, 3), (9, 5)]
        ]
        + [(10, 28, 4, "first", "Fotpatrullpass i centrum.", "Polisen", "", [])],
    },
    {
        "match": "hundsök",
        "title": "Förebyggande hundsök i skolor",
        "description": "Narkotikasökhund på högstadie- och gymnasieskolor efter överenskommelse "
        "med rektorerna.",
        "person": "Kommunpolis",
        "target": (4, "hundsök"),
        "reports": [
            (2, 12, 1, None, "Hundsök på en högstadieskola.", "Polisen, skolan", "", []),
            (5, 20, 1, None, "Hundsök på gymnasieskolan.", "Polisen, skolan", "", []),
            (10, 7, 1, None, "Hundsök på en högstadieskola.", "Polisen, skolan", "", []),
        ],
    },
    {
        "match": "riktade insatser mot platser",
        "title": "Riktade insatser mot narkotika i tätorten",
        "description": "Insatser mot platser och personer som hanterar eller brukar narkotika, "
        "utifrån underrättelser.",
        "person": "Gruppchef, ingripande",
        "target": (6, "riktade insatser"),
        "reports": [
            (2, 14, 2, "first", "Två riktade insatser mot kända platser.", "Polisen", "", []),
            (3, 27, 2, "first", "Riktade insatser en fredag och en lördag.", "Polisen", "", []),
            (6, 12, 2, "first", "Riktade insatser inför sommaren.", "Polisen", "", []),
            (8, 21, 2, "first", "Riktade insatser i tätorten.", "Polisen", "", []),
            (10, 16, 2, "first", "Riktade insatser i tätorten.", "Polisen", "", []),
            (12, 4, 1, "first", "Riktad insats före jul.", "Polisen", "", []),
        ],
    },
    {
        "match": "medling",
        "title": "Medling vid ungdomsbrott",
        "description": "Erbjuda medling när förutsättningar finns, tillsammans med "
        "socialtjänstens medlare.",
        "person": "Utredare, ungdomsärenden",
        "target": None,
        "reports": [
            (4, 8, 1, None, "Ett ärende slussat till medling.", "Polisen, socialtjänsten", "", []),
            (11, 3, 1, None, "Ett ärende slussat till medling.", "Polisen, socialtjänsten", "", []),
        ],
    },
    {
        "match": "insatsgrupper",
        "title": "Sociala insatsgrupper (SIG)",
        "description": "Samordnade insatser för unga som vill lämna kriminalitet.",
        "person": "Samordnare SIG",
        "target": (10, "SIG-möten"),
        "reports": [
            (
                m,
                15,
                1,
                None,
                "Möte i social insatsgrupp.",
                "Socialtjänsten, skolan, polisen",
                "",
                [],
            )
            for m in (1, 2, 3, 4, 5, 6, 9, 10, 11)
        ],
    },
    {
        "match": "mötesplatser",
        "title": "Mötesplatser för unga, till exempel Lyckliga gatan",
        "description": "Kvällsöppna mötesplatser med fritidsledare.",
        "person": "Fritidschef",
        "target": (30, "kvällsöppna tillfällen"),
        "reports": [
            (m, 25, 3, None, "Kvällsöppet på mötesplatsen.", "Fritidsledare", "", [])
            for m in (1, 2, 3, 6, 7, 8, 9, 10, 11)
        ],
    },
    {
        "match": "andts-coach",
        "title": "Utbildning med ANDTS-coachmetoden",
        "description": "Utbildning och nätverksträffar för personal som möter unga.",
        "person": "ANDTS-samordnare",
        "target": (4, "utbildningstillfällen"),
        "reports": [
            (3, 10, 1, None, "Utbildning för fritidsledare.", "Kommunen", "", []),
            (9, 22, 1, None, "Nätverksträff för skolpersonal.", "Kommunen", "", []),
        ],
    },
    {
        "match": "långning",
        "title": "Antilangningskampanjer vid riskhelger",
        "description": "Kampanjer mot langning till unga inför riskhelger.",
        "person": "ANDTS-samordnare",
        "target": (3, "kampanjer"),
        "reports": [
            (4, 29, 1, None, "Kampanj inför valborg.", "Kommunen, polisen", "", []),
            (6, 10, 1, None, "Kampanj inför skolavslutningen.", "Kommunen, polisen", "", []),
            (10, 28, 1, None, "Kampanj inför höstlovet.", "Kommunen, polisen", "", []),
        ],
    },
    {
        "match": "cykelstöld",
        "title": "Åtgärder mot cykelstölder i tätorten",
        "description": "Cykelmärkning, information och en genomgång av cykelparkeringar.",
        "person": "Säkerhetsstrateg",
        "target": (2, "cykelmärkningstillfällen"),
        "reports": [
            (
                5,
                13,
                1,
                "first",
                "Cykelmärkning vid resecentrum.",
                "Polisen, kommunen",
                "Cykelparkeringen vid resecentrum saknar ramar att låsa fast cyklar i.",
                [
                    (
                        "Sätta upp cykelställ med ram vid resecentrum",
                        "Samhällsbyggnadsförvaltningen",
                        Measure.Status.DONE,
                    )
                ],
            ),
            (9, 2, 1, "first", "Cykelmärkning vid gymnasieskolan.", "Polisen, kommunen", "", []),
        ],
    },
    {
        "match": "avloppsvattnet",
        "title": "ANDTS-utbildning och mätning av narkotika i avloppsvatten",
        "description": "Gemensam utbildning för polis och kommun samt mätningar i avloppsvattnet.",
        "person": "ANDTS-samordnare och kommunpolis",
        "target": (3, "insatser"),
        "reports": [
            (2, 20, 1, None, "Gemensam ANDTS-utbildning.", "Polisen, kommunen", "", []),
            (9, 30, 1, None, "Mätning av narkotika i avloppsvatten.", "Kommunen", "", []),
        ],
    },
    {
        "match": "orosamtal",
        "title": "Orosamtal med unga på väg in i kriminalitet",
        "description": "Polis och socialtjänst träffar den unge och vårdnadshavarna.",
        "person": "Kommunpolis och socialsekreterare",
        "target": (20, "orosamtal"),
        "reports": [
            (
                m,
                18,
                c,
                None,
                "Orosamtal med unga och vårdnadshavare.",
                "Polisen, socialtjänsten",
                "",
                [],
            )
            for m, c in [(1, 2), (2, 1), (3, 3), (5, 2), (6, 2), (8, 1), (9, 3), (11, 2)]
        ],
    },
    {
        "match": "trygghetsvandringar i centrum",
        "title": "Trygghetsvandringar i centrum",
        "description": "Kommunen arrangerar och bjuder in samverkanspartner och ungdomar. "
        "Varje vandring dagtid och kvällstid; en av dem på cykel.",
        "person": "Säkerhetsstrateg",
        "target": "commitment",
        "reports": [
            (
                4,
                22,
                1,
                "first",
                "Trygghetsvandring i centrum, dagtid och kvällstid.",
                "Kommunen, polisen, fastighetsägare, ungdomar",
                "Mörkt i gångtunneln under järnvägen; klotter vid busstorget; ungdomar "
                "samlas vid parken sena kvällar.",
                [
                    (
                        "Byta och förstärka belysningen i gångtunneln",
                        "Tekniska förvaltningen",
                        Measure.Status.DONE,
                    ),
                    ("Sanera klotter vid busstorget", "Fastighetsägaren", Measure.Status.DONE),
                    (
                        "Fältassistenter i parken fredagskvällar",
                        "Socialförvaltningen",
                        Measure.Status.ONGOING,
                    ),
                ],
            ),
            (
                9,
                16,
                1,
                "first",
                "Trygghetsvandring på cykel i centrum och längs cykelvägarna.",
                "Kommunen, polisen, cykelföreningen, ungdomar",
                "Buskage skymmer sikten vid cykelvägen mot stationen.",
                [
                    (
                        "Röja buskage längs cykelvägen",
                        "Tekniska förvaltningen",
                        Measure.Status.PROPOSED,
                    )
                ],
            ),
        ],
    },
]

KALMAR_2019 = [
    {
        "match": "hålla kommunens invånare informerade",
        "title": "Information om trygghetsarbetet i olika forum",
        "person": "Kommunikatör",
        "target": (6, "informationsinsatser"),
        "reports": [
            (3, 5, 2, None, "Nyhetsbrev och inlägg i sociala medier.", "Kommunen, polisen", "", []),
        ],
    },
    {
        "match": "kontinuerlig samverkan",
        "title": "Samverkansmöten om prioriterade stadsdelar",
        "person": "Strateg, social hållbarhet",
        "target": (10, "samverkansmöten"),
        "reports": [
            (2, 12, 1, None, "Samverkansmöte med bostadsbolaget.", "Kommunen, polisen", "", []),
            (5, 14, 1, None, "Samverkansmöte.", "Kommunen, polisen, räddningstjänsten", "", []),
        ],
    },
    {
        "match": "trygghetsvandring/år",
        "title": "Trygghetsvandringar i de fem stadsdelarna",
        "person": "Strateg, social hållbarhet",
        "target": "commitment",
        "reports": [
            (
                4,
                10,
                1,
                "Oxhagen",
                "Trygghetsvandring i Oxhagen.",
                "Kommunen, polisen, bostadsbolaget, boende",
                "Trasig belysning på gångvägen mot skolan.",
                [
                    (
                        "Laga belysningen på gångvägen",
                        "Kalmar Vatten och gatuenheten",
                        Measure.Status.DONE,
                    )
                ],
            ),
            (
                5,
                8,
                1,
                "Smedby",
                "Trygghetsvandring i Smedby.",
                "Kommunen, polisen, boende",
                "Otrygg busshållplats vid centrum.",
                [("Se över belysning vid busshållplatsen", "Gatuenheten", Measure.Status.ONGOING)],
            ),
            (
                9,
                18,
                1,
                "Berga",
                "Trygghetsvandring i Berga.",
                "Kommunen, polisen, bostadsbolaget, boende",
                "",
                [],
            ),
        ],
    },
    {
        "match": "samlade lägesbilder",
        "title": "Kommunicera samlade lägesbilder",
        "person": "Kommunpolis",
        "target": (2, "lägesbilder"),
        "reports": [],
    },
    {
        "match": "riktade insatser mot droger",
        "title": "Riktade insatser mot droger och unga i riskzon",
        "person": "Kommunpolis",
        "target": (6, "riktade insatser"),
        "reports": [(6, 7, 2, None, "Riktade insatser.", "Polisen, fältgruppen", "", [])],
    },
    {
        "match": "tillgänglighet av narkotika",
        "title": "Insatser mot tillgången till narkotika",
        "person": "Gruppchef, ingripande",
        "target": (4, "insatser"),
        "reports": [],
    },
    {
        "match": "tillsammans med föräldrar",
        "title": "Föräldramöten om en drogfri miljö",
        "person": "Drogförebyggande samordnare",
        "target": (3, "föräldramöten"),
        "reports": [(10, 3, 1, None, "Föräldramöte på en högstadieskola.", "Kommunen", "", [])],
    },
]

# --- Follow-ups of Katrineholm 2020, by tertial --------------------------------------

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

# Tertial 1 and 2 are approved by both sides and published; tertial 3 is a draft the
# police side has approved, left for a demo user to approve for the kommun and publish.
PUBLISHED = {1, 2}
