import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/konto/logga-in/"


def test_login_and_logout(client):
    UserFactory(username="anna")
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/arbetsyta/"
    assert client.get("/arbetsyta/").status_code == 200
    client.post("/konto/logga-ut/")
    assert client.get("/arbetsyta/").status_code == 302


def test_wrong_password_gives_a_swedish_message(client):
    UserFactory(username="anna")
    response = client.post(LOGIN, {"username": "anna", "password": "fel"})
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in response.content.decode()


def test_login_is_locked_after_five_failures_for_that_username_and_ip(client, settings):
    UserFactory(username="anna")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "anna", "password": "fel"}, REMOTE_ADDR="10.0.0.1")
    locked = client.post(LOGIN, {"username": "anna", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429
    assert "För många inloggningsförsök" in locked.content.decode()

    # The same user from another address, and another user from the same address, still get in.
    other_ip = client.post(
        LOGIN, {"username": "anna", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_ip.status_code == 302
    client.post("/konto/logga-ut/")
    UserFactory(username="bertil")
    other_user = client.post(
        LOGIN, {"username": "bertil", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert other_user.status_code == 302


def test_password_reset_sends_a_swedish_email_with_a_working_link(client, settings):
    UserFactory(username="anna", email="anna@example.invalid")
    response = client.post("/konto/aterstall/", {"email": "anna@example.invalid"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Återställ ditt lösenord till Medborgarlöfte"
    link = next(line for line in message.body.splitlines() if "/konto/aterstall/" in line)
    # The link is built in the worker from SITE_URL, not from the request's host.
    path = link.split(settings.SITE_URL, 1)[1]
    form_page = client.get(path, follow=True)
    assert "Välj nytt lösenord" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "ett-helt-nytt-lösen-2026", "new_password2": "ett-helt-nytt-lösen-2026"},
    )
    assert done.status_code == 302
    login = client.post(LOGIN, {"username": "anna", "password": "ett-helt-nytt-lösen-2026"})
    assert login.status_code == 302


def test_password_change_requires_login_and_works(client):
    user = UserFactory(username="anna")
    assert client.get("/konto/losenord/").status_code == 302
    client.force_login(user)
    response = client.post(
        "/konto/losenord/",
        {
            "old_password": PASSWORD,
            "new_password1": "ett-annat-långt-lösen",
            "new_password2": "ett-annat-långt-lösen",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("ett-annat-långt-lösen")


def test_email_addresses_are_unique_regardless_of_case():
    from django.core.exceptions import ValidationError

    UserFactory(username="anna", email="Anna@Example.invalid")
    with pytest.raises(ValidationError):
        UserFactory.build(username="anna2", email="anna@example.invalid").validate_constraints()


def test_password_reset_does_not_tell_whether_an_account_exists(client):
    UserFactory(username="anna", email="anna@example.invalid")
    known = client.post("/konto/aterstall/", {"email": "anna@example.invalid"})
    unknown = client.post("/konto/aterstall/", {"email": "ingen@example.invalid"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [["anna@example.invalid"]]


def test_password_reset_only_queues_the_mail_and_does_the_same_work_for_any_address(
    client, settings
):
    """The request never looks the address up: its timing cannot tell an account exists."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    UserFactory(username="anna", email="anna@example.invalid")
    queries = []
    for address in ("anna@example.invalid", "ingen@example.invalid"):
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/konto/aterstall/", {"email": address})
        assert response.status_code == 302
        queries.append([q["sql"] for q in captured.captured_queries])
    assert len(queries[0]) == len(queries[1])
    assert not any("accounts_user" in sql for sql in queries[0] + queries[1])
    assert mail.outbox == []  # sent by the worker, not in the request
    queued = [(r.task.name, r.args[0]) for r in default_task_backend.results]
    assert queued == [
        ("send_reset_link", "anna@example.invalid"),
        ("send_reset_link", "ingen@example.invalid"),
    ]


def test_password_reset_is_rate_limited_per_client_and_per_address(client, settings):
    UserFactory(username="anna", email="anna@example.invalid")
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_ADDRESS + 2):
        response = client.post(
            "/konto/aterstall/", {"email": "anna@example.invalid"}, REMOTE_ADDR="10.0.0.5"
        )
        assert response.status_code == 302  # the same answer every time
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    mail.outbox.clear()
    for n in range(settings.PASSWORD_RESET_LIMIT_PER_IP + 2):
        client.post("/konto/aterstall/", {"email": f"x{n}@example.invalid"}, REMOTE_ADDR="10.0.0.6")
    UserFactory(username="bertil", email="bertil@example.invalid")
    client.post("/konto/aterstall/", {"email": "bertil@example.invalid"}, REMOTE_ADDR="10.0.0.6")
    assert mail.outbox == []  # this client asked too often
    client.post("/konto/aterstall/", {"email": "bertil@example.invalid"}, REMOTE_ADDR="10.0.0.7")
    assert len(mail.outbox) == 1


def test_behind_the_proxy_an_attacker_cannot_lock_a_signatory_out(client, settings):
    """Every request comes from the proxy (10.0.0.1); the client is in X-Forwarded-For."""
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="chefen")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        client.post(
            LOGIN,
            {"username": "chefen", "password": "fel"},
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",  # the client may forge the left part
            **proxy,
        )
    attacker = client.post(
        LOGIN,
        {"username": "chefen", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        **proxy,
    )
    assert attacker.status_code == 429
    signatory = client.post(
        LOGIN,
        {"username": "chefen", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert signatory.status_code == 302


def test_a_very_long_address_still_leads_to_the_login(client):
    """Django refuses to redirect to a URL over 16,384 characters; the login redirect carried
    the whole address in next=, so a long query string was a 400 with a logged traceback."""
    from django.urls import reverse

    path = reverse("core:dashboard")
    response = client.get(path, {"fran": "A" * 20000})
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={path}"
    short = client.get(path, {"fran": "A"})
    assert short.url == f"{reverse('accounts:login')}?next={path}%3Ffran%3DA"
