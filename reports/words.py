"""Words that fit the person a document is about, and durations as people say them.

French agrees adjectives and nouns with the patient's sex (« né » / « née », « votre patient » /
« votre patiente »). When the record says neither (undetermined, or not stated) a document uses a
phrase that needs no agreement (« date de naissance : … », « la personne que vous nous avez
adressée ») rather than « né(e) ». Templates branch on `gender` for whole sentences, so that
every sentence stays one message for translators.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MASCULINE, FEMININE, NEUTRAL = "m", "f", "n"


class HasSex(Protocol):
    sex: str


def gender_of(person: HasSex | None) -> str:
    """« m », « f », or « n » when the record does not say (INS « indéterminé », or blank)."""
    sex = getattr(person, "sex", "") or ""
    return {"M": MASCULINE, "F": FEMININE}.get(sex, NEUTRAL)


def agree(person: HasSex | None, *, m: str, f: str, n: str) -> str:
    """The word or phrase that fits `person`."""
    return {MASCULINE: m, FEMININE: f}.get(gender_of(person), n)


def born_on(person: HasSex | None, day: date | None) -> str:
    """« né le 02/03/1941 », « née le 02/03/1941 », « date de naissance : 02/03/1941 »."""
    if day is None:
        return ""
    when = f"{day:%d/%m/%Y}"
    return agree(
        person,
        m=_("né le %(date)s") % {"date": when},
        f=_("née le %(date)s") % {"date": when},
        n=_("date de naissance : %(date)s") % {"date": when},
    )


def person_words(person: HasSex | None) -> dict[str, str]:
    """What a letter calls the patient, for its context (`words.your_patient` …)."""
    return {
        "gender": gender_of(person),
        "patient": agree(person, m=_("Patient"), f=_("Patiente"), n=_("Personne concernée")),
        "your_patient": agree(
            person,
            m=_("votre patient"),
            f=_("votre patiente"),
            n=_("la personne que vous nous avez adressée"),
        ),
        "this_patient": agree(
            person, m=_("ce patient"), f=_("cette patiente"), n=_("cette personne")
        ),
        "born_on": born_on(person, getattr(person, "birth_date", None)),
        "salutation": agree(person, m=_("Monsieur,"), f=_("Madame,"), n=_("Madame, Monsieur,")),
    }


# Up to this many days a document says days; beyond, months (« 6 mois », never « 183 jours »).
DAYS_SAID_AS_DAYS = 60
DAYS_PER_MONTH = 365.25 / 12


def elapsed(days: int) -> str:
    """« 12 jours », « 6 mois », « 2 ans » — as a person says how long ago something was."""
    if days <= DAYS_SAID_AS_DAYS:
        return ngettext("%(days)s jour", "%(days)s jours", days) % {"days": days}
    months = round(days / DAYS_PER_MONTH)
    if months < 24:
        return _("%(months)s mois") % {"months": months}
    years = int(days // 365.25)
    return ngettext("%(age)s an", "%(age)s ans", years) % {"age": years}


def duration(minutes: int) -> str:
    """« 30 minutes », « 1 heure », « 1 h 30 »."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return ngettext("%(minutes)s minute", "%(minutes)s minutes", rest) % {"minutes": rest}
    if not rest:
        return ngettext("%(hours)s heure", "%(hours)s heures", hours) % {"hours": hours}
    return f"{hours}\u00a0h\u00a0{rest:02d}"
