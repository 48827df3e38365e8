"""Day-hospital sessions, the bookings that take their capacity, and imaging appointments.

Capacity is never stored as a counter: it is recounted from the bookings that occupy it, under a
row lock on the session (scheduling/services/bookings.py), so it cannot drift. See
docs/scheduling.md.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.append_only import AppendOnlyModel
from referrals.choices import Stay


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Programmé")
    ARRIVED = "arrived", _("Arrivée notée")
    DONE = "done", _("Geste réalisé")
    NO_SHOW = "no_show", _("Patient absent")
    CANCELLED = "cancelled", _("Annulé")
    RESCHEDULED = "rescheduled", _("Déplacé")


# A patient holds at most one of these at a time.
ACTIVE_BOOKING_STATUSES = (BookingStatus.BOOKED, BookingStatus.ARRIVED)
BOOKING_STATUS_LABELS = dict(BookingStatus.choices)
# Bookings that use up a session's minutes, places and beds (a done procedure used them too).
OCCUPYING_STATUSES = (BookingStatus.BOOKED, BookingStatus.ARRIVED, BookingStatus.DONE)


class ChangeReason(models.TextChoices):
    """Why a booking was moved or cancelled (counted by the quality dashboard)."""

    PATIENT = "patient", _("Demande du patient")
    CLINIC = "clinic", _("Demande de la clinique")
    MEDICAL = "medical", _("Raison médicale")


CHANGE_REASON_LABELS = dict(ChangeReason.choices)


class LateCause(models.TextChoices):
    """Why a booking falls after the ideal window, chosen by the desk when it confirms it, on a
    first booking or a move (counted by the quality dashboard: the other causes are read from the
    referral's record)."""

    NO_ROOM = "no_room", _("Pas de séance avec de la place dans le délai")
    PATIENT = "patient", _("Le patient a demandé une date plus tardive")
    OTHER = "other", _("Autre raison")


class Modality(models.TextChoices):
    CT = "ct", _("Scanner")
    MRI = "mri", _("IRM")
    # Instead of an MRI the patient cannot have (B-IMAGING: book_bone_scan).
    BONE_SCAN = "bone_scan", _("Scintigraphie osseuse")


class DaySession(models.Model):
    """One day-hospital session: a room, a radiologist, a time range and what it can take."""

    date = models.DateField(_("date"), db_index=True)
    room = models.CharField(_("salle"), max_length=60)
    radiologist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="day_sessions",
        verbose_name=_("radiologue"),
    )
    start_time = models.TimeField(_("début"))
    end_time = models.TimeField(_("fin"))
    procedure_minutes = models.PositiveSmallIntegerField(_("minutes de geste disponibles"))
    day_places = models.PositiveSmallIntegerField(_("places d’hôpital de jour"))
    overnight_beds = models.PositiveSmallIntegerField(_("lits pour une nuit"), default=0)
    notes = models.TextField(_("remarques"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("séance d’hôpital de jour")
        verbose_name_plural = _("séances d’hôpital de jour")
        ordering = ["date", "start_time", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "room", "start_time"], name="session_unique_room_slot"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(procedure_minutes__gt=0), name="session_has_minutes"
            ),
            models.CheckConstraint(
                condition=Q(day_places__gt=0) | Q(overnight_beds__gt=0),
                name="session_has_places",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.start_time:%H:%M}–{self.end_time:%H:%M} {self.room}"

    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.start_time))

    # Occupancy, read from the annotations of scheduling.selectors.with_occupancy().
    @property
    def remaining_minutes(self) -> int:
        return self.procedure_minutes - int(getattr(self, "used_minutes", 0) or 0)

    @property
    def remaining_day_places(self) -> int:
        return self.day_places - int(getattr(self, "used_day_places", 0) or 0)

    @property
    def remaining_overnight_beds(self) -> int:
        return self.overnight_beds - int(getattr(self, "used_overnight_beds", 0) or 0)


