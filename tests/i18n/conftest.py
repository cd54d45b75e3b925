"""The public portal's demo fixtures, shared with the language tests."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.public.conftest import demo, full_demo, publish_kalmar_promise  # noqa: F401


@pytest.fixture(autouse=True)
def _swedish_between_tests():
    """A request through the test client leaves its language active in the thread; each
    test here starts, as a server process does, in the default language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
