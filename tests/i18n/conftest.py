"""The public portal's demo fixtures, shared with the language tests."""

from tests.public.conftest import demo, full_demo, publish_kalmar_promise  # noqa: F401

# Every test starts in Swedish: tests/conftest.py's _swedish_between_tests.
