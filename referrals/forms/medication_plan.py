"""The radiologist's plan on the accept form: one row per drug of the engine's plan (its last
dose J−n and its resume J+n, prefilled with the engine's days), and a row to add for each drug
the engine writes no plan for (`fondaparinux`, `other`). Left as prefilled, the engine's plan
applies; changed, the form yields the radiologist's plan and asks for a reason
(clinical-rules.md, « The radiologist's plan »; the service checks it again)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referrals.services.medication_plans import ADDABLE_DRUGS, MAX_DAYS, added_entry
from scheduling.plan import drug_label

PLAN_REASON_HELP = gettext_lazy(
    "Obligatoire si vous modifiez le plan. Il figure dans le courrier au médecin et sur la "
    "chronologie de la demande."
)


@dataclass(frozen=True)
class PlanRow:
    """One drug of the plan as the form shows it."""

    drug: str
    label: str
    engine: dict[str, Any] | None  # the engine's entry; None for a drug the radiologist adds
    last: BoundField
    resume: BoundField

    @property
    def added(self) -> bool:
        return self.engine is None

    @property
    def engine_last(self) -> int | None:
        """n of the engine's last dose J−n."""
        return -int(self.engine["last_dose_day"]) if self.engine else None

    @property
    def engine_resume(self) -> int | None:
        return int(self.engine["resume_day"]) if self.engine else None


def _days_field(message: str) -> forms.IntegerField:
    errors = {key: message for key in ("invalid", "min_value", "max_value")}
    return forms.IntegerField(
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        error_messages=errors,
        widget=forms.NumberInput(attrs={"class": "form-control plan-days", "inputmode": "numeric"}),
    )


# The mixin is only ever mixed into a Form: typed as one, an object at run time.
if TYPE_CHECKING:
    _FormBase = forms.Form
else:
    _FormBase = object


class MedicationPlanFields(_FormBase):
    """Mixed into the accept form: adds the plan's fields, and `clean_plan` turns them into
    `medication_plan` (None when the engine's plan is kept) and `plan_reason`."""

    def add_plan_fields(self, engine_plan: list[dict[str, Any]]) -> None:
        self.engine_plan = [dict(e) for e in engine_plan if isinstance(e, dict)]
        planned = {str(e.get("drug")) for e in self.engine_plan}
        specs: list[tuple[str, dict[str, Any] | None]] = [
            (str(e["drug"]), e) for e in self.engine_plan
        ]
        specs += [(drug, None) for drug in ADDABLE_DRUGS if drug not in planned]
        self._plan_specs = specs
        for drug, entry in specs:
            label = drug_label(drug)
            self.fields[f"plan_{drug}_last"] = _days_field(
                _(
                    "%(drug)s : indiquez la dernière prise en jours avant le geste, de J−1 à "
                    "J−%(max)d."
                )
                % {"drug": label, "max": MAX_DAYS}
            )
            self.fields[f"plan_{drug}_resume"] = _days_field(
                _("%(drug)s : indiquez la reprise en jours après le geste, de J+1 à J+%(max)d.")
                % {"drug": label, "max": MAX_DAYS}
            )
            if entry is not None:
                self.initial.setdefault(f"plan_{drug}_last", -int(entry["last_dose_day"]))
                self.initial.setdefault(f"plan_{drug}_resume", int(entry["resume_day"]))
        self.fields["plan_reason"] = forms.CharField(
            label=gettext_lazy("Motif du changement de plan"),
            widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            required=False,
            max_length=4000,
            help_text=PLAN_REASON_HELP,
        )

    @property
    def plan_field_names(self) -> list[str]:
        names = [f"plan_{drug}_{part}" for drug, _e in self._plan_specs for part in PARTS]
        return [*names, "plan_reason"]

    @property
    def plan_rows(self) -> list[PlanRow]:
        if self.is_bound:
            for name in self.plan_field_names:
                if name in self.errors and "is-invalid" not in self.fields[name].widget.attrs.get(
                    "class", ""
                ):
                    # Marked for the eye and for screen readers (the template writes the error).
                    attrs = self.fields[name].widget.attrs
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                    attrs["aria-invalid"] = "true"
                    attrs["aria-describedby"] = f"id_{name}_error"
        return [
            PlanRow(
                drug=drug,
                label=drug_label(drug),
                engine=entry,
                last=self[f"plan_{drug}_last"],
                resume=self[f"plan_{drug}_resume"],
            )
            for drug, entry in self._plan_specs
        ]

    @property
    def plan_open(self) -> bool:
        """Show the plan unfolded: the radiologist changed it, or something in it is wrong."""
        errors = self.errors if self.is_bound else {}
        names = self.plan_field_names
        return self.is_bound and any(n in self.changed_data or n in errors for n in names)

    def clean_plan(self, cleaned: dict[str, Any]) -> None:
        """Set cleaned["medication_plan"] (None: the engine's) and cleaned["plan_reason"]."""
        plan: list[dict[str, Any]] = []
        complete = True
        for drug, entry in self._plan_specs:
            last_name, resume_name = f"plan_{drug}_last", f"plan_{drug}_resume"
            last, resume = cleaned.get(last_name), cleaned.get(resume_name)
            if entry is None:
                if last is None and resume is None:
                    continue
                if last is None or resume is None:
                    missing = resume_name if last is not None else last_name
                    if missing not in self.errors:
                        self.add_error(
                            missing,
                            _(
                                "%(drug)s : indiquez la dernière prise et la reprise, ou "
                                "laissez les deux vides."
                            )
                            % {"drug": drug_label(drug)},
                        )
                    complete = False
                    continue
                plan.append(added_entry(drug, last_dose=last, resume=resume))
            elif last_name in self.errors or resume_name in self.errors:
                complete = False  # the field already says what is wrong
            else:
                # A day left empty keeps the engine's.
                last = -int(entry["last_dose_day"]) if last is None else last
                resume = int(entry["resume_day"]) if resume is None else resume
                plan.append({**entry, "last_dose_day": -last, "resume_day": resume})
        reason = (cleaned.get("plan_reason") or "").strip()
        changed = complete and plan != self.engine_plan
        if changed and not reason:
            self.add_error(
                "plan_reason",
                _(
                    "Vous avez modifié le plan médicamenteux du moteur : expliquez pourquoi "
                    "(le motif figure dans le courrier au médecin)."
                ),
            )
        elif complete and not changed and reason:
            self.add_error(
                "plan_reason",
                _("Le plan est celui du moteur : modifiez une date du plan, ou effacez ce motif."),
            )
        cleaned["medication_plan"] = plan if changed else None
        cleaned["plan_reason"] = reason if changed else ""


PARTS = ("last", "resume")
