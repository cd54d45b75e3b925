from django.conf import settings


def site(request):
    """Values every page needs: the canonical site address."""
    return {"SITE_URL": settings.SITE_URL, "CONTACT_EMAIL": settings.CONTACT_EMAIL}
