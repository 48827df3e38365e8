"""The radiologist's journey: open the most urgent referral, accept it, download the report."""

from __future__ import annotations

from pathlib import Path

from referrals.choices import Status
from referrals.models import Referral
from tests.e2e.conftest import login, screenshot
from tests.factories import TEST_PASSWORD
from tests.referrals.radiology import submitted_referral


def test_radiologist_accepts_the_most_urgent_referral_and_downloads_the_report(
    page: object, radiologist: object, gp: object, tmp_path: Path
) -> None:
    submitted_referral(
        gp=gp, patient={"birth_name": "LOINTAIN", "first_names": "Paul"},
        levels=[{"level": "L3", "age": 60}],
    )  # fmt: skip
    urgent = submitted_referral(
        gp=gp,
        patient={"birth_name": "URGENTE", "first_names": "Marie"},
        levels=[{"level": "T12", "age": 19}, {"level": "L1", "age": 19}],
        antithrombotics=["vka"],
        clinical_note="Chute dans l'escalier.\nDouleur invalidante.",
    )
    submitted_referral(
        gp=gp, patient={"birth_name": "RECENTE", "first_names": "Anne"},
        levels=[{"level": "L2", "age": 3, "posterior_wall_involved": True}],
    )  # fmt: skip

    login(page, radiologist.username, TEST_PASSWORD)  # type: ignore[attr-defined]
    page.wait_for_url("**/radiologie/")  # type: ignore[attr-defined]
    first_row = page.locator("table.worklist tbody tr").first  # type: ignore[attr-defined]
    assert "URGENTE Marie" in first_row.inner_text()
    assert "2 jours" in first_row.inner_text()
    screenshot(page, "radiologist-worklist")

    first_row.get_by_role("link", name="URGENTE Marie").click()
    page.wait_for_url(f"**/radiologie/demandes/{urgent.pk}/")  # type: ignore[attr-defined]
    main = page.locator("main")  # type: ignore[attr-defined]
    # 19 days old, VKA (last dose J−6, 2027.1): the ideal window closes before the first
    # possible day, and the page says why.
    assert "B-IDEAL-MISSED" in main.inner_text()
    assert "Niveau T12" in main.inner_text()
    screenshot(page, "radiologist-referral")

    page.get_by_role("link", name="Accepter", exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_url(f"**/radiologie/demandes/{urgent.pk}/accepter/")  # type: ignore[attr-defined]
    assert page.get_by_role("checkbox", name="T12").is_checked()  # type: ignore[attr-defined]
    assert page.get_by_role("checkbox", name="L1").is_checked()  # type: ignore[attr-defined]
    page.get_by_label("Hospitalisation d’une nuit").check()  # type: ignore[attr-defined]
    screenshot(page, "radiologist-accept-form")
    page.get_by_role("button", name="Enregistrer la décision").click()  # type: ignore[attr-defined]

    page.wait_for_url(f"**/radiologie/demandes/{urgent.pk}/")  # type: ignore[attr-defined]
    assert "Indication acceptée. Le médecin est prévenu" in main.inner_text()
    screenshot(page, "radiologist-accepted")
    urgent.refresh_from_db()
    assert urgent.status == Status.ACCEPTED
    assert urgent.current_decision is not None
    assert urgent.current_decision.stay == "overnight"

    with page.expect_download() as download_info:  # type: ignore[attr-defined]
        page.get_by_role("link", name="Rapport d’indication (PDF)").click()  # type: ignore[attr-defined]
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert download.suggested_filename == f"rapport-indication-demande-{urgent.pk}.pdf"
    assert target.read_bytes().startswith(b"%PDF")

    page.goto(f"{page.base_url}/radiologie/")  # type: ignore[attr-defined]
    assert "URGENTE" not in page.locator("table.worklist").inner_text()  # type: ignore[attr-defined]
    assert Referral.objects.filter(status=Status.SUBMITTED).count() == 2
