"""The Django admin manages accounts, nothing clinical (security row 30): no one changes their
own role or flags, every role change is in the append-only account log (clinic/signals.py), an
administrator resets a second factor and issues an enrolment code but never sees a secret, and the
login history and the logs are read-only."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from oauth2_provider.models import Grant, IDToken, RefreshToken

from clinic.accounts import enrolment_code_issue
from clinic.errors import DomainError
from clinic.models import AccountEvent, User

# Permissions no one is granted: authenticator devices hold secrets and the login history is
# evidence (both managed by code only). Also keeps the libraries' untranslated model names
# (« TOTP device ») out of the permission lists.
UNGRANTED_APPS = ("otp_totp", "axes")

# Fields no one may change on their own account: what they may do, not who they are.
OWN_LOCKED_FIELDS = ("role", "is_staff", "is_superuser", "is_active", "groups", "user_permissions")


def grantable_permissions() -> QuerySet[Permission]:
    return Permission.objects.exclude(content_type__app_label__in=UNGRANTED_APPS).select_related(
        "content_type"
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Rôle et exercice"), {"fields": ("role", "rpps", "practice_address", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Rôle et exercice"), {"fields": ("role", "email", "first_name", "last_name", "rpps")}),
    )
    actions = ["reset_second_factor"]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user_permissions":
            kwargs["queryset"] = grantable_permissions()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            return (*fields, *OWN_LOCKED_FIELDS)
        return fields

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change and obj.pk == request.user.pk:
            locked = [name for name in OWN_LOCKED_FIELDS if name in form.changed_data]
            if locked:  # read-only on the page; a forged post is refused too
                raise PermissionDenied
        obj.role_changed_by = request.user  # type: ignore[attr-defined]  # read by clinic.signals
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Réinitialiser la double authentification (nouveau code)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        by: User = request.user  # type: ignore[assignment]
        for account in queryset:
            try:
                code = enrolment_code_issue(account=account, by=by)
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
                continue
            self.message_user(
                request,
                _(
                    "Code d’activation de %(user)s : %(code)s — à lui remettre en main propre ou "
                    "par téléphone ; il ne sera plus affiché."
                )
                % {"user": account.username, "code": code},
                messages.WARNING,
            )


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A log: listed and searched, never added, changed or deleted from the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "account_username", "action", "actor", "data")
    list_filter = ("action",)
    search_fields = ("account_username",)


# Authenticator devices stay out of the admin: their page shows the secret and its QR code.
# An administrator resets a device from the user list (action above), never reads one.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

# The login history (django-axes) is evidence: read-only.
for _model, _fields in (
    (AccessAttempt, ("attempt_time", "username", "ip_address", "failures_since_start")),
    (LoginLog, ("attempt_time", "logout_time", "username", "ip_address")),
    (AccessFailureLog, ("attempt_time", "username", "ip_address", "locked_out")),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(
        _model, type(f"{_model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": _fields})
    )

# API clients use the client-credentials grant only (fhir_api/): no authorization codes, OpenID
# tokens or refresh tokens exist to manage. Applications and access tokens stay (revocation).
for _unused in (Grant, IDToken, RefreshToken):
    if admin.site.is_registered(_unused):
        admin.site.unregister(_unused)


class GroupAdmin(DjangoGroupAdmin):
    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest | None = None, **kwargs: Any
    ) -> Any:
        if db_field.name == "permissions":
            kwargs["queryset"] = grantable_permissions()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)
