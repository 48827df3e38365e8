"""Checks on what a GP types or uploads that several places share (forms, services, demo data).

Every message says in French what is wrong and how to fix it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.fr import nir as stdnum_nir

# Content types accepted for attachments, as recognised from the file's first bytes.
ATTACHMENT_TYPES: dict[str, str] = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
MAX_AGE_YEARS = 130  # an older birth date is a typo (1041 for 1941), not a patient


def identity_key(value: str) -> str:
    """A name reduced for comparison: no accents, no case, hyphens and apostrophes as spaces
    ("Lefèvre-Dupont" and "LEFEVRE DUPONT" match)."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"[-'’`\s]+", " ", plain)
    return plain.casefold().strip()


def clean_nir(value: str) -> str:
    """The NIR without separators, checked with its key; raises ValidationError in French."""
    number = re.sub(r"[\s.\-]", "", value or "").upper()
    if not number:
        return ""
    try:
        if len(number) != 15 and re.fullmatch(r"[0-9AB]+", number):
            raise stdnum_errors.InvalidLength
        return str(stdnum_nir.validate(number))
    except stdnum_errors.InvalidLength:
        raise ValidationError(
            _(
                "Le NIR compte 15 caractères, clé comprise (vous en avez saisi %(count)d) : "
                "recopiez le numéro complet de la carte Vitale, avec sa clé de 2 chiffres."
            ),
            code="nir_length",
            params={"count": len(number)},
        ) from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _(
                "La clé du NIR (les 2 derniers chiffres) ne correspond pas au numéro : "
                "un chiffre a probablement été mal recopié. Vérifiez-le sur la carte Vitale "
                "ou l’attestation de droits."
            ),
            code="nir_key",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _(
                "Le NIR ne contient que des chiffres (et 2A ou 2B pour un patient né en Corse) : "
                "vérifiez la saisie."
            ),
            code="nir_format",
        ) from None


def nir_mismatches(number: str, *, sex: str, birth_date: date | None) -> list[str]:
    """What in a valid NIR contradicts the sex or birth date typed (empty when consistent).

    The NIR's first digit is the sex (1 man, 2 woman), then the year and month of birth. Temporary
    numbers (first digit 7 or 8) and unknown months (20 and above) are not compared."""
    problems: list[str] = []
    if not number:
        return problems
    sex_digit = number[0]
    if sex in ("M", "F") and sex_digit in ("1", "2") and {"1": "M", "2": "F"}[sex_digit] != sex:
        problems.append(
            _(
                "Le NIR commence par %(digit)s (%(nir_sex)s) alors que le sexe indiqué est "
                "%(sex)s : vérifiez le NIR ou le sexe."
            )
            % {
                "digit": sex_digit,
                "nir_sex": _("homme") if sex_digit == "1" else _("femme"),
                "sex": _("homme") if sex == "M" else _("femme"),
            }
        )
    if birth_date is not None:
        year, month = number[1:3], number[3:5]
        if year != f"{birth_date.year % 100:02d}":
            problems.append(
                _(
                    "Le NIR indique une naissance en %(year)s (chiffres 2 et 3) alors que la "
                    "date de naissance saisie est en %(typed)s : vérifiez le NIR ou la date."
                )
                % {"year": year, "typed": birth_date.year}
            )
        elif month.isdigit() and 1 <= int(month) <= 12 and int(month) != birth_date.month:
            problems.append(
                _(
                    "Le NIR indique un mois de naissance %(month)s (chiffres 4 et 5) différent "
                    "de la date de naissance saisie : vérifiez le NIR ou la date."
                )
                % {"month": month}
            )
    return problems


def clean_insee_code(value: str) -> str:
    code = (value or "").strip().upper()
    if code and not re.fullmatch(r"\d{5}|2[AB]\d{3}", code):
        raise ValidationError(
            _(
                "Le code INSEE du lieu de naissance compte 5 caractères (par exemple 75056 pour "
                "Paris, 2A004 pour Ajaccio, 99XXX pour un pays étranger). Laissez vide si vous "
                "ne le connaissez pas."
            ),
            code="insee",
        )
    return code


