"""The access-log search page: who opened a patient's data, when, granted or refused. Each
search is itself written to the access log (who searched what, when).

The search is posted, never put in the URL: a patient's name or NIR must not reach the web
server's logs or the browser history (checklist row 18)."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from clinic.audit import log_search, what_label
from clinic.models import AccessLog, Role
from clinic.roles import role_required
from referrals.models import Patient


class AccessLogSearchForm(forms.Form):
    patient = forms.CharField(
        label=_("Patient"),
        required=False,
        max_length=100,
        help_text=_("Nom de naissance, nom d’usage, NIR ou numéro de patient."),
    )


def _matching_patients(query: str) -> list[Patient]:
    query = query.strip()
    if not query:
        return []
    condition = Q(birth_name__icontains=query) | Q(used_name__icontains=query) | Q(nir=query)
    if query.isdigit():
        condition |= Q(pk=int(query))
    return list(Patient.objects.filter(condition).order_by("birth_name", "first_names")[:50])


@role_required(Role.ADMIN)
def access_log(request: HttpRequest) -> HttpResponse:
    form = AccessLogSearchForm(request.POST if request.method == "POST" else None)
    patients: list[Patient] = []
    page = None
    if form.is_valid() and form.cleaned_data["patient"]:
        patients = _matching_patients(form.cleaned_data["patient"])
        rows = AccessLog.objects.filter(patient_id__in=[p.pk for p in patients]).select_related(
            "user"
        )
        page = Paginator(rows, 50).get_page(request.POST.get("page"))
        for row in page:
            row.what_label = what_label(row.what)  # type: ignore[attr-defined]
        # After the rows were read: the search is listed from the next one on.
        log_search(
            request, query=form.cleaned_data["patient"], patient_ids=[p.pk for p in patients]
        )
    names = {p.pk: p.full_name for p in patients}
    return render(
        request,
        "clinic/access_log.html",
        {"form": form, "patients": patients, "page": page, "names": names},
    )
