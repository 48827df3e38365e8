"""The GP's pages: home, referral form, referral page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clinic.models import Role
from clinic.roles import role_required


@role_required(Role.GP)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/home_gp.html")
