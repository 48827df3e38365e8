"""Second factor for clinic staff: TOTP (django-otp), required when OTP_REQUIRED_FOR_STAFF is on
(by default whenever DEBUG is off). Enrolment shows a QR code; codes are single-use (django-otp
remembers the last accepted time step) and throttled after failures."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from clinic.accounts import enrolment_code_use, enrolment_code_valid
from clinic.models import STAFF_ROLES, EnrolmentCode, User
from clinic.ratelimit import hit

THROTTLED = gettext_lazy("Trop de codes erronés : patientez quelques secondes puis réessayez.")
OPEN_PATHS = ("otp_enrol", "otp_verify", "logout", "set_language")


def needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        settings.OTP_REQUIRED_FOR_STAFF
        and user.is_authenticated
        and getattr(user, "role", None) in STAFF_ROLES
        and not user.is_verified()  # type: ignore[union-attr,attr-defined]  # django-otp adds it
    )


class StaffSecondFactorMiddleware:
    """Staff who logged in with a password only reach the second-factor pages until verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.open_paths: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request):
            if self.open_paths is None:
                self.open_paths = tuple(reverse(name) for name in OPEN_PATHS)
            if request.path not in self.open_paths and not request.path.startswith(
                settings.STATIC_URL
            ):
                has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
                target = "otp_verify" if has_device else "otp_enrol"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code à 6 chiffres"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
        error_messages={
            "required": gettext_lazy("Saisissez le code affiché par votre application."),
            "min_length": gettext_lazy("Le code compte 6 chiffres."),
            "max_length": gettext_lazy("Le code compte 6 chiffres."),
        },
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else reverse("home")


def _qr_data_uri(url: str) -> str:
    buffer = io.BytesIO()
    write_qrcode_image(url, buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code d’activation remis par l’administrateur"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={
            "required": gettext_lazy("Saisissez le code d’activation remis par l’administrateur.")
        },
    )


ENROL_CODE_SESSION_KEY = "otp_enrolment_code"


def _enrol_with_code(request: HttpRequest) -> HttpResponse | None:
    """Staff pair a first device only after typing the one-time code an administrator gave them
    out of band: a stolen password alone neither sees a secret nor pairs a device. Returns the
    code page, or None once the code is accepted (kept in the session until the device is
    confirmed)."""
    user: User = request.user  # type: ignore[assignment]
    pending = request.session.get(ENROL_CODE_SESSION_KEY)
    if (
        pending
        and EnrolmentCode.objects.filter(
            pk=pending, user=user, used_at__isnull=True, expires_at__gt=timezone.now()
        ).exists()
    ):
        return None
    form = EnrolmentCodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST" and form.is_valid():
        if not hit(f"otp-enrol-code:user:{user.pk}", limit=10, window_seconds=3600):
            form.add_error("code", THROTTLED)
        else:
            code = enrolment_code_valid(account=user, code=form.cleaned_data["code"])
            if code is not None:
                # A device prepared before the code (by whoever had the password) is dropped.
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                request.session[ENROL_CODE_SESSION_KEY] = code.pk
                return redirect(f"{reverse('otp_enrol')}?next={_next_url(request)}")
            form.add_error(
                "code",
                _("Code d’activation inconnu, expiré ou déjà utilisé : demandez-en un nouveau."),
            )
    return render(
        request, "registration/otp_enrol_code.html", {"form": form, "next": _next_url(request)}
    )


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Pair an authenticator app: (staff: type the administrator's code,) scan the QR code, type
    one code to confirm."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("otp_verify")
    if getattr(request.user, "role", None) in STAFF_ROLES:
        code_page = _enrol_with_code(request)
        if code_page is not None:
            return code_page
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Application d'authentification"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("token", THROTTLED)
        elif device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            pending = request.session.pop(ENROL_CODE_SESSION_KEY, None)
            code = EnrolmentCode.objects.filter(pk=pending).first() if pending else None
            if code is not None:
                enrolment_code_use(code=code)
            otp_login(request, device)
            messages.success(request, _("Double authentification activée."))
            return redirect(_next_url(request))
        form.add_error(
            "token", _("Code incorrect ou expiré : saisissez le code affiché maintenant.")
        )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/otp_enrol.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
        },
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Type the current code after the password."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _detail = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", THROTTLED)
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error("token", _("Code incorrect, expiré ou déjà utilisé."))
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}
    )
