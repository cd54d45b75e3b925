from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Medborgarlöfte – administration")
admin.site.site_title = _("Medborgarlöfte")
admin.site.index_title = _("Administration")

# Swedish at the plain paths, English under /en/ (the language switcher links there).
# An unprefixed path is always Swedish, whatever the browser asks for, so one
# English visitor can never make a cached page English for everyone.
urlpatterns = i18n_patterns(
    path("admin/", admin.site.urls),
    path("konto/session/", include("core.session_timeout")),
    path("konto/", include("accounts.urls")),
    path("arbetsyta/lagesbilder/", include("situation.urls")),
    path("arbetsyta/loften/", include("promises.urls")),
    path("arbetsyta/aktiviteter/", include("activities.urls")),
    path("arbetsyta/uppfoljningar/", include("followups.urls")),
    path("arbetsyta/importera/", include("importer.urls")),
    path("arbetsyta/", include("organizations.urls")),
    path("prenumerera/", include("subscriptions.urls")),
    path("", include("public.urls")),
    path("", include("core.urls")),
    prefix_default_language=False,
)

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
