"""The day of the procedure for one referral: the safety checklist (desk and radiologist), the
radiologist's override, the procedure report and its addenda. Views check access and hand over to
procedures/services/."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic.errors import DomainError, show
from clinic.models import Role, User
from clinic.roles import role_required
from followups.selectors import followups_of
from procedures.documents import resume_plan
from procedures.forms import AddendumForm, ChecklistForm, LevelFormSet, OverrideForm, ReportForm
from procedures.selectors import day_booking, report_of
from procedures.services.checklist import (
    checklist_override,
    checklist_record,
    checklist_state,
    on_vka,
)
from procedures.services.report import planned_levels, report_addendum, report_sign
from referrals.access import get_referral_for
from referrals.models import Referral
from scheduling.models import BookingStatus

STAFF = (Role.SECRETARY, Role.RADIOLOGIST)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _referral(request: HttpRequest, pk: int, what: str = "procedure") -> Referral:
    return get_referral_for(request, pk, what=what)


@role_required(*STAFF)
def procedure(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    booking = day_booking(referral)
    context: dict[str, Any] = {"referral": referral, "booking": booking}
    if booking is not None:
        state = checklist_state(booking)
        context.update(
            state=state,
            checklist_form=ChecklistForm(state=state, vka=on_vka(referral)),
            override_form=OverrideForm(),
            report=report_of(referral),
            addendum_form=AddendumForm(),
            followups=list(followups_of(referral.pk)),
            may_record=booking.status == BookingStatus.ARRIVED,
        )
    return render(request, "procedures/procedure.html", context)


def _back(referral: Referral) -> HttpResponse:
    return redirect("procedures:procedure", pk=referral.pk)


@require_POST
@role_required(*STAFF)
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    booking = day_booking(referral)
    if booking is None:
        messages.error(request, _("Aucun rendez-vous pour cette demande."))
        return _back(referral)
    form = ChecklistForm(request.POST, state=checklist_state(booking), vka=on_vka(referral))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(referral)
    try:
        state = checklist_record(
            booking=booking,
            by=_user(request),
            items=form.cleaned_data["items"],
            inr=form.cleaned_data.get("inr"),
        )
    except DomainError as error:
        show(request, error)
    else:
        if state.complete:
            messages.success(request, _("Check-list de sécurité complète."))
        else:
            messages.error(
                request,
                _("Check-list incomplète : il manque %(missing)s. Le geste ne peut pas être noté.")
                % {"missing": ", ".join(f"« {label} »" for label in state.missing_labels)},
            )
    return _back(referral)


@require_POST
@role_required(Role.RADIOLOGIST)
def override(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    booking = day_booking(referral)
    form = OverrideForm(request.POST)
    if booking is None or not form.is_valid():
        messages.error(
            request, _("Indiquez pourquoi le geste a lieu malgré la check-list incomplète.")
        )
        return _back(referral)
    try:
        checklist_override(booking=booking, by=_user(request), reason=form.cleaned_data["reason"])
    except DomainError as error:
        show(request, error)
    else:
        messages.success(request, _("Dérogation enregistrée : le geste peut être noté."))
    return _back(referral)


def _level_initial(referral: Referral) -> list[dict[str, Any]]:
    planned = planned_levels(referral)
    return [{"level": level} for level in planned] + [{} for _ in range(2)]


@role_required(Role.RADIOLOGIST)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, what="procedure.report")
    booking = day_booking(referral)
    if booking is None or booking.status not in (BookingStatus.ARRIVED, BookingStatus.DONE):
        messages.error(
            request, _("Le patient n’est pas noté arrivé : pas de compte rendu possible.")
        )
        return _back(referral)
    if report_of(referral) is not None:
        messages.info(
            request, _("Le compte rendu est signé : une correction s’ajoute en addendum.")
        )
        return _back(referral)
    plan = resume_plan(referral)
    decision = referral.current_decision
    initial = {"anaesthesia": (decision.anaesthesia if decision else "") or referral.anaesthesia}
    form = ReportForm(request.POST or None, resume_plan=plan, initial=initial)
    levels = LevelFormSet(request.POST or None, initial=_level_initial(referral), prefix="levels")
    if request.method == "POST" and form.is_valid() and levels.is_valid():
        try:
            report_sign(
                referral=referral,
                by=_user(request),
                data=form.to_input(levels.cleaned_data),
                resume_plan=plan,
            )
        except DomainError as error:
            show(request, error, form)
        else:
            messages.success(
                request,
                _("Compte rendu signé : le geste est noté réalisé, les suivis sont planifiés."),
            )
            return _back(referral)
    state = checklist_state(booking)
    return render(
        request,
        "procedures/report_form.html",
        {
            "referral": referral,
            "booking": booking,
            "form": form,
            "levels": levels,
            "planned": planned_levels(referral),
            "state": state,
        },
    )


@require_POST
@role_required(Role.RADIOLOGIST)
def addendum(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    signed = report_of(referral)
    form = AddendumForm(request.POST)
    if signed is None:
        messages.error(request, _("Aucun compte rendu signé pour cette demande."))
    elif not form.is_valid():
        messages.error(request, _("Écrivez le texte de l’addendum."))
    else:
        try:
            report_addendum(report=signed, by=_user(request), text=form.cleaned_data["text"])
        except DomainError as error:
            show(request, error)
        else:
            messages.success(request, _("Addendum signé et ajouté au compte rendu."))
    return _back(referral)