def clean_phone(value: str) -> str:
    """A French or international number, written "06 12 34 56 78" or "+44 20 7946 0000"."""
    raw = (value or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"[\s.\-/()]", "", raw)
    if digits.startswith("0033"):
        digits = "+33" + digits[4:]
    if re.fullmatch(r"\+33\d{9}", digits):
        digits = "0" + digits[3:]
    if re.fullmatch(r"0\d{9}", digits):
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    if re.fullmatch(r"\+\d{8,15}", digits):
        return digits
    raise ValidationError(
        _(
            "Numéro de téléphone non reconnu : saisissez 10 chiffres (06 12 34 56 78) ou un "
            "numéro international commençant par + (+32 2 123 45 67)."
        ),
        code="phone",
    )


def check_birth_date(value: date | None, *, today: date) -> None:
    if value is None:
        return
    if value > today:
        raise ValidationError(
            _("La date de naissance est dans le futur : vérifiez l’année."), code="future"
        )
    if today.year - value.year > MAX_AGE_YEARS:
        raise ValidationError(
            _(
                "La date de naissance indique plus de %(years)d ans : vérifiez l’année "
                "(par exemple 1941 et non 1041)."
            ),
            code="too_old",
            params={"years": MAX_AGE_YEARS},
        )


def check_past_date(value: date | None, *, today: date, what: str) -> None:
    """`what` names the date in the message ("du scanner", "de la fracture")."""
    if value is not None and value > today:
        raise ValidationError(
            _(
                "La date %(what)s ne peut pas être dans le futur (%(date)s) : indiquez une date "
                "passée ou laissez vide."
            ),
            code="future",
            params={"what": what, "date": value.strftime("%d/%m/%Y")},
        )
    if value is not None and value.year < today.year - MAX_AGE_YEARS:
        # Older than any patient: a typo (0001 for 2001), never an examination or a fracture.
        raise ValidationError(
            _("La date %(what)s est trop ancienne (%(date)s) : vérifiez l’année."),
            code="too_old",
            params={"what": what, "date": value.isoformat()},
        )


def file_size(size: int) -> str:
    """ "20 Mo", "2,5 Mo", "12 Ko": the units French users read (Django says Mio)."""
    if size >= 1024 * 1024:
        # Rounded up: a file just over the limit must not read as "20 Mo" beside "limit 20 Mo".
        value = math.ceil(size * 10 / (1024 * 1024)) / 10
        return _("%(n)s Mo") % {"n": number_format(value, 0 if value.is_integer() else 1)}
    return _("%(n)s Ko") % {"n": number_format(max(1, round(size / 1024)), 0)}


def attachment_content_type(upload: UploadedFile) -> str:
    """The upload's real type (PDF, JPEG or PNG), read from its content, after the size check.

    Raises ValidationError naming the file and what to do."""
    name = upload.name or _("sans nom")
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _(
                "« %(name)s » pèse %(size)s : la limite est de %(limit)s par fichier. "
                "Réduisez-le (numérisation en 150 ppp, PDF compressé) ou envoyez-le en "
                "plusieurs parties."
            ),
            code="too_big",
            params={"name": name, "size": file_size(upload.size), "limit": file_size(limit)},
        )
    if not upload.size:
        raise ValidationError(
            _("« %(name)s » est vide : choisissez à nouveau le fichier."),
            code="empty",
            params={"name": name},
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ATTACHMENT_TYPES:
        raise ValidationError(
            _(
                "« %(name)s » n’est ni un PDF, ni une image JPEG ou PNG (d’après son contenu, "
                "quelle que soit son extension). Enregistrez le document en PDF, ou photographiez-"
                "le en JPEG."
            ),
            code="type",
            params={"name": name},
        )
    return str(kind.mime)


def clean_original_name(name: str, content_type: str) -> str:
    """The name shown to users: no path, no control characters, the extension of the real type."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip() or "document"
    _stem, dot, ext = base.rpartition(".")
    expected = ATTACHMENT_TYPES.get(content_type, "")
    if not dot or f".{ext.lower()}" not in (expected, ".jpeg" if expected == ".jpg" else expected):
        base = f"{base}{expected}"
    return base[-255:]


def format_nir(value: str) -> str:
    """A stored NIR (15 characters, no spaces) grouped as printed on the carte Vitale, with
    no-break spaces so that it never wraps: « 2 41 03 07 123 456 12 ». Anything else unchanged."""
    compact = value.replace(" ", "")
    if len(compact) != 15:
        return value
    return stdnum_nir.format(compact, separator="\u00a0")
