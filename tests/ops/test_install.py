"""`make install` leaves no package of the venv itself with a known advisory: setuptools comes with
every venv (65.5.0 on Python 3.11) and is upgraded from the lock, with its hashes, like the rest."""

from __future__ import annotations

import re
from importlib.metadata import version

from packaging.version import Version

from tests.clinic.test_settings import ROOT

# CVE-2022-40897 (fixed in 65.5.1), CVE-2024-6345 (70.0.0), CVE-2025-47273 (78.1.1).
SETUPTOOLS_FIXED = Version("78.1.1")


def test_the_lock_pins_setuptools_past_its_advisories_with_hashes() -> None:
    lock = (ROOT / "requirements" / "lock.txt").read_text()
    pinned = re.search(r"^setuptools==(\S+) \\\n\s+--hash=sha256:", lock, re.MULTILINE)
    assert pinned is not None, "requirements/lock.txt does not pin setuptools (make lock)"
    assert Version(pinned[1]) >= SETUPTOOLS_FIXED


def test_the_installed_setuptools_is_past_its_advisories() -> None:
    assert Version(version("setuptools")) >= SETUPTOOLS_FIXED, "run make install"
