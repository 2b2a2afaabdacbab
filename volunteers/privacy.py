"""What deleting an account means for allowances (see quartier.privacy): records the tax law keeps stay."""

from .models import AuditEntry, Declaration, Engagement, Payment, Volunteer
from .services import record_change


def export(user, rows) -> dict:
    """The volunteer record reaches the person through its own link; its engagements, declarations and payments too."""
    volunteers = Volunteer.objects.filter(user=user)
    return {
        "volunteers.engagement": rows(Engagement.objects.filter(volunteer__in=volunteers).order_by("pk")),
        "volunteers.declaration": rows(Declaration.objects.filter(volunteer__in=volunteers).order_by("pk")),
        "volunteers.payment": rows(Payment.objects.filter(engagement__volunteer__in=volunteers).order_by("pk")),
    }


def erase(user) -> None:
    """Payments and declarations are accounting records (§ 147 AO): kept with the volunteer record, which is only
    unlinked from the deleted account."""
    for volunteer in Volunteer.objects.filter(user=user):
        volunteer.user = None
        volunteer.save(update_fields=["user"])
        record_change(
            obj=volunteer,
            by=None,
            action=AuditEntry.Action.CHANGED,
            changes={"user": ["account deleted by the person", None]},
        )
