"""System checks of the deployment (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def clinic_identity_is_real(**kwargs: Any) -> list[Warning]:
    """Documents and patient messages print the clinic's name, address, phones and FINESS: the
    demo's fictional values must not reach a patient."""
    demo = getattr(settings, "CLINIC_DEMO_IDENTITY", {})
    still = [name for name, value in demo.items() if getattr(settings, name, None) == value]
    if not still:
        return []
    return [
        Warning(
            "The clinic's identity still has the demo's fictional values: "
            f"{', '.join(still)}. Patients' documents and messages would print them.",
            hint="Set these environment variables (README, configuration).",
            id="clinic.W001",
        )
    ]
