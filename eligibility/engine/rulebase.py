"""What a rule is, and the registry the rule modules fill in the spec's order.

A rule function answers "does this rule apply?": ``True``/``False``, or, for a rule whose actions
depend on the facts (B-IMAGING, G-DOAC-XABAN), the tuple of actions (an empty tuple: does not
apply). Level rules take ``(level, age_at_earliest, fracture_age, facts, settings)`` (ages in days,
``None`` when the date is unknown); patient and medication rules take
``(facts, settings, treatable_count)``. A medication rule may also have a ``plan`` function,
``(facts, settings, dapt) -> tuple[PlanEntry, ...]``: its medication-plan entries when it applies.
Texts may name settings as ``{placeholders}`` (see ``EngineSettings.text_values``);
``rules.rules_for(settings)`` renders them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .settings import EngineSettings

Applies = bool | tuple[str, ...]
RuleFunction = Callable[..., Applies]
# A level's kind: (region "C", "TL" or "S", date known, tumour suspected); a level rule may say
# which kinds it can apply to, so the engine does not call it for the others.
LevelKinds = Callable[[str, bool, bool], bool]
REGIONS = ("C", "TL", "S")


def dated_not_tumour(region: str, dated: bool, tumour: bool) -> bool:
    return dated and not tumour


def undated_not_tumour(region: str, dated: bool, tumour: bool) -> bool:
    return not dated and not tumour


def sacrum(region: str, dated: bool, tumour: bool) -> bool:
    return region == "S"


class Scope(StrEnum):
    LEVEL = "level"
    PATIENT = "patient"
    MEDICATION = "medication"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    scope: Scope
    effect: str  # a verdict, "info" or "action"
    condition_fr: str
    condition_en: str
    message_fr: str
    message_en: str
    source: str
    function: RuleFunction
    actions: tuple[str, ...] = ()  # every action the rule may produce
    hold_setting: str | None = None  # EngineSettings field: days before the procedure
    plan: Callable[..., tuple[Any, ...]] | None = None  # medication-plan entries (PlanEntry)
    urgent: bool = False  # G-NEURO: decides the overall verdict first and marks it urgent
    # Speed only, never meaning: a necessary condition the engine checks before calling the rule.
    drugs: tuple[str, ...] = ()  # applies only when one of these antithrombotics is listed
    kinds: LevelKinds | None = None  # level rules: the kinds of level it can apply to

    def condition(self, lang: str) -> str:
        return self.condition_en if is_english(lang) else self.condition_fr

    def message(self, lang: str) -> str:
        return self.message_en if is_english(lang) else self.message_fr

    def hold_days(self, settings: EngineSettings) -> int | None:
        return None if self.hold_setting is None else getattr(settings, self.hold_setting)


def is_english(lang: str) -> bool:
    """``"fr"``/``"en"`` and their regional forms (Django's ``"en-gb"``); anything else is a bug."""
    code = lang.split("-")[0].lower()
    if code not in ("fr", "en"):
        raise ValueError(f"unsupported language {lang!r}: use 'fr' or 'en'")
    return code == "en"


TEMPLATES: list[Rule] = []


def rule(
    rule_id: str,
    scope: Scope,
    effect: str,
    *,
    when: tuple[str, str],
    says: tuple[str, str],
    source: str,
    actions: tuple[str, ...] = (),
    hold: str | None = None,
    plan: Callable[..., tuple[Any, ...]] | None = None,
    urgent: bool = False,
    drugs: tuple[str, ...] = (),
    kinds: LevelKinds | None = None,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register the decorated function as a rule; ``when``/``says`` are (French, English)."""

    def register(function: RuleFunction) -> RuleFunction:
        TEMPLATES.append(
            Rule(
                rule_id,
                scope,
                effect,
                *when,
                *says,
                source,
                function,
                actions,
                hold,
                plan,
                urgent,
                drugs,
                kinds,
            )
        )
        return function

    return register


# Sources, quoted once so every rule cites them the same way.
BROCHURE = "Brochure du centre « Fractures du rachis – cimentoplastie vertébrale »"
CIRSE = "CIRSE 2017 (Tsoumakidou et al., CVIR 2017;40:331–342)"
SIR_2003 = "SIR 2003 QI guideline (Jensen/McGraw et al., JVIR 2003)"
SIR_2019 = "SIR 2019 consensus (Patel et al., JVIR 2019), high bleeding-risk procedure"
ASRA = "ASRA 2018 (Narouze et al., Reg Anesth Pain Med 2018)"
Q_SPINE = (
    "« Les fractures post-traumatiques récentes du rachis dorsal et lombaire, favorisées par "
    "l'ostéoporose, confinées au corps vertébral. »"
)
Q_SACRUM = "« Les fractures récentes post-traumatiques du sacrum, dites « en H ». »"
Q_IDEAL = (
    "« Un traitement dans les 3 premières semaines après le traumatisme est idéal, c'est un "
    "traitement alternatif efficace au traitement médicamenteux antalgique. »"
)
Q_WINDOW = "« Il peut être réalisé dans les 6 mois suivant la fracture. »"
Q_INTRO = "« … en échec de traitement médicamenteux antalgique. »"
Q_SEMI_RECENT = (
    "« Les fractures semi-récentes confinées au corps vertébral, en échec de traitement "
    "médicamenteux morphinique. »"
)
Q_ARCH = (
    "contre-indications : « Les fractures vertébrales avec retentissement mécanique à risque "
    "(atteinte de l'arc postérieur). Une stabilisation du rachis est indispensable, et sera "
    "réalisée par voie chirurgicale. »"
)
Q_PRONE = (
    "« Elle nécessite juste un procubitus pendant 30 minutes, et peut durer jusqu'à 1h30 en cas "
    "de plusieurs vertèbres à traiter. »"
)
GIHP = (
    "GIHP 2018 (Albaladejo et al., Anaesth Crit Care Pain Med 2018), high bleeding-risk procedure"
)
PAUSE = "PAUSE (Douketis et al., JAMA Intern Med 2019)"
VERTOS = "VERTOS II (Klazen et al., Lancet 2010), VERTOS IV (Firanescu et al., BMJ 2018)"
GRIO = "GRIO 2018 (Briot et al., Joint Bone Spine 2018)"