class Booking(models.Model):
    """A patient's place in a session for an accepted referral."""

    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("demande"),
    )
    # Copied from the referral so that the database itself refuses two active bookings for one
    # patient, even across two referrals (a unique constraint cannot follow a join).
    patient = models.ForeignKey(
        "referrals.Patient", on_delete=models.PROTECT, related_name="bookings"
    )
    session = models.ForeignKey(
        DaySession, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("séance")
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=BookingStatus.choices,
        default=BookingStatus.BOOKED,
        db_index=True,
    )
    minutes = models.PositiveSmallIntegerField(_("durée du geste (minutes)"))
    stay = models.CharField(_("séjour"), max_length=20, choices=Stay.choices)
    start_time = models.TimeField(_("heure du geste"))
    arrival_time = models.TimeField(_("heure d’arrivée"))
    confirmed_outside_ideal_window = models.BooleanField(
        _("programmé après le délai idéal, confirmé"), default=False
    )
    late_cause = models.CharField(
        _("raison du dépassement du délai idéal"),
        max_length=10,
        choices=LateCause.choices,
        blank=True,
    )
    rescheduled_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rescheduled_to",
        verbose_name=_("déplacé depuis"),
    )
    # Why the booking was moved or cancelled: the kind (required since 2027) and the details.
    change_reason = models.CharField(
        _("raison du changement"), max_length=10, choices=ChangeReason.choices, blank=True
    )
    cancel_reason = models.TextField(_("motif d’annulation"), blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(_("programmé le"))
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["start_time", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status__in=ACTIVE_BOOKING_STATUSES),
                name="booking_one_active_per_patient",
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status__in=ACTIVE_BOOKING_STATUSES),
                name="booking_one_active_per_referral",
            ),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="booking_takes_minutes"),
        ]
        indexes = [models.Index(fields=["session", "status"], name="booking_session_status")]

    def __str__(self) -> str:
        return f"{self.session} #{self.referral_id}"

    def get_status_display(self) -> str:  # type: ignore[no-redef]  # (Django generates one)
        # Django's own rebuilds the dictionary of choices on every call: a day of a network's
        # rooms prints hundreds of statuses (docs/performance.md).
        return str(BOOKING_STATUS_LABELS.get(self.status, self.status))

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_BOOKING_STATUSES

    @property
    def end_time(self) -> time:
        return time_of(minutes_of(self.start_time) + self.minutes)

    @property
    def is_overnight(self) -> bool:
        return self.stay == Stay.OVERNIGHT

    def arrives_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.session.date, self.arrival_time))

    def procedure_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.session.date, self.start_time))

    @property
    def procedure_date(self) -> date:
        return self.session.date


class Convocation(AppendOnlyModel):
    """A convocation handed out (its PDF made for the desk or the referring GP), with the dates
    it printed from the plan (``scheduling.plan.plan_dates``): when the plan's dates change, the
    desk is told to send the patient a new one (ConvocationChange)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="convocations")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    ruleset = models.CharField(max_length=20)
    dates = models.JSONField(default=dict)  # {"last_dose:dabigatran": "2026-12-09", …}

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.booking_id} @ {self.issued_at:%Y-%m-%d %H:%M}"


class ConvocationChange(models.Model):
    """A convocation that went out with a date the plan no longer gives (a ruleset or a plan
    recomputed): listed on the desk's home until the desk sends the patient a new one."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="convocation_changes"
    )
    found_at = models.DateTimeField()
    # [{"what": "last_dose:dabigatran", "old": "2026-12-12", "new": "2026-12-09"}, …]
    changes = models.JSONField(default=list)
    resent_at = models.DateTimeField(null=True, blank=True)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["found_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(resent_at__isnull=True),
                name="convocation_change_one_open_per_booking",
            )
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} ({self.found_at:%Y-%m-%d})"


class ImagingAppointmentQuerySet(models.QuerySet["ImagingAppointment"]):
    def live(self) -> ImagingAppointmentQuerySet:
        """The appointments still to honour (not cancelled)."""
        return self.filter(cancelled_at__isnull=True)


class ImagingAppointment(models.Model):
    """A CT, MRI or bone scan the centre books for a referral that lacks it (B-IMAGING).

    A cancelled appointment is kept (who, when, why) and no longer shown as an appointment."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="imaging_appointments"
    )
    modality = models.CharField(_("examen"), max_length=20, choices=Modality.choices)
    at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=200)
    notes = models.TextField(_("remarques"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    cancel_reason = models.TextField(_("motif de l’annulation"), blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = ImagingAppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendez-vous d’imagerie")
        verbose_name_plural = _("rendez-vous d’imagerie")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_modality_display()} {timezone.localtime(self.at):%d/%m/%Y %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


def minutes_of(value: time) -> int:
    return value.hour * 60 + value.minute


def time_of(minutes: int) -> time:
    return time(minutes // 60 % 24, minutes % 60)
