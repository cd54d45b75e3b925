import pytest
from django.core import mail

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


def test_password_reset_sends_a_swedish_email_with_a_working_link(client):
    UserFactory(username="anna", email="anna@example.invalid")
    response = client.post("/konto/aterstall/", {"email": "anna@example.invalid"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Återställ ditt lösenord till Medborgarlöfte"
    link = next(line for line in message.body.splitlines() if "/konto/aterstall/" in line)
    path = link.split("testserver", 1)[1]
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
