# Imported by rules' autodiscovery so the permissions are registered at start-up.
from organizations import permissions  # noqa: F401
