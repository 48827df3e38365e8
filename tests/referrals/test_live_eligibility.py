"""The live panel: while the GP types, the engine's verdict, findings and what is missing, from
the form as typed, without saving anything."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from referrals.models import Patient, Referral, TimelineEvent
from tests.referrals.form_data import level, referral_data

PREVIEW = reverse("referrals:gp_referral_preview")


def _panel(client: Client, **overrides: object) -> str:
    data = referral_data(**overrides)  # type: ignore[arg-type]
    response = client.post(PREVIEW, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def test_the_panel_shows_the_verdict_findings_and_target_date(gp_client: Client) -> None:
    panel = _panel(gp_client)
    assert "<html" not in panel  # a fragment for htmx, not a page
    assert "Indication probable — délai idéal" in panel
    assert "B-AGE-IDEAL" in panel and "B-LEVEL-SPINE" in panel
    assert "Source" in panel
    assert "À traiter avant le" in panel


def test_ticking_the_posterior_arch_turns_it_into_a_surgical_referral(gp_client: Client) -> None:
    panel = _panel(gp_client, levels=[level(0, "L1", posterior_arch_involved="on")])
    assert 'data-verdict="surgical_referral"' in panel
    assert "Orientation chirurgicale" in panel
    assert "B-ARCH" in panel
    assert "Avis chirurgical : stabilisation du rachis" in panel


def test_a_missing_mri_says_the_centre_can_do_it(gp_client: Client) -> None:
    panel = _panel(gp_client, facts__mri_available=None)
    assert "Dossier incomplet" in panel
    assert "À compléter" in panel
    assert "IRM manquante : le centre peut la réaliser" in panel


def test_without_any_level_the_panel_says_what_it_needs(gp_client: Client) -> None:
    panel = _panel(gp_client, levels=[])
    assert "Indiquez au moins un niveau fracturé" in panel


def test_invalid_values_are_left_out_and_said_so(gp_client: Client) -> None:
    # Oedema not stated: an undated level is incomplete (with oedema, 2027.1 sends it to the
    # radiologist instead: B-AGE-UNKNOWN-OEDEMA).
    row = level(0, "L1", days_ago=None, fracture_date="31/02/2026", mri_oedema="unknown")
    panel = _panel(gp_client, levels=[row])
    assert "Dossier incomplet" in panel  # the date is unknown to the engine
    assert "Préciser la date de la fracture" in panel
    assert "Certaines valeurs saisies ne sont pas valides" in panel


def test_a_removed_row_does_not_count(gp_client: Client) -> None:
    rows = [level(0, "L1"), level(1, "T12", posterior_arch_involved="on", DELETE="on")]
    assert "Indication probable — délai idéal" in _panel(gp_client, levels=rows)


def test_medication_gives_next_steps(gp_client: Client) -> None:
    panel = _panel(gp_client, facts__antithrombotics=["vka", "clopidogrel"])
    assert "À prévoir" in panel
    assert "Arrêter l&#x27;AVK" in panel
    assert "Arrêter le clopidogrel (Plavix) si possible" in panel


def test_the_preview_saves_nothing(gp_client: Client) -> None:
    _panel(gp_client)
    assert not Referral.objects.exists()
    assert not Patient.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_the_form_posts_to_the_preview_on_change_and_targets_only_the_panel(
    gp_client: Client,
) -> None:
    page = gp_client.get(reverse("referrals:gp_referral_new")).content.decode()
    assert f'data-hx-post="{PREVIEW}"' in page
    assert 'data-hx-trigger="change, keyup delay:500ms"' in page
    assert 'data-hx-target="#verdict-panel"' in page
    assert 'data-hx-params="not files-ct_report,files-mri_report,files-letter,files-other"' in page
    assert 'id="verdict-status" class="visually-hidden" role="status" aria-live="polite"' in page


def test_screen_readers_hear_the_verdict_only_when_it_changes(gp_client: Client) -> None:
    changed = _panel(gp_client, shown_verdict="incomplete")
    assert 'data-hx-swap-oob="innerHTML:#verdict-status">Avis du moteur : Indication probable' in changed
    assert 'name="shown_verdict" value="eligible_ideal"' in changed
    same = _panel(gp_client, shown_verdict="eligible_ideal")
    assert "verdict-status" not in same


def test_adding_a_level_row_numbers_it_after_the_existing_ones(gp_client: Client) -> None:
    url = reverse("referrals:gp_level_row")
    fragment = gp_client.get(url, {"levels-TOTAL_FORMS": "2"}).content.decode()
    assert 'name="levels-2-level"' in fragment
    assert "Niveau n° 3" in fragment
    assert 'id="id_levels-TOTAL_FORMS" data-hx-swap-oob="true"' in fragment
    assert 'value="3"' in fragment
    assert gp_client.get(url, {"levels-TOTAL_FORMS": "25"}).status_code == 204


def test_the_draft_page_shows_the_verdict_of_what_was_saved(gp_client: Client) -> None:
    gp_client.post(reverse("referrals:gp_referral_new"), referral_data(action="save"))
    referral = Referral.objects.get()
    page = gp_client.get(reverse("referrals:gp_referral_edit", args=[referral.pk]))
    assert "Indication probable — délai idéal" in page.content.decode()


def test_dabigatran_with_low_clearance_shows_the_last_dose_and_why_the_ideal_window_is_missed(
    gp_client: Client,
) -> None:
    panel = _panel(
        gp_client,
        levels=[level(0, "L1", days_ago=18)],
        facts__antithrombotics="dabigatran",
        facts__creatinine_clearance="40",
    )
    assert "Dabigatran (Pradaxa)" in panel
    assert "dernière prise J−5" in panel and "reprise J+2" in panel
    assert "verdict-ideal-missed" in panel and "B-IDEAL-MISSED" in panel
    assert "Indication probable — délai idéal" not in panel


def test_the_panel_shows_the_continue_clopidogrel_option(gp_client: Client) -> None:
    panel = _panel(
        gp_client, levels=[level(0, "L1", days_ago=18)], facts__antithrombotics="clopidogrel"
    )
    assert "Poursuivre le clopidogrel (Plavix) pour traiter plus tôt" in panel
    assert "Le radiologue en décidera" in panel


def test_a_neurological_deficit_is_marked_urgent(gp_client: Client) -> None:
    panel = _panel(gp_client, facts__neurological_deficit="on")
    assert "verdict-urgent" in panel
