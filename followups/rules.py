# Imported by rules' autodiscovery so the permissions are registered at start-up.
from followups import permissions  # noqa: F401
