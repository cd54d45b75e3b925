"""Write a development ``.env`` from ``.env.example`` with a fresh secret key.

Run as ``python -m core.envfile``; an existing ``.env`` is left alone.
"""

import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    target = BASE_DIR / ".env"
    if target.exists():
        return 0
    template = (BASE_DIR / ".env.example").read_text()
    key = secrets.token_urlsafe(50)
    target.write_text(template.replace("DJANGO_SECRET_KEY=change-me", f"DJANGO_SECRET_KEY={key}"))
    target.chmod(0o600)
    print(f"Skapade {target} med en ny hemlig nyckel.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
