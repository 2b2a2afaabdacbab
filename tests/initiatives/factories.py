import itertools

from initiatives.models import Initiative, Membership

_counter = itertools.count(1)


def make_initiative(**fields) -> Initiative:
    n = next(_counter)
    fields.setdefault("name", f"Initiative {n}")
    fields.setdefault("slug", f"initiative-{n}")
    fields.setdefault("short_description", "Wir machen etwas für den Stadtteil.")
    fields.setdefault("contact_email", f"kontakt{n}@example.org")
    fields.setdefault("is_verified", True)
    return Initiative.objects.create(**fields)


def make_membership(*, initiative, user, role="member") -> Membership:
    return Membership.objects.create(initiative=initiative, user=user, role=role)
