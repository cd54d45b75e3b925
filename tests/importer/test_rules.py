"""The extractor's rules, one by one, on small texts (no database)."""

from datetime import date

import pytest

from importer.extract import extract, find_condition, find_target, party_for


def period(text):
    result = extract(text).period
    return result.from_date, result.to_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Medborgarlöftet gäller från 1 januari 2020 till 31 december 2020.",
            ("2020-01-01", "2020-12-31"),
        ),
        (
            "Medborgarlöftet gäller from 1 januari 2020 till 31 december 2020.",
            ("2020-01-01", "2020-12-31"),
        ),
        ("Medborgarlöften 2019–2020", ("2019-01-01", "2020-12-31")),
        (
            "Medborgarlöften som ska gälla under tiden 1 juli 2018 – 30 juni 2020:",
            ("2018-07-01", "2020-06-30"),
        ),
        (
            "Medborgarlöftet kommer att löpa från 2018-01-01--2019-12-31",
            ("2018-01-01", "2019-12-31"),
        ),
        ("Polisen lovar att under 2024 genomföra fler kontroller.", ("2024-01-01", "2024-12-31")),
        ("Medborgarlöfte 2023", ("2023-01-01", "2023-12-31")),
        ("Medborgarlöfte januari-juni 2024:", ("2024-01-01", "2024-06-30")),
        (
            "Löftet gäller från den 1 juni 2022 till och med den 31 december 2023.",
            ("2022-06-01", "2023-12-31"),
        ),
        (
            "Medborgarlöfte 2020\n\nNu förlänger vi 2020 års löfte att gälla även 2021.",
            ("2020-01-01", "2021-12-31"),
        ),
        (
            "Medborgarlöfte 2020\n\nMedborgarlöftet förlängs till och med 2021.",
            ("2020-01-01", "2021-12-31"),
        ),
    ],
)
def test_period_forms(text, expected):
    assert period(text) == tuple(date.fromisoformat(d) for d in expected)


def test_period_ignores_the_agreement_and_the_past():
    text = (
        "Medborgarlöften 2019-2020\n\nAktuellt avtal löper 2018-10-01 – 2020-09-30.\n\n"
        "Under perioden 2016-2018 har parterna arbetat med två löften."
    )
    assert period(text) == (date(2019, 1, 1), date(2020, 12, 31))


def test_no_period_stays_empty_and_unsure():
    result = extract("Polisen lovar att:\n\n- patrullera i centrum").period
    assert (result.from_date, result.to_date, result.unsure) == (None, None, True)


def owners_of(text):
    return [(c.party, c.text) for c in extract(text).commitments]


def test_group_headings_give_owners():
    text = (
        "Katrineholms kommun 2020\n\n*Polisen lovar att:*\n\n- patrullera i centrum\n\n"
        "*Katrineholms kommun lovar att:*\n\n- öppna fritidsgården\n\n"
        "*Kommunen och Polisen kommer gemensamt att:*\n\n- genomföra trygghetsvandringar\n"
    )
    assert owners_of(text) == [
        ("police", "patrullera i centrum"),
        ("municipality", "öppna fritidsgården"),
        ("joint", "genomföra trygghetsvandringar"),
    ]


def test_heading_without_colon_and_inverted_intro():
    text = (
        "Medborgarlöfte 2022\n\nPolisen lovar att\n\n- ha minst 15 riktade insatser\n\n"
        "För att minska brotten lovar vi att:\n\n- hålla föräldramöten\n"
    )
    assert [c.party for c in extract(text).commitments] == ["police", "joint"]


def test_three_kommuner_under_one_heading():
    text = (
        "Stenungsund, Orust och Tjörn\n\nDe tre kommunerna Stenungsund, Orust och Tjörn lovar "
        "tillsammans med polisen.\n\nKommunerna lovar att:\n\n- genomföra trygghetsvandringar\n"
    )
    result = extract(text)
    assert result.kommuner == ["Stenungsund", "Orust", "Tjörn"]
    commitment = result.commitments[-1]
    assert commitment.party == "municipality"
    assert sorted(commitment.owners) == ["kommun:Orust", "kommun:Stenungsund", "kommun:Tjörn"]


