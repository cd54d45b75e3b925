# Imported by rules' autodiscovery so the permissions are registered at start-up.
from situation import permissions  # noqa: F401
