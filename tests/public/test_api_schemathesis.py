"""schemathesis against the project's own ``/api/v1/openapi.json``, in-process through WSGI.

Every check schemathesis has (server errors, status codes, content types,
headers and bodies as documented, invalid data refused, valid data accepted,
unsupported methods answered with 405), a fixed seed and bounded examples so it
stays fast and the same run after run. The data is the demo: Katrineholm 2020
published, so detail, chain and version endpoints have something to return.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, seed, settings

pytestmark = pytest.mark.django_db

SEED = 20260611


# Loaded when the module is collected: the document is built from code, no database needed.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _in_process(demo):
    """The demo's published promise, and requests that keep the test's database connection.

    A WSGI request ends by closing "old" connections, which would close the one
    the test transaction runs on; Django's test client switches that off the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@seed(SEED)
@settings(
    max_examples=50,
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_openapi_document(case):
    # Through WSGI nothing decodes a gzip body as an HTTP client would (the page cache
    # sends one to whoever accepts it, and schemathesis asks for it), so ask for none.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
