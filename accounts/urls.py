from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import api_token_views, second_factor_views, sso, views
from accounts.views import PasswordResetView, SignInView, SignOutView

app_name = "accounts"

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path(
        "login/code/",
        second_factor_views.SecondFactorVerifyView.as_view(),
        name="second_factor_verify",
    ),
    path("login/sso/", sso.SingleSignOnStartView.as_view(), name="sso_start"),
    path("login/sso/callback/", sso.SingleSignOnCallbackView.as_view(), name="sso_callback"),
    path("security/", second_factor_views.SecondFactorView.as_view(), name="second_factor"),
    path(
        "security/app/",
        second_factor_views.SecondFactorEnrolView.as_view(),
        name="second_factor_enrol",
    ),
    path(
        "security/app/remove/",
        second_factor_views.SecondFactorRemoveView.as_view(),
        name="second_factor_remove",
    ),
    path(
        "security/recovery-codes/",
        second_factor_views.RecoveryCodesRegenerateView.as_view(),
        name="recovery_codes_regenerate",
    ),
    # The user's own API tokens, listed on the sign-in security page.
    path(
        "security/api-tokens/new/",
        api_token_views.ApiTokenCreateView.as_view(),
        name="api_token_create",
    ),
    path(
        "security/api-tokens/<int:pk>/revoke/",
        api_token_views.ApiTokenRevokeView.as_view(),
        name="api_token_revoke",
    ),
    path("logout/", SignOutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        PasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The people of a programme (managers), and accepting an invitation (anyone with the link).
    path("users/", views.UserIndexView.as_view(), name="user_index"),
    path("programmes/<int:pk>/users/", views.UserListView.as_view(), name="user_list"),
    path(
        "programmes/<int:pk>/invitations/new/",
        views.InvitationCreateView.as_view(),
        name="invitation_create",
    ),
    path(
        "programmes/<int:pk>/users/<int:user_pk>/roles/new/",
        views.RoleCreateView.as_view(),
        name="role_create",
    ),
    path(
        "programmes/<int:pk>/users/<int:user_pk>/deactivate/",
        views.UserDeactivateView.as_view(),
        name="user_deactivate",
    ),
    path("roles/<int:pk>/edit/", views.RoleUpdateView.as_view(), name="role_update"),
    path("roles/<int:pk>/revoke/", views.RoleDeleteView.as_view(), name="role_delete"),
    path(
        "invitations/<int:pk>/resend/",
        views.InvitationResendView.as_view(),
        name="invitation_resend",
    ),
    path(
        "invitations/<int:pk>/withdraw/",
        views.InvitationWithdrawView.as_view(),
        name="invitation_withdraw",
    ),
    # The link of an invitation email: the token is the secret, kept only as a hash.
    path(
        "invitations/accept/<str:token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
