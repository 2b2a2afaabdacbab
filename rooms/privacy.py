"""What deleting an account means for rooms (see quartier.privacy)."""

from django.utils import timezone
from django.utils.translation import gettext

from quartier.caching import content_changed

from .models import Booking


def erase(user) -> None:
    """The person's own bookings ahead are cancelled (the slots free up); the contact data on every booking of theirs
    goes. Bookings made for an initiative belong to it and stay, without this person's contact data."""
    now = timezone.now()
    own = Booking.objects.filter(booked_by=user)
    own.filter(initiative__isnull=True, status__in=Booking.HOLDING, starts_at__gt=now).update(
        status=Booking.Status.CANCELLED, cancelled_at=now, cancelled_by=user
    )
    own.filter(responsible_email__iexact=user.email).update(
        responsible_name=gettext("former member"), responsible_phone="", responsible_email=""
    )
    content_changed(app_label="rooms")  # update() sends no signal: the cached room pages must show the free slots
