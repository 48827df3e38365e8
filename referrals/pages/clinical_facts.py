"""The facts 2027.1 added (imaging when MRI is impossible, labs, allergies, osteoporosis
treatment, heparin bridging), as French label–value rows for the radiologist's page and the
indication report: never a raw key or a bare « True »."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from referrals.choices import Allergy, Antithrombotic, MriAlternative
from referrals.models import Referral

ALLERGY_LABELS = dict(Allergy.choices)
ALTERNATIVE_LABELS = dict(MriAlternative.choices)


@dataclass(frozen=True)
class FactRow:
    label: str
    value: str
    alert: bool = False  # shown in red: it changes the plan or the indication


def yes_no(value: bool | None) -> str:
    """« oui », « non », « non précisé » (a fact the GP did not state)."""
    if value is None:
        return _("non précisé")
    return _("oui") if value else _("non")


def _number(value: Decimal | float | None, unit: str) -> str:
    if value is None:
        # « plaquettes : — » reads in every gender (« non renseigné » did not agree with them).
        return "—"
    # « 40 », « 1,25 »: the digits the GP typed, the decimal comma of the active language.
    digits = Decimal(format(Decimal(str(value)).normalize(), "f"))
    return f"{number_format(digits)} {unit}".strip()


def clinical_fact_rows(referral: Referral) -> list[FactRow]:
    """The rows, in the order a radiologist reads a file: imaging, labs, allergies, treatments."""
    rows: list[FactRow] = []
    if referral.mri_contraindicated or referral.mri_alternative:
        alternative = ALTERNATIVE_LABELS.get(referral.mri_alternative)
        rows.append(
            FactRow(
                _("IRM contre-indiquée"),
                _("oui ; examen fait à la place : %(exam)s") % {"exam": alternative}
                if alternative
                else _("oui ; aucun examen fait à la place"),
                alert=not alternative,
            )
        )
    labs = [
        _("plaquettes : %(value)s") % {"value": _number(referral.platelets, "G/L")},
        _("INR : %(value)s") % {"value": _number(referral.inr, "")},
        _("clairance de la créatinine : %(value)s")
        % {"value": _number(referral.creatinine_clearance, "mL/min")},
    ]
    rows.append(FactRow(_("Biologie"), " · ".join(labs)))
    allergies = [str(ALLERGY_LABELS.get(a, a)) for a in referral.allergies or []]
    rows.append(
        FactRow(
            _("Allergies (hors ciment)"),
            ", ".join(allergies) if allergies else _("aucune déclarée"),
            alert=bool(allergies),
        )
    )
    rows.append(
        FactRow(_("Traitement de l’ostéoporose en cours"), yes_no(referral.osteoporosis_treatment))
    )
    if Antithrombotic.VKA in (referral.antithrombotics or []):
        rows.append(FactRow(_("Relais héparine prévu"), yes_no(referral.vka_bridging)))
    return rows
