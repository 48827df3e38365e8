"""A GP fills a two-level referral with an upload, watches the live verdict, submits it and finds
it on their home page (real Chromium)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from referrals.choices import DecisionKind, Status
from referrals.models import Decision, Referral
from referrals.services.submission import referral_submit
from tests.e2e.conftest import login, screenshot
from tests.factories import (
    TEST_PASSWORD,
    FractureLevelFactory,
    PatientFactory,
    ReferralFactory,
    fictional_nir,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _verdict(page: object) -> str:
    return page.locator("#verdict-panel .verdict-label").inner_text()  # type: ignore[attr-defined]


def test_gp_fills_a_two_level_referral_sees_the_verdict_change_and_submits(
    page: object, gp: object
) -> None:
    today = timezone.localdate()
    login(page, "dr-gp", TEST_PASSWORD)
    page.get_by_role("link", name="Nouvelle demande").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/medecin/demandes/nouvelle/")  # type: ignore[attr-defined]
    assert "Indiquez au moins un niveau" in page.locator("#verdict-panel").inner_text()  # type: ignore[attr-defined]

    # Patient
    page.get_by_label("Nom de naissance").fill("Rousseau")  # type: ignore[attr-defined]
    page.get_by_label("Prénoms").fill("Jeanne Marie")  # type: ignore[attr-defined]
    page.get_by_label("Date de naissance").fill("1941-03-02")  # type: ignore[attr-defined]
    page.get_by_label("Femme").check()  # type: ignore[attr-defined]
    page.get_by_label("NIR (n° de sécurité sociale)").fill(fictional_nir("F", 1941, 3, 7))  # type: ignore[attr-defined]
    page.get_by_label("Téléphone").fill("06 12 34 56 78")  # type: ignore[attr-defined]

    # First level; the sacral pattern only shows for the sacrum.
    sacral = page.locator("#id_levels-0-sacral_pattern")  # type: ignore[attr-defined]
    page.select_option("#id_levels-0-level", "S")  # type: ignore[attr-defined]
    assert sacral.is_visible()
    page.select_option("#id_levels-0-level", "L1")  # type: ignore[attr-defined]
    assert not sacral.is_visible()
    page.fill("#id_levels-0-fracture_date", (today - timedelta(days=10)).isoformat())  # type: ignore[attr-defined]
    page.select_option("#id_levels-0-cause", "trauma")  # type: ignore[attr-defined]
    page.select_option("#id_levels-0-mri_oedema", "true")  # type: ignore[attr-defined]

    # Second level, added with htmx.
    page.get_by_role("button", name="Ajouter un niveau").click()  # type: ignore[attr-defined]
    page.wait_for_selector("#id_levels-1-level")  # type: ignore[attr-defined]
    page.select_option("#id_levels-1-level", "T12")  # type: ignore[attr-defined]
    page.fill("#id_levels-1-fracture_date", (today - timedelta(days=12)).isoformat())  # type: ignore[attr-defined]
    page.select_option("#id_levels-1-mri_oedema", "true")  # type: ignore[attr-defined]

    # Imaging, pain, an MRI report.
    page.get_by_label("Scanner du rachis réalisé").check()  # type: ignore[attr-defined]
    page.get_by_label("IRM du rachis réalisée").check()  # type: ignore[attr-defined]
    page.select_option("#id_facts-pain_nrs", "8")  # type: ignore[attr-defined]
    page.get_by_label("Échec des antalgiques").check()  # type: ignore[attr-defined]
    page.set_input_files(  # type: ignore[attr-defined]
        "#id_files-mri_report",
        files=[{"name": "irm-rachis.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )

    panel = page.locator("#verdict-panel")  # type: ignore[attr-defined]
    panel.locator(".verdict-label", has_text="Indication probable — délai idéal").wait_for()
    assert "T12, L1" in panel.inner_text()
    screenshot(page, "gp-referral-form-ideal")

    # Ticking the posterior arch of L1 turns the verdict into a surgical referral, live.
    arch = page.locator("#id_levels-0-posterior_arch_involved")  # type: ignore[attr-defined]
    arch.check()
    panel.locator(".verdict-label", has_text="Orientation chirurgicale").wait_for()
    assert _verdict(page) == "Orientation chirurgicale"
    status = page.locator("#verdict-status").inner_text()  # type: ignore[attr-defined]
    assert status == "Avis du moteur : Orientation chirurgicale"  # what a screen reader hears
    assert "Avis chirurgical : stabilisation du rachis" in panel.inner_text()
    # Nothing typed was lost, and the focus stayed on the box just ticked.
    assert page.input_value("#id_patient-birth_name") == "Rousseau"  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.id") == "id_levels-0-posterior_arch_involved"  # type: ignore[attr-defined]
    screenshot(page, "gp-referral-form-surgical")

    page.get_by_role("button", name="Adresser la demande").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/medecin/demandes/*/")  # type: ignore[attr-defined]
    main = page.locator("main")  # type: ignore[attr-defined]
    assert "Demande adressée à la clinique" in main.inner_text()
    assert "irm-rachis.pdf" in main.inner_text()
    screenshot(page, "gp-referral-detail")

    referral = Referral.objects.get()
    assert referral.status == "submitted"
    assert referral.verdict == "surgical_referral"
    assert sorted(lv.level for lv in referral.levels.all()) == ["L1", "T12"]

    page.get_by_role("link", name="Mes demandes").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/medecin/")  # type: ignore[attr-defined]
    row = page.locator("table.gp-referrals tbody tr").filter(has_text="ROUSSEAU Jeanne Marie")  # type: ignore[attr-defined]
    assert "Orientation chirurgicale" in row.inner_text()
    assert "Adressée, en attente d’avis" in row.inner_text()
    screenshot(page, "gp-home-with-referral")


def test_a_form_with_errors_comes_back_with_everything_typed(page: object, gp: object) -> None:
    login(page, "dr-gp", TEST_PASSWORD)
    page.goto(f"{page.base_url}/medecin/demandes/nouvelle/")  # type: ignore[attr-defined]
    page.get_by_label("Nom de naissance").fill("Rousseau")  # type: ignore[attr-defined]
    page.get_by_label("NIR (n° de sécurité sociale)").fill("241039999900799")  # type: ignore[attr-defined]
    page.select_option("#id_levels-0-level", "L1")  # type: ignore[attr-defined]
    page.set_input_files(  # type: ignore[attr-defined]
        "#id_files-ct_report",
        files=[{"name": "scanner.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name="Adresser la demande").click()  # type: ignore[attr-defined]
    summary = page.locator("#error-summary")  # type: ignore[attr-defined]
    summary.wait_for()
    assert "La clé du NIR" in summary.inner_text()
    assert "Indiquez le ou les prénoms" in summary.inner_text()
    assert page.input_value("#id_patient-birth_name") == "Rousseau"  # type: ignore[attr-defined]
    assert page.input_value("#id_levels-0-level") == "L1"  # type: ignore[attr-defined]
    assert "scanner.pdf" in page.locator(".attachment-list").inner_text()  # type: ignore[attr-defined]
    screenshot(page, "gp-referral-form-errors")


def test_gp_answers_a_request_for_information_and_resubmits(
    page: object, gp: object, radiologist: object
) -> None:
    referral = ReferralFactory(
        gp=gp, patient=PatientFactory(birth_name="Garnier", first_names="Lucienne"),
        mri_available=False,
    )  # fmt: skip
    FractureLevelFactory(referral=referral, level="T12", mri_oedema=None)
    referral = referral_submit(referral=referral, by=gp)  # type: ignore[arg-type]
    snapshot = referral.snapshots.get()
    decision = Decision.objects.create(
        referral=referral,
        kind=DecisionKind.REQUEST_INFORMATION,
        radiologist=radiologist,
        decided_at=timezone.now(),
        ruleset_version=snapshot.ruleset_version,
        engine_verdict=snapshot.verdict,
        facts=snapshot.facts,
        engine_output=snapshot.output,
        message_to_gp="L'IRM a-t-elle été faite ? Merci de joindre son compte rendu.",
    )
    referral.status = Status.INFO_REQUESTED
    referral.current_decision = decision
    referral.save(update_fields=["status", "current_decision"])

    login(page, "dr-gp", TEST_PASSWORD)
    page.wait_for_url("**/medecin/")  # type: ignore[attr-defined]
    assert "Le radiologue attend votre réponse" in page.locator("main").inner_text()  # type: ignore[attr-defined]
    screenshot(page, "gp-home-information-requested")
    page.get_by_role("link", name="GARNIER Lucienne").first.click()  # type: ignore[attr-defined]
    page.get_by_role("link", name="Répondre, compléter et renvoyer").click()  # type: ignore[attr-defined]
    assert "L'IRM a-t-elle été faite ?" in page.locator(".question-callout").inner_text()  # type: ignore[attr-defined]

    page.get_by_label("IRM du rachis réalisée").check()  # type: ignore[attr-defined]
    page.select_option("#id_levels-0-mri_oedema", "true")  # type: ignore[attr-defined]
    panel = page.locator("#verdict-panel")  # type: ignore[attr-defined]
    panel.locator(".verdict-label", has_text="Indication probable — délai idéal").wait_for()
    page.get_by_label("Votre réponse au radiologue").fill("IRM faite hier, compte rendu joint.")  # type: ignore[attr-defined]
    page.set_input_files(  # type: ignore[attr-defined]
        "#id_files-mri_report",
        files=[{"name": "irm.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    screenshot(page, "gp-referral-resubmit-form")
    page.get_by_role("button", name="Renvoyer la demande complétée").click()  # type: ignore[attr-defined]
    main = page.locator("main")  # type: ignore[attr-defined]
    main.get_by_text("Demande complétée et renvoyée au radiologue.").wait_for()
    assert "IRM faite hier, compte rendu joint." in main.inner_text()
    assert "Données cliniques modifiées, éligibilité recalculée" in main.inner_text()
    screenshot(page, "gp-referral-resubmitted")
    referral.refresh_from_db()
    assert referral.status == "submitted" and referral.verdict == "eligible_ideal"
