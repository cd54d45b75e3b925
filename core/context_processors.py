from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def site(request):
    """Values every page needs: the canonical address, who runs the service and how to
    reach them, and the same page in the other language."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    other = "en" if current != "en" else "sv"
    path = request.get_full_path() if request is not None else "/"
    return {
        "SITE_URL": settings.SITE_URL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "SERVICE": {
            "owner": settings.SERVICE_OWNER,
            "owner_url": settings.SERVICE_OWNER_URL,
            "contact_email": settings.CONTACT_EMAIL,
            "accessibility_email": settings.ACCESSIBILITY_EMAIL,
            "privacy_email": settings.PRIVACY_EMAIL,
        },
        "LANGUAGE_SWITCH": {
            "code": other,
            # Each language names itself, so a reader finds theirs.
            "name": "English" if other == "en" else "Svenska",
            "url": translate_url(path, other),
        },
        "CURRENT_LANGUAGE": current,
    }
