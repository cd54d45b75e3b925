from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import invitations, views
from accounts.forms import LoginForm
from accounts.middleware import second_factor_exempt

app_name = "accounts"

urlpatterns = [
    path(
        "logga-in/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("logga-ut/", second_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path("tvastegsverifiering/", views.second_factor, name="second-factor"),
    path("inbjudan/<str:token>/", invitations.invitation_accept, name="invitation-accept"),
    path("sakerhet/", views.security, name="security"),
    path("sakerhet/app/", views.totp_add, name="totp-add"),
    path("sakerhet/reservkoder/", views.recovery_codes, name="recovery-codes"),
    path("sakerhet/nyckel/", views.passkey_add, name="passkey-add"),
    path("sakerhet/ta-bort/<slug:kind>/<int:pk>/", views.device_remove, name="device-remove"),
    path(
        "losenord/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("aterstall/", views.password_reset, name="password_reset"),
    path(
        "aterstall/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
