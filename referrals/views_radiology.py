"""The radiologist's pages: worklist, referral review, decisions, documents."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clinic.models import Role
from clinic.roles import role_required


@role_required(Role.RADIOLOGIST)
def worklist(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/home_radiologist.html")
