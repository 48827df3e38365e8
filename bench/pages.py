"""List pages and the referral submission, through Django's test client in this process: the
time of a request is the server's time (middleware, view, queries, template), without the
network or an HTTP parser."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.report import Row
from bench.timing import interleaved, median, p95
from bench.volume import VOLUME_PREFIX, NirAllocator
from clinic.models import Role, User
from referrals.models import EligibilitySnapshot, Patient

RADIOLOGIST = f"{VOLUME_PREFIX}radio-1"
SECRETARY = f"{VOLUME_PREFIX}sec-1"
# The radiologist's working list (to review) filtered by engine verdict and level; and the
# largest tab, years of closed referrals, with every filter the worklist offers.
FILTERED = {"verdict": "eligible_ideal", "level": "L1"}
HISTORY = {"status": "done", "verdict": "eligible", "level": "L1"}
# The empty page in the product's layout (bench/baseline.py): what any page costs at least.
LAYOUT = "layout"
# List pages at the large volume: server time only. The ratio to the bare view is printed for
# information only (docs/performance.md, « Targets »).
LIST_TARGET_MS = 50.0
SUBMIT_TARGET_MS = 150.0


class BenchError(Exception):
    """A page did not answer as it should: the figures would be meaningless."""


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(
        User.objects.get(username=username), backend="clinic.backends.ClinicModelBackend"
    )
    return client


def fetch(client: Client, url: str, params: dict[str, str] | None = None) -> HttpResponseBase:
    response = client.get(url, params or {})
    if response.status_code != 200:
        raise BenchError(f"GET {url} {params or ''} answered {response.status_code}")
    return response


@dataclass
class Timed:
    """Medians and p95 of one page and of its baseline, in milliseconds."""

    median: float
    p95: float
    base_median: float
    base_p95: float
    runs: int


def _timed(times: dict[str, list[float]], page: str, base: str) -> Timed:
    ms = {name: [t * 1000 for t in values] for name, values in times.items()}
    return Timed(median(ms[page]), p95(ms[page]), median(ms[base]), p95(ms[base]), len(ms[page]))


def gps_to_measure() -> list[tuple[str, str, int]]:
    """(label, username, referral count) of the GP with the most referrals and a typical GP:
    the median count among the GPs whose home fills its first page, so that the step from the
    small database compares the same page (at 1,000 referrals the median GP has 3, at 100,000
    several hundred: rows, not history)."""
    from referrals.pages.gp_home import PAGE_SIZE

    counts = list(
        User.objects.filter(username__startswith=VOLUME_PREFIX, role=Role.GP)
        .annotate(n=Count("referrals"))
        .order_by("-n", "username")
        .values_list("username", "n")
    )
    full = [c for c in counts if c[1] >= PAGE_SIZE] or counts
    top, typical = counts[0], full[len(full) // 2]
    return [("GP with the most referrals", *top), ("typical GP", *typical)]


def typical_gps(count: int) -> list[str]:
    """`count` GPs around the median number of referrals (they post the bench's referrals)."""
    usernames = list(
        User.objects.filter(username__startswith=VOLUME_PREFIX, role=Role.GP)
        .annotate(n=Count("referrals"))
        .order_by("-n", "username")
        .values_list("username", flat=True)
    )
    middle = len(usernames) // 2
    return usernames[middle : middle + count]


def step_row(figure: str, small: Timed, large: Timed, limit: float) -> Row:
    """How much the page's time grew from the small to the large database (x)."""
    growth = large.median / small.median
    return Row(
        figure,
        growth,
        large.p95 / small.p95,
        "x",
        via="client",
        target=f"median <= {limit}x",
        met=growth <= limit,
        runs=large.runs,
    )


def referral_form(rng: random.Random, nir: str, birth: Any, sex: str) -> dict[str, str]:
    """What the GP's browser posts to submit a complete one-level referral (the form's own field
    names, as tests/referrals/form_data.py)."""
    fracture = timezone.localdate() - timedelta(days=rng.randint(3, 40))
    return {
        "action": "submit",
        "patient-birth_name": rng.choice(("Rousseau", "Lambert", "Girard", "Bonnet", "Mercier")),
        "patient-first_names": "Jeanne Marie" if sex == "F" else "Louis",
        "patient-birth_date": birth.isoformat(),
        "patient-sex": sex,
        "patient-nir": nir,
        "patient-phone": "06 12 34 56 78",
        "patient-email": "patient@example.invalid",
        "patient-address": "10 rue Imaginaire, 75005 Paris",
        "levels-TOTAL_FORMS": "1",
        "levels-INITIAL_FORMS": "0",
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "25",
        "levels-0-level": rng.choice(("T12", "L1", "L2")),
        "levels-0-fracture_date": fracture.isoformat(),
        "levels-0-cause": "trauma",
        "levels-0-mri_oedema": "true",
        "facts-ct_available": "on",
        "facts-mri_available": "on",
        "facts-pain_nrs": "8",
        "facts-analgesics_failed": "on",
        "facts-anaesthesia": "local",
        "facts-clinical_note": "Chute dans sa cuisine.",
    }


class Submitter:
    """Posts new, distinct referrals (a new patient each time, fictional NIR), as the given GPs in
    turn: one GP alone would soon meet the form's rate limit (30 saves in 10 minutes)."""

    def __init__(self, usernames: list[str]) -> None:
        self.clients = itertools.cycle([logged_in(username) for username in usernames])
        self.url = reverse("referrals:gp_referral_new")
        self.rng = random.Random(8)  # noqa: S311 (fiction)
        self.nirs = NirAllocator(
            Patient.objects.filter(nir__contains="99999").values_list("nir", flat=True)
        )

    def next_form(self) -> dict[str, str]:
        sex = "F" if self.rng.random() < 0.75 else "M"
        nir = None
        while nir is None:
            birth = timezone.localdate() - timedelta(days=self.rng.randint(60 * 365, 95 * 365))
            nir = self.nirs.allocate(sex, birth)
        return referral_form(self.rng, nir, birth, sex)

    def post(self) -> None:
        response = next(self.clients).post(self.url, self.next_form())
        if response.status_code != 302 or "/medecin/demandes/" not in response["Location"]:
            raise BenchError(f"referral submission answered {response.status_code}")


def submission(submitter: Submitter, *, runs: int) -> Row:
    before = EligibilitySnapshot.objects.count()
    times = interleaved({"submit": submitter.post}, runs=runs)
    ms = [t * 1000 for t in times["submit"]]
    stored = EligibilitySnapshot.objects.count() - before
    if stored != len(ms) + 3:  # the warm-up posts count too
        raise BenchError(f"{len(ms) + 3} submissions stored {stored} decision snapshots")
    return Row(
        "referral submission (form post to stored decision)",
        median(ms),
        p95(ms),
        "ms",
        via="client",
        target=f"p95 <= {SUBMIT_TARGET_MS:.0f} ms",
        met=p95(ms) <= SUBMIT_TARGET_MS,
        runs=len(ms),
    )
