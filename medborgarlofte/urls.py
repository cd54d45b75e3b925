from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Medborgarlöfte – administration")
admin.site.site_title = _("Medborgarlöfte")
admin.site.index_title = _("Administration")

urlpatterns = [
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
]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
