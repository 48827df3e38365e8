"""The GP calls a referral off: deletes a draft the clinic never saw (what they typed and the files
go), or withdraws a referral sent to the clinic, with a reason the clinic reads."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import AccessLog, User
from referrals.choices import Status
from referrals.models import Attachment, FractureLevel, Patient, Referral
from referrals.services.decisions import request_information
from scheduling.services.imaging import imaging_appointment_cancel, imaging_appointment_create
from tests.factories import ReferralFactory
from tests.referrals.form_data import pdf, referral_data
from tests.referrals.radiology import submitted_referral

NEW = reverse("referrals:gp_referral_new")


def _discard_url(referral: Referral) -> str:
    return reverse("referrals:gp_referral_discard", args=[referral.pk])


def _withdraw_url(referral: Referral) -> str:
    return reverse("referrals:gp_referral_withdraw", args=[referral.pk])


def _draft_with_a_file(client: Client) -> Referral:
    client.post(NEW, referral_data(action="save") | {"files-letter": pdf("courrier.pdf")})
    return Referral.objects.get()


# --- Deleting a draft -------------------------------------------------------------------------


def test_the_gp_deletes_a_draft_and_everything_typed_in_it_goes(
    gp_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    draft = _draft_with_a_file(gp_client)
    stored = Path(settings.MEDIA_ROOT, draft.attachments.get().file.name)
    assert stored.exists()

    page = gp_client.get(_discard_url(draft)).content.decode()
    assert "Supprimer le brouillon de ROUSSEAU Jeanne Marie ?" in page
    assert "Sa pièce jointe sera supprimée aussi." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = gp_client.post(_discard_url(draft), follow=True)

    assert response.redirect_chain[-1][0] == reverse("home_gp")
    home = response.content.decode()
    assert f"Brouillon n° {draft.pk} supprimé." in home
    assert "ROUSSEAU" not in home.split("Brouillon n°")[1]  # not listed any more
    draft.refresh_from_db()
    assert draft.status == Status.DISCARDED
    assert draft.identity_as_entered == {}
    assert draft.patient_id is None and draft.clinical_note == "" and draft.pain_nrs is None
    assert draft.level_codes == ""
    assert not FractureLevel.objects.filter(referral=draft).exists()
    assert not Attachment.objects.exists()
    assert not stored.exists()
    assert not Patient.objects.exists()  # the record only this draft used
    assert draft.events.filter(action="referral.discarded").get().data == {"attachments": 1}


def test_a_deleted_draft_exists_for_no_one(
    gp_client: Client, radiologist_client: Client, secretary_client: Client
) -> None:
    draft = _draft_with_a_file(gp_client)
    gp_client.post(_discard_url(draft))
    for url in (
        reverse("referrals:gp_referral_detail", args=[draft.pk]),
        reverse("referrals:gp_referral_edit", args=[draft.pk]),
        _discard_url(draft),
    ):
        assert gp_client.get(url).status_code == 404
    radiology = reverse("referrals:radiology_referral", args=[draft.pk])
    assert radiologist_client.get(radiology).status_code == 404
    assert secretary_client.get(reverse("scheduling:referral", args=[draft.pk])).status_code == 404
    assert "Aucune demande" in gp_client.get(reverse("home_gp")).content.decode()


def test_a_patient_record_other_referrals_use_is_kept(gp: User, gp_client: Client) -> None:
    sent = submitted_referral(gp=gp)
    draft = ReferralFactory(gp=gp, patient=sent.patient, identity_as_entered={"birth_name": "X"})
    gp_client.post(_discard_url(draft))
    draft.refresh_from_db()
    assert draft.status == Status.DISCARDED and draft.patient_id is None
    assert Patient.objects.filter(pk=sent.patient_id).exists()


def test_a_referral_sent_to_the_clinic_cannot_be_deleted(gp: User, gp_client: Client) -> None:
    referral = submitted_referral(gp=gp)
    response = gp_client.post(_discard_url(referral), follow=True)
    page = response.content.decode()
    assert "ce n’est plus un brouillon. Si le patient n’en a plus besoin, annulez-la." in page
    assert _withdraw_url(referral) in page  # pointed to withdrawing instead
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED and referral.patient_id is not None


def test_another_gps_draft_is_not_found(gp: User, other_gp_client: Client) -> None:
    draft = ReferralFactory(gp=gp)
    assert other_gp_client.get(_discard_url(draft)).status_code == 404
    assert other_gp_client.post(_discard_url(draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert AccessLog.objects.filter(what="referral.discard", outcome="refused").exists()


def test_the_draft_form_and_page_offer_to_delete_it(gp_client: Client) -> None:
    draft = _draft_with_a_file(gp_client)
    edit = gp_client.get(reverse("referrals:gp_referral_edit", args=[draft.pk])).content.decode()
    detail = gp_client.get(reverse("referrals:gp_referral_detail", args=[draft.pk]))
    assert _discard_url(draft) in edit
    assert _discard_url(draft) in detail.content.decode()
    assert _withdraw_url(draft) not in detail.content.decode()


# --- Withdrawing a referral sent to the clinic ------------------------------------------------


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.INFO_REQUESTED, Status.ACCEPTED])
def test_the_gp_withdraws_a_referral_with_a_reason_the_clinic_reads(
    gp: User, gp_client: Client, radiologist_client: Client, status: str
) -> None:
    referral = submitted_referral(gp=gp, status=status)
    detail_url = reverse("referrals:gp_referral_detail", args=[referral.pk])
    assert _withdraw_url(referral) in gp_client.get(detail_url).content.decode()

    response = gp_client.post(
        _withdraw_url(referral), {"reason": "La patiente a été opérée ailleurs."}, follow=True
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == detail_url
    assert f"Demande n° {referral.pk} annulée : la clinique en est informée." in page
    assert "Demande annulée par le médecin adresseur" in page
    assert "La patiente a été opérée ailleurs." in page
    referral.refresh_from_db()
    assert referral.status == Status.CANCELLED
    event = referral.events.get(action="referral.withdrawn")
    assert event.data == {"reason": "La patiente a été opérée ailleurs.", "from": status}
    assert event.actor == gp
    clinic = radiologist_client.get(reverse("referrals:radiology_referral", args=[referral.pk]))
    assert "Motif :</span> La patiente a été opérée ailleurs." in clinic.content.decode()
    to_review = radiologist_client.get(reverse("home_radiologist")).content.decode()
    assert reverse("referrals:radiology_referral", args=[referral.pk]) not in to_review


def test_a_withdrawal_needs_a_reason_and_keeps_the_page(gp: User, gp_client: Client) -> None:
    referral = submitted_referral(gp=gp)
    response = gp_client.post(_withdraw_url(referral), {"reason": "   "})
    assert response.status_code == 200
    assert "Indiquez le motif de l’annulation" in response.content.decode()
    too_long = gp_client.post(_withdraw_url(referral), {"reason": "x" * 1001})
    page = too_long.content.decode()
    assert "Le motif est trop long : 1000 caractères au plus (il en a 1001)." in page
    assert "x" * 1001 in page  # what was typed comes back
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED


def test_a_booked_referral_is_cancelled_by_the_secretariat(
    gp: User, gp_client: Client, settings: Any
) -> None:
    settings.CLINIC_PHONE = "01 23 45 67 89"
    referral = submitted_referral(gp=gp, status=Status.SCHEDULED)
    detail = gp_client.get(reverse("referrals:gp_referral_detail", args=[referral.pk]))
    hint = "pour l’annuler, appelez le secrétariat de la clinique au 01 23 45 67 89"
    assert hint in detail.content.decode()
    assert _withdraw_url(referral) not in detail.content.decode()
    response = gp_client.post(_withdraw_url(referral), {"reason": "Renonce."}, follow=True)
    assert hint in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.SCHEDULED
    assert not referral.events.filter(action="referral.withdrawn").exists()


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (Status.DONE, "Cette demande est « Geste réalisé » : elle ne peut plus être annulée."),
        (Status.DECLINED, "« Indication refusée » : elle ne peut plus être annulée."),
        (Status.CANCELLED, "Cette demande est déjà annulée."),
    ],
)
def test_a_closed_referral_cannot_be_withdrawn(
    gp: User, gp_client: Client, status: str, said: str
) -> None:
    referral = submitted_referral(gp=gp, status=status)
    response = gp_client.post(_withdraw_url(referral), {"reason": "Renonce."}, follow=True)
    assert said in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == status


def test_only_the_referring_gp_withdraws(
    gp: User, other_gp_client: Client, radiologist_client: Client
) -> None:
    referral = submitted_referral(gp=gp)
    assert other_gp_client.post(_withdraw_url(referral), {"reason": "x"}).status_code == 404
    assert radiologist_client.post(_withdraw_url(referral), {"reason": "x"}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED


def test_an_english_reader_withdraws_in_english(gp: User, gp_client: Client) -> None:
    referral = submitted_referral(gp=gp)
    gp_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = gp_client.get(_withdraw_url(referral)).content.decode()
    assert "Withdraw the referral" in page and "The clinic will read this reason" in page
    response = gp_client.post(_withdraw_url(referral), {"reason": "Better."}, follow=True)
    assert f"Referral no. {referral.pk} withdrawn: the clinic has been told." in (
        response.content.decode()
    )


def test_an_examination_booked_at_the_centre_is_cancelled_by_the_secretariat_first(
    gp: User, gp_client: Client, secretary: User, settings: Any
) -> None:
    settings.CLINIC_PHONE = "01 23 45 67 89"
    referral = submitted_referral(gp=gp, mri_available=False)
    exam = imaging_appointment_create(
        referral=referral,
        modality="mri",
        at=timezone.now() + timedelta(days=5),
        place="IRM",
        by=secretary,
    )
    detail_url = reverse("referrals:gp_referral_detail", args=[referral.pk])
    detail = gp_client.get(detail_url).content.decode()
    said = "Un examen d’imagerie est programmé au centre pour ce patient (IRM, le "
    assert said in detail and "appelez d’abord le secrétariat" in detail
    assert _withdraw_url(referral) not in detail
    refused = gp_client.post(_withdraw_url(referral), {"reason": "Renonce."}, follow=True)
    assert said in refused.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED

    imaging_appointment_cancel(appointment=exam, reason="Demande du médecin", by=secretary)
    gp_client.post(_withdraw_url(referral), {"reason": "Renonce."})
    referral.refresh_from_db()
    assert referral.status == Status.CANCELLED


def test_a_withdrawn_referral_says_so_at_the_top_not_that_it_waits(
    gp: User, gp_client: Client, radiologist: User, radiologist_client: Client
) -> None:
    referral = submitted_referral(gp=gp)
    request_information(
        referral=referral, by=radiologist, message_to_gp="Date de l'IRM ?", notify_gp=False
    )
    gp_client.post(_withdraw_url(referral), {"reason": "Pris en charge ailleurs."})

    page = gp_client.get(reverse("referrals:gp_referral_detail", args=[referral.pk]))
    html = page.content.decode()
    assert "Vous avez annulé cette demande le" in html
    assert "La demande a été annulée avant l’avis du radiologue." in html
    assert "Vous avez renvoyé la demande complétée" not in html
    assert "Prochaine étape" not in html
    clinic = radiologist_client.get(reverse("referrals:radiology_referral", args=[referral.pk]))
    assert "jours restants" not in clinic.content.decode()  # no window left to race
    tab = radiologist_client.get(reverse("home_radiologist"), {"status": Status.CANCELLED})
    row = tab.content.decode().split(f"demande n° {referral.pk}")[1].split("</tr>")[0]
    assert "Annulée" in row and radiologist.display_name not in row
