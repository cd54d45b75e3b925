from django.contrib import admin

from core.admin import ScopedAdminMixin
from situation.models import Finding, Indicator, IndicatorValue, SituationReport, Source


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


class FindingInline(admin.StackedInline):
    model = Finding
    extra = 0
    filter_horizontal = ["areas"]
    exclude = ["sources"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    show_change_link = True
    fields = ["name", "population", "unit", "visibility", "order"]


@admin.register(SituationReport)
class SituationReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "partnership", "report_date", "period_start_date", "period_end_date"]
    list_filter = ["partnership"]
    search_fields = ["title", "summary"]
    inlines = [SourceInline, FindingInline, IndicatorInline]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "population", "unit", "report", "visibility"]
    list_filter = ["visibility"]
    search_fields = ["name", "population"]
    inlines = [IndicatorValueInline]
