"""The secretary's pages: sessions, bookings, day view, convocations."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clinic.models import Role
from clinic.roles import role_required


@role_required(Role.SECRETARY)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/home_secretary.html")
