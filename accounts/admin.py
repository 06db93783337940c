from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Role, User
from car_programme.admin_site import NamedRowsInline


class RoleInline(NamedRowsInline):
    model = Role
    named_by = ("user", "programme", "site")
    extra = 0
    fields = ("programme", "role", "site")
    autocomplete_fields = ("programme", "site")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("full_name", "email", "first_name", "last_name")}),
        (
            "Permissions",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ("username", "full_name", "email", "is_staff", "is_active", "last_login")
    search_fields = ("username", "full_name", "first_name", "last_name", "email")
    ordering = ("full_name", "username")
    inlines = (RoleInline,)


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "programme", "site")
    list_filter = ("role", "programme", "site")
    search_fields = ("user__username", "user__full_name", "user__email", "site__name")
    list_select_related = ("user", "programme", "site")
    autocomplete_fields = ("user", "programme", "site")
