"""What deleting an account means for rooms (see quartier.privacy)."""

from django.utils import timezone
from django.utils.translation import gettext

from quartier.caching import content_changed

from .models import Booking, WaitlistEntry


def erase(user) -> None:
    """The person's own bookings ahead are cancelled (the slots free up). On every booking she made, whoever she
    named as the responsible adult (herself or a partner) and the notes about it go; a private booking's purpose
    too. Bookings made for an initiative belong to it and stay, without these data. Where someone else named her as
    the responsible adult, her name, phone and address go as well; that booking stays."""
    now = timezone.now()
    own = Booking.objects.filter(booked_by=user)
    own.filter(initiative__isnull=True, status__in=Booking.HOLDING, starts_at__gt=now).update(
        status=Booking.Status.CANCELLED, cancelled_at=now, cancelled_by=user
    )
    WaitlistEntry.objects.open().filter(user=user).update(state=WaitlistEntry.State.LEFT, decided_at=now)
    no_contact = {"responsible_name": gettext("former member"), "responsible_phone": "", "responsible_email": ""}
    own.update(**no_contact, decline_reason="", damage_notes="", deposit_note="")
    Booking.objects.filter(responsible_email__iexact=user.email).update(**no_contact)
    content_changed(app_label="rooms")  # update() sends no signal: the cached room pages must show the free slots
