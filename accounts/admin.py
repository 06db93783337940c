from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import ApiToken, Invitation, Role, User
from accounts.tokens import PREFIX_LENGTH, hash_token, new_token
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


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    """Invitations are sent from a programme's users page, which emails their link. One added
    here gets a link that no one knows: "Resend" on the users page emails a working one."""

    list_display = ("email", "role", "programme", "sent_at", "expires_at", "accepted_at")
    list_filter = ("role", "programme")
    search_fields = ("email",)
    list_select_related = ("programme",)
    autocomplete_fields = ("programme", "sites", "invited_by", "accepted_by")

    def save_model(self, request, obj, form, change):
        if not obj.token_hash:
            obj.token_hash = hash_token(new_token())
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """Tokens are made on their user's account page, which shows the secret once. One added
    here has a secret that no one knows: it can only be revoked (a revocation here is the way
    to stop a token whose user cannot be reached)."""

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username", "user__full_name")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    readonly_fields = ("prefix", "last_used_at")

    def save_model(self, request, obj, form, change):
        if not obj.token_hash:
            secret = new_token()
            obj.prefix, obj.token_hash = secret[:PREFIX_LENGTH], hash_token(secret)
        super().save_model(request, obj, form, change)