@pytest.mark.parametrize(
    ("item", "party"),
    [
        ("Polisen kommer att genomföra riktade insatser.", "police"),
        ("Kommunen ansvarar för att arrangera trygghetsvandringarna.", "municipality"),
        ("Polisen tillsammans med Umeå kommun lovar att informera cyklister.", "joint"),
        ("Polisen lovar att tillsammans med kommunen driva grannsamverkan.", "police"),
        ("Att polisen ska genomföra trafikkontroller", "police"),
        ("Region Gotland genomför det årliga föräldramötet", "municipality"),
        ("Om det uppkommer önskemål så lovar kommun och polis att bistå.", "joint"),
        ("Kommunens kommer genomföra kampanjer vid riskhelger", "municipality"),
        ("Ökad polisnärvaro i centrum (Polis)", "police"),
        ("Arbete för ökade flöden i centrum (Borås City, Borås TME)", "other"),
        ("Informationsträffar för näringsidkare (Polis, Borås Stad, Borås City)", "joint"),
    ],
)
def test_inline_owners(item, party):
    text = (
        "Medborgarlöfte 2020 för Umeå kommun, Borås Stad och Region Gotland\n\n"
        f"Löften:\n\n- {item}\n"
    )
    assert extract(text).commitments[0].party == party


def test_item_without_owner_goes_to_all_parties_and_is_unsure():
    commitment = extract(
        "Trosa kommun\n\nVi lovar följande:\n\n- Kontinuerlig samverkan\n"
    ).commitments[0]
    assert commitment.party == "joint"
    commitment = extract(
        "Trosa kommun\n\nMedborgarlöfte 2020\n\n- Mer samverkan i skolorna\n"
    ).commitments[0]
    assert (commitment.party, commitment.owner_source, commitment.unsure) == (
        "joint",
        "default",
        True,
    )


def test_party_is_derived_from_the_owner_set():
    assert party_for({"police"}) == "police"
    assert party_for({"kommun:Orust", "kommun:Tjörn"}) == "municipality"
    assert party_for({"police", "kommun:Orust"}) == "joint"
    assert party_for({"other:Borås City"}) == "other"
    assert party_for({"police", "other:Västtrafik"}) == "joint"


@pytest.mark.parametrize(
    ("text", "quantity", "unit", "per"),
    [
        (
            "genomföra minst 100 trafikkontroller med 20 minuters metoden",
            100,
            "trafikkontroller",
            None,
        ),
        ("kommer vid minst två tillfällen genomföra trygghetsvandringar", 2, "tillfällen", None),
        ("vid minst sex tillfällen per år", 6, "tillfällen", "år"),
        (
            "genomföra minst en trygghetsvandring/år i respektive stadsdel",
            1,
            "trygghetsvandring",
            "år",
        ),
        ("ha minst femton särskilt riktade insatser mot trafik", 15, "insatser", None),
        ("genomföra tjugofem kontroller under året", 25, "kontroller", "år"),
        (
            "Omfattningen bör vara två trygghetsvandringar per termin.",
            2,
            "trygghetsvandringar",
            "termin",
        ),
        ("genomföra den årliga trygghetsvandringen i Vingåker", 1, "trygghetsvandringen", "år"),
        ("minst en trafikkontroll per vecka", 1, "trafikkontroll", "vecka"),
        ("träffas en gång per år", 1, "gång", "år"),
    ],
)
def test_targets(text, quantity, unit, per):
    target = find_target(text)
    assert (target.quantity, target.unit, target.per) == (quantity, unit, per)


@pytest.mark.parametrize(
    "text",
    [
        "öka närvaron med 15 minuters metoden",
        "genomföra ett antal planerade insatser",
        "föräldramöten för elever i årskurs 5 och 6",
        "genomföra flera riktade insatser",
    ],
)
def test_no_target(text):
    assert find_target(text) is None


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("använda medling när förutsättningar för det finns", "när förutsättningar för det finns"),
        ("Vid behov utarbetas åtgärdsplaner.", "Vid behov"),
        # The condition, not the whole sentence (it would stand twice in the draft).
        (
            "Om det uppkommer önskemål om grannsamverkan så bistår vi.",
            "Om det uppkommer önskemål om grannsamverkan",
        ),
        (  # Malå 2024 (polisen.se)
            "Om det uppkommer önskemål om trygghetsvandringar så lovar vi att bistå.",
            "Om det uppkommer önskemål om trygghetsvandringar",
        ),
        (
            "Om skolorna efterfrågar det, genomför polisen föreläsningar.",
            "Om skolorna efterfrågar det",
        ),
        ("trygghetsvandringar om invånarna efterfrågar det", "om invånarna efterfrågar det"),
        ("åtgärdas, utifrån vad som bedöms vara möjligt", "utifrån vad som bedöms vara möjligt"),
    ],
)
def test_conditions(text, condition):
    assert find_condition(text) == condition


