"""« Enregistrez un brouillon à tout moment »: a draft keeps wrong values as typed with their
errors, only sending refuses them; a refused submission never leaves an empty draft behind."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.errors import DomainError
from clinic.models import User
from referrals.models import Referral
from referrals.services.submission import referral_submit
from tests.referrals.form_data import level, pdf, referral_data

NEW = reverse("referrals:gp_referral_new")
WRONG_KEY_NIR = "241037510000199"  # a woman born in March 1941, key off by one


def _future(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _edit(referral: Referral) -> str:
    return reverse("referrals:gp_referral_edit", args=[referral.pk])


def test_a_draft_keeps_a_wrong_nir_and_future_dates_as_typed_with_their_errors(
    gp_client: Client, gp: User
) -> None:
    data = referral_data(
        action="save",
        patient__nir=WRONG_KEY_NIR,
        facts__ct_date=_future(5),
        levels=[level(0, "L1", days_ago=None, fracture_date=_future(3)), level(1, "T12")],
    )
    page = gp_client.post(NEW, data).content.decode()

    referral = Referral.objects.get()
    assert referral.status == "draft"
    # The columns hold only checked values: the engine and the patient record never see these.
    assert referral.patient.nir == ""
    assert referral.identity_as_entered["nir"] == ""
    assert referral.ct_date is None
    levels = {lv.level: lv.fracture_date for lv in referral.levels.all()}
    assert levels["L1"] is None and levels["T12"] is not None
    assert referral.draft_values == {
        "patient-nir": WRONG_KEY_NIR,
        "facts-ct_date": _future(5),
        "levels:L1:fracture_date": _future(3),
    }
    # The rest of the draft is saved as usual.
    assert referral.patient.birth_name == "Rousseau" and referral.pain_nrs == 8

    # The page says the draft is saved, lists the three points and shows what was typed.
    assert "Brouillon enregistré : 3 points à corriger avant d’adresser la demande" in page
    assert "La clé du NIR (les 2 derniers chiffres) ne correspond pas" in page
    assert "La date de la fracture ne peut pas être dans le futur" in page
    assert f'value="{WRONG_KEY_NIR}"' in page
    assert f'value="{_future(5)}"' in page
    assert f'action="{_edit(referral)}"' in page

    # Reopened later, the draft comes back with the same values and the same errors.
    page = gp_client.get(_edit(referral)).content.decode()
    assert "Brouillon enregistré : 3 points à corriger" in page
    assert f'value="{WRONG_KEY_NIR}"' in page
    assert f'value="{_future(3)}"' in page
    assert 'href="#id_patient-nir"' in page


def test_sending_refuses_the_kept_values_until_they_are_corrected(gp_client: Client) -> None:
    gp_client.post(NEW, referral_data(action="save", patient__nir=WRONG_KEY_NIR))
    referral = Referral.objects.get()
    page = gp_client.post(
        _edit(referral), referral_data(patient__nir=WRONG_KEY_NIR)
    ).content.decode()
    referral.refresh_from_db()
    assert referral.status == "draft"
    assert "La clé du NIR" in page

    gp_client.post(_edit(referral), referral_data())
    referral.refresh_from_db()
    assert referral.status == "submitted"
    assert referral.draft_values == {}
    assert referral.patient.nir


def test_the_service_refuses_a_draft_that_keeps_values_to_correct(gp: User) -> None:
    referral = Referral.objects.create(gp=gp, draft_values={"patient-nir": WRONG_KEY_NIR})
    with pytest.raises(DomainError, match="encore à corriger"):
        referral_submit(referral=referral, by=gp)


def test_a_value_no_column_can_hold_is_refused_but_the_rest_of_the_draft_is_saved(
    gp_client: Client,
) -> None:
    data = referral_data(action="save", facts__pain_nrs="14", facts__platelets="90000")
    page = gp_client.post(NEW, data).content.decode()
    referral = Referral.objects.get()
    assert referral.pain_nrs is None and referral.platelets is None
    assert referral.draft_values == {}
    assert referral.patient.birth_name == "Rousseau"
    assert [lv.level for lv in referral.levels.all()] == ["L1"]
    assert "Brouillon enregistré : 2 points à corriger" in page
    assert page.count("(valeur non enregistrée)") == 2
    assert 'value="90000"' in page  # shown as typed, to correct


def test_a_refused_submission_with_a_file_saves_what_was_typed_not_an_empty_draft(
    gp_client: Client, gp: User
) -> None:
    data = referral_data(patient__first_names=None) | {"files-ct_report": pdf("scanner.pdf")}
    page = gp_client.post(NEW, data).content.decode()

    draft = Referral.objects.get()
    assert draft.status == "draft"
    assert draft.identity_as_entered["birth_name"] == "Rousseau"
    assert [lv.level for lv in draft.levels.all()] == ["L1"]
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["scanner.pdf"]
    # The banner tells the truth: not sent, but saved as a draft with the file.
    assert "La demande n’est pas adressée : 1 point à corriger" in page
    assert "Ce que vous avez saisi est enregistré en brouillon" in page
    assert "n’a pas été enregistrée" not in page
    home = gp_client.get(reverse("home_gp")).content.decode()
    assert ">ROUSSEAU<" in home
    assert "Patient non renseigné" not in home


def test_a_refused_submission_without_a_file_saves_nothing(gp_client: Client) -> None:
    page = gp_client.post(NEW, referral_data(patient__first_names=None)).content.decode()
    assert not Referral.objects.exists()
    assert "La demande n’a pas été enregistrée : 1 point à corriger" in page
