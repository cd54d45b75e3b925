# Imported by rules' autodiscovery so the permissions are registered at start-up.
from promises import permissions  # noqa: F401
