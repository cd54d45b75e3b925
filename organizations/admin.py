"""The national administrator's Django admin, with the workspace's defaults and limits.

Choices offer only what makes sense (a signing requirement: the partnership's
parties; a police area: lokalpolisområden), a partnership made here gets the
default signing requirements, and every change made here is also written to
the organisation's history.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import publication
from core.admin import ScopedAdminMixin, SuperuserWriteAdmin
from organizations import services
from organizations.models import (
    Area,
    County,
    Invitation,
    Membership,
    Organisation,
    OrganisationEvent,
    Partnership,
    PoliceRegion,
    SignatoryRequirement,
    Theme,
)


class HistoryAdminMixin:
    """Write each addition, change and deletion made in the admin to the history too."""

    def history_subject(self, obj, *, deleting=False) -> dict:
        """``{"organisation": …, "partnership": …}`` the change belongs to."""
        return {}

    def _record(self, request, obj, message, *, deleting=False):
        subject = self.history_subject(obj, deleting=deleting)
        if not subject:
            return
        what = _("Tog bort.") if deleting else LogEntry(change_message=message).get_change_message()
        services.record_admin_change(
            actor=request.user,
            summary=_("I administrationen, %(model)s ”%(obj)s”: %(what)s")
            % {"model": obj._meta.verbose_name, "obj": obj, "what": what},
            **subject,
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._record(request, obj, message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._record(request, obj, message)
        return entry

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._record(request, obj, None, deleting=True)
        return super().log_deletions(request, queryset)


@admin.register(PoliceRegion)
class PoliceRegionAdmin(SuperuserWriteAdmin):
    list_display = ["name", "slug"]


@admin.register(County)
class CountyAdmin(SuperuserWriteAdmin):
    list_display = ["code", "name", "police_region"]
    list_filter = ["police_region"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["display_name", "kind", "municipality_code", "county", "police_region"]
    list_filter = ["kind", "police_region", "county"]
    search_fields = ["name", "full_name", "municipality_code"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["local_administrators"]
    inlines = [MembershipInline]

    def history_subject(self, obj, *, deleting=False):
        return {} if deleting else {"organisation": obj}

    def has_add_permission(self, request):
        # New organisations (lokalpolisområden, partners) are an administrator's job.
        return request.user.is_superuser

    @admin.display(description=gettext_lazy("Lokala administratörer"))
    def local_administrators(self, obj):
        """Who administers it, and where the first one is invited (in the workspace)."""
        if obj.pk is None:
            return "–"
        admins = obj.memberships.filter(role=Membership.Role.ADMIN).select_related("user")
        invite = reverse("organizations:invitation-create", kwargs={"slug": obj.slug})
        return format_html(
            "{}<p><a href='{}?roll={}'>{}</a></p>",
            format_html_join(", ", "{}", ((m.user,) for m in admins)) or _("Ingen ännu."),
            invite,
            Membership.Role.ADMIN,
            _("Bjud in en lokal administratör i arbetsytan"),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Kommun names are shown on every public list.
        publication.changed_everywhere()


class RequirementFormSet(forms.BaseInlineFormSet):
    """No change to who must sign while a version is out for signing (as in the workspace)."""

    def clean(self):
        super().clean()
        if (
            self.instance.pk
            and self.has_changed()
            # Locked: the admin saves in one transaction, as the services do.
            and services.promises_awaiting_signatures(self.instance, lock=True)
        ):
            raise ValidationError(
                _(
                    "Kraven på underskrifter kan inte ändras medan en version av ett löfte "
                    "väntar på underskrifter."
                ),
                code="awaiting_signatures",
            )


class SignatoryRequirementInline(admin.TabularInline):
    model = SignatoryRequirement
    formset = RequirementFormSet
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        self._partnership = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        partnership = getattr(self, "_partnership", None)
        if db_field.name == "organisation" and partnership is not None:
            kwargs["queryset"] = Organisation.objects.filter(
                pk__in=partnership.party_ids()
            ).order_by("kind", "name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PartnershipAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        police_area = cleaned.get("police_area")
        if police_area and police_area.kind != Organisation.Kind.POLICE_AREA:
            raise ValidationError(_("Välj ett lokalpolisområde."), code="not_police_area")
        return cleaned


@admin.register(Partnership)
class PartnershipAdmin(HistoryAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = PartnershipAdminForm
    list_display = ["name", "police_area", "status", "agreement_reference", "agreement_end_date"]
    list_filter = ["status"]
    search_fields = ["name", "agreement_reference"]
    filter_horizontal = ["municipalities", "other_partners"]
    autocomplete_fields = ["police_area"]
    exclude = ["proposed_by"]
    inlines = [SignatoryRequirementInline]

    def history_subject(self, obj, *, deleting=False):
        # A deleted partnership cannot be pointed at; its police area keeps the entry.
        return {"organisation": obj.police_area} if deleting else {"partnership": obj}

    def get_inlines(self, request, obj):
        # The parties are known once it is saved; until then the defaults apply.
        return self.inlines if obj is not None else []

    def has_add_permission(self, request):
        return request.user.is_superuser

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            services.partnership_add_default_requirements(
                actor=request.user, partnership=form.instance
            )


@admin.register(Membership)
class MembershipAdmin(HistoryAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "title"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    def history_subject(self, obj, *, deleting=False):
        return {"organisation": obj.organisation}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Theme)
class ThemeAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "partnership"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def history_subject(self, obj, *, deleting=False):
        return {"partnership": obj.partnership} if obj.partnership_id else {}


@admin.register(Area)
class AreaAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "municipality__name"]
    autocomplete_fields = ["municipality"]

    def history_subject(self, obj, *, deleting=False):
        return {"organisation": obj.municipality}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the services; the national administrator reads it here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(OrganisationEvent)
class OrganisationEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "kind", "summary", "organisation", "partnership"]
    list_filter = ["kind"]
    search_fields = ["summary", "organisation__name", "partnership__name"]
    list_select_related = ["actor", "organisation", "partnership"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "organisation", "role", "status", "expires_at", "accepted_at"]
    list_filter = ["status", "role"]
    search_fields = ["email", "organisation__name"]
    exclude = ["token_sha256"]
    list_select_related = ["organisation"]
