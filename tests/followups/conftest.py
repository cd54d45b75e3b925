# The promise, plan and district fixtures are shared with the activities tests.
from tests.activities.conftest import districts, kalmar_plan, kalmar_promise  # noqa: F401
