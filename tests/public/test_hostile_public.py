"""The public side under hostile input: validated parameters, one cache entry per page,
formula text neutralised in CSV, no-store on the workspace."""

import csv
import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from public.api import csv_cell

pytestmark = pytest.mark.django_db


# --- Query parameters ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "trygg\x00het"}, "Sökordet innehåller ett tecken som inte går att söka på."),
        ({"q": "trygghet", "lan": "\x00"}, "Välj ett län i listan."),
        ({"q": "trygghet", "kommun": "04830"}, "Välj en kommun i listan."),
        ({"q": "trygghet", "tema": "nark\x00"}, "Välj ett tema i listan."),
        ({"q": "trygghet", "ar": "tjugo"}, "Ange året med fyra siffror."),
        ({"q": "trygghet", "ar": "10000"}, "Välj ett år mellan 1900 och 2200."),
        ({"q": "trygghet", "part": "polisen"}, "Välj en part i listan."),
        ({"q": "trygghet", "sida": "-1"}, "Sidnumret ska vara ett heltal från 1."),
        ({"q": "x" * 3000}, "Sökordet är för långt."),
    ],
)
def test_bad_search_parameters_get_a_swedish_message_and_400(client, params, message):
    response = client.get(reverse("public:search"), params)
    assert response.status_code == 400
    assert message in response.text
    assert 'role="alert"' in response.text


def test_search_links_to_further_pages_carry_only_known_parameters(client, demo):
    response = client.get(reverse("public:search"), {"q": "trygghet", "utm_source": "nyhetsbrev"})
    assert response.status_code == 200
    assert "utm_source" not in response.context["querystring"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "0"}, "year (år) ska vara minst 1900."),
        ({"year": "10000"}, "year (år) får vara högst 2200."),
        ({"year": "abc"}, "year (år) ska vara ett heltal."),
        ({"municipality": "\x00"}, "kommunkod med fyra siffror"),
        ({"theme": "a\x00"}, "får inte innehålla NUL-tecken"),
    ],
)
def test_bad_api_parameters_get_422_in_swedish(client, params, message):
    for url in ("/api/v1/promises", "/api/v1/commitments.csv", "/api/v1/followups.csv"):
        response = client.get(url, params)
        assert response.status_code == 422
        assert message in response.json()["detail"][0]["msg"]


def test_api_404_is_swedish(client):
    response = client.get("/api/v1/promises/123456789")
    assert response.status_code == 404
    assert "publicerat" in response.json()["detail"]


def test_ids_beyond_a_bigint_are_refused_before_any_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(f"/api/v1/promises/{'9' * 30}")
    assert response.status_code == 422


def test_openapi_lists_every_response(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            codes = set(operation["responses"])
            if operation.get("parameters"):
                assert "422" in codes, path
            if "{" in path:
                assert "404" in codes, path
    assert "409" in document["paths"]["/api/v1/promises/{promise_id}"]["get"]["responses"]


# --- CSV formula neutralisation --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x";"klicka")', '\'=HYPERLINK("http://x";"klicka")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\tgömd", "'\tgömd"),
        ("\rgömd", "'\rgömd"),
        ("- minst en per år", "'- minst en per år"),
        ("-3", "-3"),
        ("+1,5", "+1,5"),
        ("-0.25", "-0.25"),
        (-3, -3),
        ("Polisen lovar att …", "Polisen lovar att …"),
        ("a=b", "a=b"),
        (None, ""),
    ],
)
def test_csv_cells_that_would_be_formulas_get_an_apostrophe(value, written):
    assert csv_cell(value) == written


def test_exported_csv_shows_formula_text_neutralised(client, publish_kalmar_promise):
    promise = publish_kalmar_promise(title='=HYPERLINK("http://example.invalid";"Klicka")')
    text = client.get("/api/v1/commitments.csv").getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows and all(r["promise_title"].startswith("'=HYPERLINK") for r in rows)
    assert all(r["promise_id"] == str(promise.pk) for r in rows)
    assert "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text


def test_open_data_page_explains_the_neutralisation(client):
    text = client.get("/oppna-data/").text
    assert "inledande apostrof" in text and "OWASP" in text


# --- The page cache ---------------------------------------------------------------------


def _entries() -> int:
    return sum(1 for key in cache._cache if "public-page:" in key)


def test_unknown_parameters_make_no_new_cache_entry(client, django_assert_num_queries):
    url = reverse("public:municipality-list")
    client.get(url)
    entries = _entries()
    with django_assert_num_queries(0):
        for bust in range(5):
            assert client.get(url, {"x": bust, "utm_source": "nyhetsbrev"}).status_code == 200
    assert _entries() == entries


def test_parameter_order_and_spacing_do_not_matter(client, demo, django_assert_num_queries):
    url = reverse("public:search")
    client.get(url, {"q": "trygghet", "lan": "04"})
    with django_assert_num_queries(0):
        client.get(f"{url}?lan=04&q=trygghet")
        client.get(f"{url}?lan=04&q=++trygghet++&sida=1&x=1")


def test_a_bogus_session_cookie_is_served_from_the_cache(client, django_assert_num_queries):
    url = reverse("public:municipality-list")
    client.get(url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32  # well formed, no such session
    with django_assert_num_queries(1):  # the session row, once
        response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 0  # told to go away
    for value in ("a" * 32, "not-a-session-key", "x" * 5000):
        client.cookies[settings.SESSION_COOKIE_NAME] = value
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200


def test_signed_in_visitors_get_their_own_page(client, kalmar_coordinator):
    url = reverse("public:municipality-list")
    client.get(url)
    client.force_login(kalmar_coordinator)
    response = client.get(url)
    assert "private" in response["Cache-Control"]
    assert kalmar_coordinator.get_full_name() in response.text or "Logga ut" in response.text


# --- no-store on the workspace --------------------------------------------------------------


def test_workspace_responses_are_never_stored(client, kalmar_coordinator):
    for url in ("/arbetsyta/", "/konto/logga-in/", "/admin/login/"):
        assert "no-store" in client.get(url)["Cache-Control"], url
    client.force_login(kalmar_coordinator)
    for url in ("/arbetsyta/", "/arbetsyta/lagesbilder/", "/arbetsyta/finns-inte/"):
        assert "no-store" in client.get(url)["Cache-Control"], url
    assert "no-store" not in client.get(reverse("public:home"))["Cache-Control"]
