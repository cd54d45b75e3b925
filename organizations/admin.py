from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import publication
from core.admin import ScopedAdminMixin, SuperuserWriteAdmin
from organizations.models import (
    Area,
    County,
    Membership,
    Organisation,
    Partnership,
    PoliceRegion,
    SignatoryRequirement,
    Theme,
)


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
class OrganisationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["display_name", "kind", "municipality_code", "county", "police_region"]
    list_filter = ["kind", "police_region", "county"]
    search_fields = ["name", "full_name", "municipality_code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        # New organisations (lokalpolisområden, partners) are an administrator's job.
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Kommun names are shown on every public list.
        publication.changed_everywhere()


class SignatoryRequirementInline(admin.TabularInline):
    model = SignatoryRequirement
    extra = 0


class PartnershipAdminForm(admin.ModelAdmin.form):
    def clean(self):
        cleaned = super().clean()
        police_area = cleaned.get("police_area")
        if police_area and police_area.kind != Organisation.Kind.POLICE_AREA:
            raise ValidationError(_("Välj ett lokalpolisområde."), code="not_police_area")
        return cleaned


@admin.register(Partnership)
class PartnershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = PartnershipAdminForm
    list_display = ["name", "police_area", "agreement_reference", "agreement_end_date"]
    search_fields = ["name", "agreement_reference"]
    filter_horizontal = ["municipalities", "other_partners"]
    inlines = [SignatoryRequirementInline]

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "title"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "municipality__name"]
    autocomplete_fields = ["municipality"]
