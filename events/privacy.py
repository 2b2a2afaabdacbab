"""What deleting an account means for events (see quartier.privacy)."""

from django.utils import timezone

from . import services
from .models import Registration


def erase(user) -> None:
    """Registrations for events still ahead are cancelled; the waiting list moves up as after any cancellation."""
    ahead = Registration.objects.filter(user=user, event__starts_at__gt=timezone.now()).exclude(
        status=Registration.Status.CANCELLED
    )
    for registration in ahead:
        services.cancel_registration(registration=registration, by=user, notify=False)
