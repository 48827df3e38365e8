"""manage.py reevaluate_referrals: every referral not yet treated whose latest evaluation was made
under another ruleset is evaluated again under the current one (a snapshot and a
« referral.ruleset_changed » event each); then every booking whose convocation went out with a
date the plan no longer gives is listed for the desk to send again
(scheduling/services/convocations.py). Idempotent: a second run does nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from eligibility.engine import RULESET_VERSION
from referrals.models import EligibilitySnapshot, Referral
from referrals.services.evaluation import NOT_YET_TREATED, referral_follow_ruleset
from scheduling.services.convocations import convocations_check


class Command(BaseCommand):
    help = "Evaluate again, under the current ruleset, the referrals not yet treated."

    def handle(self, *args: Any, **options: Any) -> None:
        stale = (
            EligibilitySnapshot.objects.exclude(ruleset_version=RULESET_VERSION)
            .filter(referral__status__in=NOT_YET_TREATED)
            .values_list("referral_id", flat=True)
            .distinct()
        )
        done = 0
        for referral in Referral.objects.filter(pk__in=list(stale)).iterator():
            if referral_follow_ruleset(referral=referral) is not None:
                done += 1
        self.stdout.write(f"{done} referral(s) evaluated again under {RULESET_VERSION}.")
        resend = convocations_check(today=timezone.localdate())
        self.stdout.write(f"{resend} convocation(s) to send again (listed on the desk's home).")
