from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_staff",
        "erased_at",
    ]
    readonly_fields = ["erased_at"]
    actions = ["erase_personal_data"]

    @admin.action(description=_("Radera personuppgifter och stäng av kontot (GDPR)"))
    def erase_personal_data(self, request, queryset):
        """Instead of deleting: accounts that signed or moved a promise must stay as rows."""
        users = list(queryset)
        for user in users:
            services.user_erase(actor=request.user, user=user)
        self.message_user(
            request,
            ngettext(
                "Personuppgifterna för %(count)d konto är raderade.",
                "Personuppgifterna för %(count)d konton är raderade.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )
