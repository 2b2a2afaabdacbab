"""What deleting an account means for initiatives (see quartier.privacy)."""

from .models import Follow, JoinRequest, Membership, OfferResponse


def erase(user) -> None:
    """Memberships, join requests, follows and answers to offers go; news and reports stay, by a former member."""
    for model in (Membership, JoinRequest, Follow, OfferResponse):
        model.objects.filter(user=user).delete()