def test_not_conditions():
    assert find_condition("skapa förutsättningar för en drogfri miljö") is None
    assert find_condition("information om trafiksäkerhet") is None


def test_signatories_name_line_then_title_line():
    text = (
        "Polisen lovar att:\n\n- patrullera\n\nLiselotte Jergard\n\n"
        "Chef lokalpolisområde Katrineholm\n\nGöran Dahlström\n\nKommunstyrelsens Ordförande\n"
    )
    assert [(s.name, s.title) for s in extract(text).signatories] == [
        ("Liselotte Jergard", "Chef lokalpolisområde Katrineholm"),
        ("Göran Dahlström", "Kommunstyrelsens Ordförande"),
    ]


def test_signatories_name_comma_title_and_columns_and_prose():
    text = (
        "Harry Lundin, kommunchef\nMats Scherp, chef lokalpolisområde Hallsberg\n\n"
        "Per Eriksson                 Mats Olsson\n\n"
        "Kommunstyrelsens ordförande      Lokalpolisområdeschef Hallsberg\n\n"
        "Löftet har undertecknats av kommunalråd Lennart Gustavsson och "
        "kommunchef Douglas Almqvist.\n"
    )
    assert [(s.name, s.title) for s in extract(text).signatories] == [
        ("Harry Lundin", "kommunchef"),
        ("Mats Scherp", "chef lokalpolisområde Hallsberg"),
        ("Per Eriksson", "Kommunstyrelsens ordförande"),
        ("Mats Olsson", "Lokalpolisområdeschef Hallsberg"),
        ("Lennart Gustavsson", "kommunalråd"),
        ("Douglas Almqvist", "kommunchef"),
    ]


def test_memo_author_is_not_a_signatory():
    text = (
        "Handläggare\nAnn Andersson\n\nTJÄNSTESKRIVELSE\n\n"
        "Ann Andersson\nStrateg, social hållbarhet\n"
    )
    assert extract(text).signatories == []


def test_stacked_years_take_the_first():
    text = (
        "Vingåker – medborgarlöften\n\nMedborgarlöften 2022\n\nPolisen lovar att:\n\n- a nytt\n\n"
        "Medborgarlöften 2021\n\nPolisen lovar att:\n\n- b gammalt\n"
    )
    result = extract(text)
    assert [c.text for c in result.commitments] == ["a nytt"]
    assert (result.period.from_date, result.period.to_date) == (
        date(2022, 1, 1),
        date(2022, 12, 31),
    )


def test_goals_fokusomraden_purposes_and_history_are_not_commitments():
    text = (
        "Under perioden 2016-2018 har parterna arbetat med två löften;\n\n- Tryggare stadskärna\n\n"
        "Följande medborgarlöften föreslås:\n\n- Ökad närvaro i stadsdelarna\n\n"
        "Insatser som ska genomföras för att uppnå löftena:\n\n- Genomföra trygghetsvandringar\n\n"
        "De två prioriterade fokusområden är:\n\n- Hastigheten i tätorten\n\n"
        "Vad är medborgarlöften?\n\nMedborgarlöften ska:\n\n- öka tryggheten\n"
    )
    result = extract(text)
    assert [c.text for c in result.commitments] == ["Genomföra trygghetsvandringar"]
    assert [(p.kind, p.text) for p in result.passages if p.kind == "goal"] == [
        ("goal", "Ökad närvaro i stadsdelarna")
    ]


def test_prose_promise_runs_to_the_end_of_its_paragraph():
    text = (
        "Bakgrund\n\nMedborgarlöftet är ett åtagande där polisen lovar saker.\n\nLöftet\n\n"
        "Kommunerna lovar att under 2017 genomföra trygghetsvandringar. Det som framkommer ska "
        "åtgärdas.\n\nVi vill bidra till en tryggare kommun.\n"
    )
    result = extract(text)
    assert [(c.party, c.text) for c in result.commitments] == [
        (
            "municipality",
            "Kommunerna lovar att under 2017 genomföra trygghetsvandringar. "
            "Det som framkommer ska åtgärdas.",
        )
    ]
    assert result.commitments[0].source_lines == [7]


def test_wrapped_bullets_are_joined():
    text = (
        "Medborgarlöften 2020\n\n • Polisen lovar att arbeta med\n  ungdomar i skolan.\n"
        " • Kommunen lovar att lysa upp\n  parken.\n"
    )
    result = extract(text)
    assert [(c.text, c.source_lines) for c in result.commitments] == [
        ("Polisen lovar att arbeta med ungdomar i skolan.", [3, 4]),
        ("Kommunen lovar att lysa upp parken.", [5, 6]),
    ]


