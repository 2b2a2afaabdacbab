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


# The fund's factories moved to tests/fund/factories.py (the fund is an app of its own); importable here as well
# so that tests written before the move keep working.
from ..fund.factories import make_application, make_call, make_fund, make_jury_member  # noqa: E402, F401
