# Imported by rules' autodiscovery so the permissions are registered at start-up.
from activities import permissions  # noqa: F401
