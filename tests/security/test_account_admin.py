"""Security row 30: roles are granted, never taken. An administrator manages accounts but cannot
give themselves a clinical role (and so read patient files); every role change is in the
append-only account log with who and when; authenticator secrets never appear in the admin, an
administrator only resets a device and issues a one-time enrolment code; the login history
cannot be deleted from the admin."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.append_only import AppendOnlyError
from clinic.models import AccountEvent, EnrolmentCode, User


def _change_form_data(client: Client, user: User, **changes: Any) -> dict[str, Any]:
    """The admin's change form of `user` as the browser would post it, with `changes`."""
    page = client.get(reverse("admin:clinic_user_change", args=[user.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        if name in ("groups", "user_permissions"):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif name in ("date_joined", "last_login"):
            data[f"{name}_0"] = value.strftime("%Y-%m-%d")
            data[f"{name}_1"] = value.strftime("%H:%M:%S")
        elif value is True:
            data[name] = "on"
        elif value != "":
            data[name] = value
    for name, value in changes.items():
        data[name] = value
    return data


def test_an_administrator_cannot_give_themselves_a_clinical_role(
    admin_client: Client, admin_user: User
) -> None:
    url = reverse("admin:clinic_user_change", args=[admin_user.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="role"' not in page  # read-only on one's own account
    data = _change_form_data(admin_client, admin_user, role="radiologist")
    admin_client.post(url, data)
    admin_user.refresh_from_db()
    assert admin_user.role == "admin"
    assert admin_client.get(reverse("home_radiologist")).status_code == 403
    assert not AccountEvent.objects.filter(action="account.role_changed").exists()


def test_role_changes_are_in_the_append_only_log_with_who_and_when(
    admin_client: Client, admin_user: User, secretary: User
) -> None:
    url = reverse("admin:clinic_user_change", args=[secretary.pk])
    response = admin_client.post(
        url, _change_form_data(admin_client, secretary, role="radiologist")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    secretary.refresh_from_db()
    assert secretary.role == "radiologist"
    event = AccountEvent.objects.get(action="account.role_changed")
    assert (event.actor, event.account_id) == (admin_user, secretary.pk)
    assert event.data == {"old": "secretary", "new": "radiologist"} and event.at is not None
    with pytest.raises(AppendOnlyError):
        AccountEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        event.save()
    # A change made outside the admin (a script) is recorded too, without an actor.
    secretary.role = "gp"
    secretary.save()
    changed = AccountEvent.objects.filter(account_id=secretary.pk, action="account.role_changed")
    assert changed.filter(actor=None).get().data == {"old": "radiologist", "new": "gp"}


def test_authenticator_devices_are_not_in_the_admin(
    admin_client: Client, radiologist: User
) -> None:
    device = TOTPDevice.objects.create(user=radiologist, name="app", confirmed=True)
    for url in (
        f"/admin/otp_totp/totpdevice/{device.pk}/config/",
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        "/admin/otp_totp/totpdevice/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 404, url
        assert device.key not in response.content.decode()


def test_an_administrator_resets_a_device_and_issues_a_code_shown_once(
    admin_client: Client, admin_user: User, radiologist: User
) -> None:
    TOTPDevice.objects.create(user=radiologist, name="app", confirmed=True)
    response = admin_client.post(
        reverse("admin:clinic_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [radiologist.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Code d’activation de rad" in text or "Code d’activation de" in text
    assert not TOTPDevice.objects.filter(user=radiologist).exists()
    code = EnrolmentCode.objects.get(user=radiologist)
    assert code.created_by == admin_user
    event = AccountEvent.objects.get(action="account.otp_reset")
    assert (event.actor, event.account_id) == (admin_user, radiologist.pk)


def test_the_login_history_cannot_be_deleted_from_the_admin(admin_client: Client) -> None:
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="127.0.0.1", user_agent="t", failures_since_start=3
    )
    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code in (403, 302)
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
