"""The worklist's filters (GET). An unknown value is ignored, never an error page: a stale
bookmark still opens the worklist. The page's template writes each filter's options from the
fields' choices (templates/referrals/radiology_worklist.html)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.choices import Level, Status, Verdict
from referrals.selectors import TO_REVIEW, WORKLIST_STATUSES, WorklistFilters

# Short labels: they are tabs, and "À valider" sums the first two.
STATUS_CHOICES = [
    (TO_REVIEW, _("À valider")),
    (Status.SUBMITTED, _("En attente d’avis")),
    (Status.INFO_REQUESTED, _("Infos demandées")),
    (Status.ACCEPTED, _("Acceptées")),
    (Status.DECLINED, _("Refusées")),
    (Status.SURGERY, _("Chirurgie")),
    (Status.SCHEDULED, _("Programmées")),
    (Status.ARRIVED, _("Patients arrivés")),
    (Status.DONE, _("Réalisées")),
    (Status.CANCELLED, _("Annulées")),
    (Status.CLOSED, _("Closes")),
]
if [key for key, _label in STATUS_CHOICES[1:]] != list(WORKLIST_STATUSES):
    raise RuntimeError("every worklist status needs a tab")


class WorklistFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=STATUS_CHOICES, required=False)
    verdict = forms.ChoiceField(
        label=_("Avis du moteur"),
        choices=[("", _("Tous les avis")), *Verdict.choices],
        required=False,
    )
    level = forms.ChoiceField(
        label=_("Niveau"), choices=[("", _("Tous les niveaux")), *Level.choices], required=False
    )

    def filters(self) -> WorklistFilters:
        if not self.is_bound:
            return WorklistFilters()
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        return WorklistFilters(
            status=data["status"] or TO_REVIEW,
            verdict=data["verdict"] or "",
            level=data["level"] or "",
        )
