"""The NIR is shown grouped as on the carte Vitale (« 2 41 03 99 999 123 45 »), on one line, on
pages and documents alike; it is stored and searched without spaces."""

from __future__ import annotations

from django.template import engines
from django.test import Client

from clinic.models import User
from referrals.fictional import fictional_nir
from referrals.validators import format_nir
from tests.factories import PatientFactory, ReferralFactory
from tests.reports.test_documents import _accepted, _report, pdf_text

NBSP = "\u00a0"


def test_a_nir_is_grouped_with_no_break_spaces() -> None:
    assert format_nir("241039999912345") == NBSP.join(["2", "41", "03", "99", "999", "123", "45"])
    assert format_nir("") == ""
    assert format_nir("12345") == "12345"  # not a NIR: as stored


def test_the_filter_formats_and_leaves_no_nir_empty() -> None:
    page = engines["django"].from_string("{% load patient_tags %}[{{ a|nir }}][{{ b|nir }}]")

    assert page.render({"a": "241039999912345", "b": None}) == (
        f"[2{NBSP}41{NBSP}03{NBSP}99{NBSP}999{NBSP}123{NBSP}45][]"
    )


def test_the_gp_reads_the_nir_grouped_on_the_referral(gp_client: Client, gp: User) -> None:
    nir = fictional_nir("F", 1941, 3, 7)
    referral = ReferralFactory(gp=gp, patient=PatientFactory(nir=nir))

    page = gp_client.get(f"/medecin/demandes/{referral.pk}/").content.decode()

    assert format_nir(nir) in page
    assert nir not in page


def test_the_indication_report_prints_the_nir_grouped(
    radiologist_client: Client, gp: User, radiologist: User
) -> None:
    referral = _accepted(gp, radiologist)
    nir = referral.patient.nir  # type: ignore[union-attr]
    assert nir

    text = pdf_text(_report(radiologist_client, referral))

    assert " ".join([nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13]]) in text.replace(
        NBSP, " "
    )