def test_kommun_police_area_themes_areas_and_followup():
    text = (
        "Medborgarlöfte Katrineholms kommun 2020\n\nLokalpolisområde Katrineholm och "
        "Katrineholms kommun lovar att minska narkotikan i Oxhagen.\n\nUppföljning\n\n"
        "Medborgarlöftena kommer att utvärderas med redovisning tre gånger under 2020.\n"
    )
    result = extract(text, areas=["Oxhagen", "Berga"], themes=[("cykel", "Cykelstölder")])
    assert result.kommuner == ["Katrineholm"]
    assert result.police_area == "Katrineholm"
    assert result.areas == ["Oxhagen"]
    assert result.commitments[0].themes == ["narkotika"]
    assert result.followup.cadence == "tertial"
    assert result.title == "Medborgarlöfte Katrineholms kommun 2020"


def test_json_shape():
    data = extract("Medborgarlöfte 2020\n\nPolisen lovar att:\n\n- minst 3 kontroller\n").to_json()
    assert set(data) >= {"kommuner", "police_area", "period", "commitments", "signatories"}
    assert data["period"]["from"] == "2020-01-01"
    commitment = data["commitments"][0]
    assert commitment["party"] == "police"
    assert commitment["target"] == {"quantity": 3, "unit": "kontroller", "per": None}
    assert commitment["conditional"] is False
    assert commitment["source_lines"] == [5]


def test_title_wrapped_onto_a_second_line():
    text = "Medborgarlöfte för Katrineholms\nkommun 2020\n\nPolisen lovar att:\n\n- patrullera\n"
    result = extract(text)
    assert result.title == "Medborgarlöfte för Katrineholms kommun 2020"
    assert result.title_lines == [1, 2]


def test_a_title_ending_a_sentence_is_not_joined_to_the_next_line():
    result = extract("Medborgarlöfte 2020.\nkommunen och polisen samverkar\n")
    assert result.title == "Medborgarlöfte 2020."
    assert result.title_lines == [1]


# Found by entering real promises of other kommuner (December 2026).

ASELE_2025 = """Åsele – medborgarlöften
Medborgarlöftet är ett löfte om konkreta aktiviteter från polis och kommun i syfte att öka tryggheten och minska brottsligheten. Medborgarlöftet är en utveckling och förstärkning av samverkansöverenskommelsen mellan polis och kommun.
Medborgarlöfte 2025–2027
- Vi ska tillsammans arbeta med våldsprevention, skydda särskilt utsatta
brottsoffer samt förebygga och förhindra våld i nära relationer. - Vi ska tillsammans arbeta mot organiserad brottslighet och kriminell
ekonomi genom att förebygga och motverka bedrägerier, narkotika samt
förhindra att barn och unga rekryteras till kriminell verksamhet.
"""  # noqa: E501 – polisen.se/om-polisen/medborgarloften-och-lokal-samverkan/medborgarloften/vasterbottens-lan/asele, copied as text with its hard line breaks


def test_two_bullets_run_together_on_one_line_are_two_commitments():
    result = extract(ASELE_2025)
    texts = [c.text for c in result.commitments]
    assert len(texts) == 2
    assert texts[0].endswith("förhindra våld i nära relationer.")
    assert texts[1].startswith("Vi ska tillsammans arbeta mot organiserad brottslighet")
    assert {c.party for c in result.commitments} == {"joint"}


def test_the_opening_paragraph_is_the_introduction():
    result = extract(ASELE_2025)
    background = [p.text for p in result.passages if p.kind == "background"]
    assert background == [
        "Medborgarlöftet är ett löfte om konkreta aktiviteter från polis och kommun i syfte att "
        "öka tryggheten och minska brottsligheten. Medborgarlöftet är en utveckling och "
        "förstärkning av samverkansöverenskommelsen mellan polis och kommun."
    ]


def test_a_sentence_about_the_signing_is_not_the_title():
    # polisen.se/om-polisen/medborgarloften-och-lokal-samverkan/medborgarloften/uppsala-lan/heby/
    text = (
        "Heby – medborgarlöften\n\n"
        "Lokalpolisområde Norduppland och Heby kommun har skrivit under medborgarlöftet "
        "för 2024.\n\n"
        "Lokalpolisområde Norduppland och Heby kommun lovar att i samverkan arbeta för "
        "kommuninvånarnas möjlighet att komma till tals genom att genomföra medborgardialoger.\n"
    )
    assert extract(text).title == "Heby – medborgarlöften"
