"""The permission matrix of the promise workspace: role × status × view.

Outside your organisations → 404; visible but not allowed → 403; anonymous →
the login page. Refused POSTs change nothing.
"""

import pytest
from django.urls import reverse

from promises.models import Promise
from tests.promises.fixtures_ui import *  # noqa: F403  (fixtures)
from tests.promises.fixtures_ui import ROLES

pytestmark = pytest.mark.django_db

DRAFT = Promise.Status.DRAFT
AWAITING = Promise.Status.AWAITING_SIGNATURES
PUBLISHED = Promise.Status.PUBLISHED

# Expected status per role, in the order of ROLES:
# kommun coordinator, police coordinator, police chief, municipal signatory,
# reader, Katrineholm coordinator, anonymous.
EVERYONE_SEES = (200, 200, 200, 200, 200, 404, 302)
COORDINATORS_ONLY = (200, 200, 403, 403, 403, 404, 302)
COORDINATORS_ACT = (302, 302, 403, 403, 403, 404, 302)
SIGNATORIES_SIGN = (403, 403, 200, 200, 403, 404, 302)
SIGNATORIES_TOLD = (403, 403, 302, 302, 403, 404, 302)

MATRIX = [
    # (url name, promise status, method, needs commitment, expected per role)
    ("promise-detail", DRAFT, "get", False, EVERYONE_SEES),
    ("promise-detail", AWAITING, "get", False, EVERYONE_SEES),
    ("promise-detail", PUBLISHED, "get", False, EVERYONE_SEES),
    ("promise-history", DRAFT, "get", False, EVERYONE_SEES),
    ("promise-diff", PUBLISHED, "get", False, EVERYONE_SEES),
    ("promise-update", DRAFT, "get", False, COORDINATORS_ONLY),
    ("promise-update", AWAITING, "get", False, COORDINATORS_ACT),
    ("promise-update", DRAFT, "post", False, (200, 200, 403, 403, 403, 404, 302)),
    ("commitment-create", DRAFT, "get", False, COORDINATORS_ONLY),
    ("commitment-update", DRAFT, "get", True, COORDINATORS_ONLY),
    ("commitment-delete", DRAFT, "get", True, COORDINATORS_ONLY),
    ("commitment-detail", DRAFT, "get", True, (302, 302, 302, 302, 302, 404, 302)),
    ("commitment-move", DRAFT, "post", True, COORDINATORS_ACT),
    ("commitment-delete", DRAFT, "post", True, COORDINATORS_ACT),
    ("promise-submit", DRAFT, "post", False, COORDINATORS_ACT),
    ("promise-return", AWAITING, "post", False, COORDINATORS_ACT),
    ("promise-amend", PUBLISHED, "post", False, COORDINATORS_ACT),
    ("promise-sign", AWAITING, "get", False, SIGNATORIES_SIGN),
    ("promise-sign", DRAFT, "get", False, SIGNATORIES_TOLD),
    ("promise-sign", AWAITING, "post", False, (403, 403, 200, 200, 403, 404, 302)),
]


def _cases():
    cases = []
    for name, status, method, needs_commitment, expected in MATRIX:
        for role, code in zip(ROLES, expected, strict=True):
            cases.append(
                pytest.param(
                    name,
                    status,
                    method,
                    needs_commitment,
                    role,
                    code,
                    id=f"{name}-{status}-{method}-{role}",
                )
            )
    return cases


@pytest.mark.parametrize(("name", "status", "method", "needs_commitment", "role", "code"), _cases())
def test_permission_matrix(
    client_for, promise_in, name, status, method, needs_commitment, role, code
):
    promise = promise_in(status)
    kwargs = {"pk": promise.pk}
    if needs_commitment:
        kwargs["commitment_pk"] = promise.commitments.order_by("order").last().pk
    url = reverse(f"promises:{name}", kwargs=kwargs)
    before = (promise.status, promise.lock_version, promise.commitments.count())
    data = (
        {"direction": "up", "password": "fel", "content_sha256": "x"} if method == "post" else None
    )

    response = getattr(client_for(role), method)(url, data)

    assert response.status_code == code, response.content[:500]
    if code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    if code in (403, 404):
        promise.refresh_from_db()
        assert (promise.status, promise.lock_version, promise.commitments.count()) == before


@pytest.mark.parametrize(
    ("role", "code"),
    list(zip(ROLES, (200, 200, 403, 403, 403, 404, 302), strict=True)),
)
def test_create_page_for_the_kalmar_partnership(client_for, kalmar_partnership, role, code):
    url = reverse("promises:promise-create", kwargs={"partnership_pk": kalmar_partnership.pk})
    assert client_for(role).get(url).status_code == code


@pytest.mark.parametrize(("role", "code"), list(zip(ROLES, (200,) * 6 + (302,), strict=True)))
def test_list_page(client_for, draft, role, code):
    response = client_for(role).get(reverse("promises:promise-list"))
    assert response.status_code == code
    if code == 200:
        visible = role != "katrineholm_coordinator"
        assert (draft.title in response.text) is visible
        can_create = role in ("kalmar_coordinator", "kalmar_police_coordinator")
        create_url = reverse(
            "promises:promise-create", kwargs={"partnership_pk": draft.partnership_id}
        )
        assert (create_url in response.text) is can_create
