from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from bdtx.accounts import views
from bdtx.accounts.forms import ThrottledLoginForm, UnlockingSetPasswordForm

app_name = "accounts"
urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("people/<uuid:uuid>/account/", views.account_new, name="account_new"),
    path("units/<uuid:uuid>/account/", views.unit_account_new, name="unit_account_new"),
    path("roles/<uuid:uuid>/revoke/", views.role_revoke, name="role_revoke"),
    path("roles/<uuid:uuid>/unlock/", views.account_unlock, name="account_unlock"),
    path("roles/<uuid:uuid>/reset-password/", views.account_password_reset, name="account_password_reset"),
    path("people/<uuid:uuid>/reset-password/", views.person_password_reset, name="person_password_reset"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledLoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(success_url=reverse_lazy("accounts:password_reset_done")),
        name="password_reset",
    ),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=UnlockingSetPasswordForm, success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
