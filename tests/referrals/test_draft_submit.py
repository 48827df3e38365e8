"""A GP saves an incomplete draft, then submits; errors say what to fix and keep what was typed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import User
from eligibility.engine import RULESET_VERSION
from referrals.models import EligibilitySnapshot, Referral
from tests.referrals.form_data import level, referral_data

NEW = reverse("referrals:gp_referral_new")


def test_gp_opens_an_empty_referral_form_with_every_section(gp_client: Client) -> None:
    page = gp_client.get(NEW).content.decode()
    for heading in (
        "Patient",
        "Fracture(s)",
        "Imagerie",
        "Douleur et traitements",
        "Contre-indications",
        "Anticoagulants, antiagrégants et biologie",
        "Anesthésie",
        "Pièces jointes",
        "Note clinique",
    ):
        assert heading in page
    assert 'value="local" id="id_facts-anaesthesia_0" checked' in " ".join(page.split())


def test_an_incomplete_draft_is_saved_and_comes_back_for_editing(
    gp_client: Client, gp: User
) -> None:
    data = {
        "action": "save",
        "patient-birth_name": "Rousseau",
        "levels-TOTAL_FORMS": "1",
        "levels-INITIAL_FORMS": "0",
        "levels-0-level": "T12",
    }
    response = gp_client.post(NEW, data)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:gp_referral_edit", args=[referral.pk])
    assert referral.status == "draft" and referral.gp == gp
    assert referral.patient.birth_name == "Rousseau"
    assert [lv.level for lv in referral.levels.all()] == ["T12"]
    assert not referral.snapshots.exists()  # drafts are not evaluated for the record
    page = gp_client.get(response["Location"]).content.decode()
    assert "Brouillon enregistré" in page
    assert 'value="Rousseau"' in page
    assert '<option value="T12" selected>' in page


def test_an_untouched_extra_level_row_does_not_block_a_draft(gp_client: Client) -> None:
    data = {"action": "save", "levels-TOTAL_FORMS": "1", "levels-INITIAL_FORMS": "0"}
    data |= {"levels-0-cause": "unknown", "levels-0-mri_oedema": "unknown"}
    assert gp_client.post(NEW, data).status_code == 302
    assert Referral.objects.get().levels.count() == 0


def test_submitting_stores_the_engines_decision_snapshot(gp_client: Client, gp: User) -> None:
    response = gp_client.post(NEW, referral_data())
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:gp_referral_detail", args=[referral.pk])
    assert referral.status == "submitted" and referral.submitted_at is not None
    assert referral.verdict == "eligible_ideal"
    snapshot = EligibilitySnapshot.objects.get(referral=referral)
    assert snapshot.reason == "submitted"
    assert snapshot.ruleset_version == RULESET_VERSION
    assert snapshot.facts["levels"][0]["level"] == "L1"
    assert snapshot.facts["pain"]["nrs"] == 8
    assert snapshot.output["verdict"] == "eligible_ideal" == snapshot.verdict
    actions = list(referral.events.values_list("action", flat=True))
    assert actions == ["referral.created", "referral.submitted"]
    page = gp_client.get(response["Location"]).content.decode()
    assert "Demande adressée à la clinique" in page
    assert "Indication probable — délai idéal" in page


def test_submitting_without_identity_or_level_names_each_missing_field(
    gp_client: Client,
) -> None:
    data = referral_data(
        levels=[], patient__first_names=None, patient__birth_date=None, patient__sex=None
    )
    response = gp_client.post(NEW, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert not Referral.objects.exists()
    assert "Indiquez le ou les prénoms du patient pour adresser la demande." in page
    assert "Indiquez la date de naissance du patient pour adresser la demande." in page
    assert "Indiquez le sexe du patient pour adresser la demande." in page
    assert "Indiquez au moins un niveau fracturé pour adresser la demande." in page
    # Everything typed comes back.
    assert 'value="Rousseau"' in page
    assert 'value="06 12 34 56 78"' in page
    assert "Chute dans sa cuisine." in page


def test_a_wrong_value_is_explained_and_the_rest_of_the_form_is_kept(gp_client: Client) -> None:
    data = referral_data(
        levels=[level(0, "L1"), level(1, "T12", days_ago=None, fracture_date="32/13/2026")],
        facts__pain_nrs="8",
    )
    page = gp_client.post(NEW, data).content.decode()
    assert not Referral.objects.exists()
    assert "Date non reconnue : saisissez-la sous la forme jj/mm/aaaa" in page
    assert 'value="32/13/2026"' in page
    assert '<option value="T12" selected>' in page
    assert '<option value="8" selected>' in page
    assert 'href="#id_levels-1-fracture_date"' in page  # the summary links to the field


def test_a_future_fracture_date_is_refused(gp_client: Client) -> None:
    data = referral_data(levels=[level(0, "L1", days_ago=-3)])
    page = gp_client.post(NEW, data).content.decode()
    assert "La date de la fracture ne peut pas être dans le futur" in page
    assert not Referral.objects.exists()


def test_the_same_level_twice_is_refused_with_a_hint(gp_client: Client) -> None:
    data = referral_data(levels=[level(0, "L1"), level(1, "L1", days_ago=3)])
    page = gp_client.post(NEW, data).content.decode()
    assert "Le niveau L1 est déjà indiqué (ligne 1)" in page
    assert not Referral.objects.exists()


def test_a_removed_level_row_is_not_saved(gp_client: Client) -> None:
    data = referral_data(levels=[level(0, "L1"), level(1, "T12", DELETE="on")])
    gp_client.post(NEW, data)
    assert [lv.level for lv in Referral.objects.get().levels.all()] == ["L1"]


def test_the_sacral_pattern_is_kept_only_for_the_sacrum(gp_client: Client) -> None:
    data = referral_data(
        levels=[level(0, "L1", sacral_pattern="H"), level(1, "S", sacral_pattern="H")]
    )
    gp_client.post(NEW, data)
    patterns = {lv.level: lv.sacral_pattern for lv in Referral.objects.get().levels.all()}
    assert patterns == {"L1": "", "S": "H"}


def test_an_exam_date_means_the_exam_was_done(gp_client: Client) -> None:
    data = referral_data(facts__mri_available=None, facts__mri_date="2026-01-05")
    gp_client.post(NEW, data)
    assert Referral.objects.get().mri_available is True


def test_pregnancy_for_a_man_is_refused(gp_client: Client) -> None:
    data = referral_data(patient__sex="M", patient__nir="141039999900167", facts__pregnant="on")
    page = gp_client.post(NEW, data).content.decode()
    assert "Grossesse cochée pour un patient de sexe masculin" in page


def test_a_draft_is_completed_then_submitted(gp_client: Client) -> None:
    gp_client.post(NEW, {"action": "save", "patient-birth_name": "Rousseau"} | _empty_levels())
    referral = Referral.objects.get()
    edit = reverse("referrals:gp_referral_edit", args=[referral.pk])
    gp_client.post(edit, referral_data())
    referral.refresh_from_db()
    assert referral.status == "submitted"
    assert referral.snapshots.count() == 1
    actions = list(referral.events.values_list("action", flat=True))
    assert actions == ["referral.created", "referral.draft_saved", "referral.submitted"]


def test_a_submitted_referral_is_no_longer_editable(gp_client: Client) -> None:
    gp_client.post(NEW, referral_data())
    referral = Referral.objects.get()
    edit = reverse("referrals:gp_referral_edit", args=[referral.pk])
    response = gp_client.post(edit, referral_data(patient__birth_name="Autre"), follow=True)
    assert "elle n’est plus modifiable" in response.content.decode()
    referral.refresh_from_db()
    assert referral.patient.birth_name == "Rousseau"


def test_posting_a_status_or_another_gp_changes_nothing(
    gp_client: Client, gp: User, other_gp: User
) -> None:
    data = referral_data(action="save", status="accepted", gp=str(other_gp.pk))
    data |= {"facts-status": "accepted", "facts-gp": str(other_gp.pk)}
    gp_client.post(NEW, data)
    referral = Referral.objects.get()
    assert referral.status == "draft"
    assert referral.gp == gp


def _empty_levels() -> dict[str, str]:
    return {"levels-TOTAL_FORMS": "0", "levels-INITIAL_FORMS": "0"}


def test_free_text_is_shown_as_text_never_run(gp_client: Client) -> None:
    script = "<script>alert(1)</script>{{ secret }}"
    gp_client.post(
        NEW,
        referral_data(
            patient__birth_name="Ro<b>sseau", patient__nir=None, facts__clinical_note=script
        ),
    )
    referral = Referral.objects.get()
    assert referral.clinical_note == script
    for url in (reverse("referrals:gp_referral_detail", args=[referral.pk]), reverse("home_gp")):
        page = gp_client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "<b>" not in page
    detail = gp_client.get(reverse("referrals:gp_referral_detail", args=[referral.pk]))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ secret }}" in detail.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "submit"},
        {"levels-TOTAL_FORMS": "abc", "levels-INITIAL_FORMS": "-1"},
        {"levels-TOTAL_FORMS": "1000", "levels-INITIAL_FORMS": "0", "levels-0-level": "X9"},
        {"facts-pain_nrs": "11", "facts-antithrombotics": "warfarin", "facts-anaesthesia": "?"},
        {"patient-birth_date": "02/03/41", "patient-sex": "Z", "patient-nir": "\x00"},
    ],
)
def test_odd_posts_get_a_clear_answer_not_a_crash(gp_client: Client, data: dict[str, str]) -> None:
    for url in (NEW, reverse("referrals:gp_referral_preview")):
        response = gp_client.post(url, data)
        assert response.status_code in (200, 302), url
    page = gp_client.post(NEW, data | {"action": "submit"}).content.decode()
    assert "La demande n’a pas été enregistrée" in page


def test_an_overlong_clinical_note_is_refused_and_kept(gp_client: Client) -> None:
    note = "douleur " * 700  # 5,600 characters
    page = gp_client.post(
        reverse("referrals:gp_referral_new"), referral_data() | {"facts-clinical_note": note}
    ).content.decode()
    assert "La note clinique est limitée à 5" in page
    assert "vous en avez saisi 5" in page
    assert not Referral.objects.filter(status="submitted").exists()
    assert note.strip()[:200] in page


def test_sending_the_same_patient_twice_asks_for_confirmation(gp_client: Client) -> None:
    gp_client.post(NEW, referral_data())
    first = Referral.objects.get(status="submitted")
    # The browser's Back button brings the filled form back; the GP sends it again.
    page = gp_client.post(NEW, referral_data()).content.decode()
    assert f"Vous avez déjà adressé une demande pour ce patient (n° {first.pk})" in page
    assert "Il s’agit bien d’une nouvelle demande pour ce patient" in page
    assert Referral.objects.filter(status="submitted").count() == 1
    # Confirmed, it is a new referral for the same patient.
    gp_client.post(NEW, referral_data() | {"facts-confirm_new_referral": "on"})
    submitted = Referral.objects.filter(status="submitted")
    assert submitted.count() == 2
    assert len({r.patient_id for r in submitted}) == 1
