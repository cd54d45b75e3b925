from django.contrib import admin


class ScopedAdminMixin:
    """Scope the admin to the user's organisations, as the workspace is.

    Superusers see everything. Other staff see what ``visible_to`` returns and
    may change only what ``editable_by`` returns; both come from the model's
    QuerySet so the admin and the workspace can never disagree.
    """

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.visible_to(request.user)

    def _editable(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return self.model._default_manager.editable_by(request.user).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


class SuperuserWriteAdmin(admin.ModelAdmin):
    """Reference data: readable by staff, changed only by superusers."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
