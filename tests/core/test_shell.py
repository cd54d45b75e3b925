import pytest


@pytest.mark.django_db
def test_anonymous_workspace_redirects_to_login(client):
    response = client.get("/arbetsyta/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/?next=/arbetsyta/")


@pytest.mark.django_db
def test_dashboard_lists_the_users_organisations_and_partnerships(
    client, kalmar_coordinator, katrineholm_partnership
):
    client.force_login(kalmar_coordinator)
    response = client.get("/arbetsyta/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Mitt arbete</h1>" in body
    assert "Kalmar kommun" in body
    assert "Samverkan Kalmar" in body
    assert "Samverkan Katrineholm" not in body


@pytest.mark.django_db
def test_pages_are_swedish_with_skip_link_and_accessibility_footer(client):
    body = client.get("/konto/logga-in/").content.decode()
    assert '<html lang="sv">' in body
    assert 'href="#huvudinnehall"' in body
    assert 'href="/tillganglighet/"' in body


@pytest.mark.django_db
def test_accessibility_page_is_public(client):
    assert client.get("/tillganglighet/").status_code == 200


@pytest.mark.django_db
def test_unknown_page_is_a_swedish_404(client, kalmar_coordinator):
    client.force_login(kalmar_coordinator)
    response = client.get("/arbetsyta/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


@pytest.mark.django_db
def test_strict_csp_header_forbids_inline_code(client):
    policy = client.get("/konto/logga-in/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_no_inline_script_or_style_on_the_shell(client, kalmar_coordinator):
    client.force_login(kalmar_coordinator)
    body = client.get("/arbetsyta/").content.decode()
    assert "<script>" not in body
    assert "style=" not in body
    assert "<style" not in body
