"""Every fund URL for every role: anonymous, resident, applicant, lead of the applying initiative, jury member, staff.

Others' applications are a 404 (as if they did not exist); staff-only workflows a 403; anonymous visitors of
pages that need an account are sent to the login.
"""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from initiatives.fund.models import FundApplication, FundEntry, Receipt

from ..factories import make_staff, make_user
from ..initiatives.factories import make_initiative, make_membership
from .factories import make_application, make_call, make_fund, make_jury_member

ROLES = ["anonymous", "resident", "applicant", "lead", "jury", "staff"]
Status = FundApplication.Status
LOGIN = 302

# url name, what it needs (the object whose pk goes in the URL), method, expected status per role
MATRIX = [
    ("fund:home", None, "get", [200, 200, 200, 200, 200, 200]),
    ("fund:funded", None, "get", [200, 200, 200, 200, 200, 200]),
    ("fund:call", "call", "get", [200, 200, 200, 200, 200, 200]),
    ("fund:apply", "call", "get", [LOGIN, 200, 200, 200, 200, 200]),
    ("fund:session", "call", "get", [LOGIN, 404, 404, 404, 200, 200]),
    ("fund:my_applications", None, "get", [LOGIN, 200, 200, 200, 200, 200]),
    ("fund:application", "approved", "get", [LOGIN, 404, 200, 200, 200, 200]),
    ("fund:application", "draft", "get", [LOGIN, 404, 200, 200, 404, 200]),
    ("fund:edit", "draft", "get", [LOGIN, 404, 200, 200, 404, 404]),
    ("fund:edit", "approved", "get", [LOGIN, 404, 404, 404, 404, 404]),
    ("fund:submit", "draft", "post", [LOGIN, 404, 302, 302, 404, 404]),
    ("fund:receipts", "approved", "get", [LOGIN, 404, 200, 200, 404, 404]),
    ("fund:report", "approved", "get", [LOGIN, 404, 200, 200, 404, 404]),
    ("fund:notice", "approved", "get", [LOGIN, 404, 200, 200, 404, 200]),
    ("fund:notice", "eligible", "get", [LOGIN, 404, 404, 404, 404, 404]),
    ("fund:receipt_file", "receipt", "get", [LOGIN, 404, 200, 200, 404, 200]),
    ("fund:check", "submitted", "get", [403, 403, 403, 403, 403, 200]),
    ("fund:check", "submitted", "post", [403, 403, 403, 403, 403, 200]),
    ("fund:vote", "eligible", "get", [LOGIN, 404, 404, 404, 200, 404]),
    ("fund:vote", "eligible", "post", [LOGIN, 404, 404, 404, 400, 404]),
    ("fund:vote", "approved", "get", [LOGIN, 404, 404, 404, 302, 404]),
    ("fund:vote", "draft", "post", [LOGIN, 404, 404, 404, 404, 404]),
    ("fund:decide", "eligible", "get", [403, 403, 403, 403, 403, 200]),
    ("fund:decide", "eligible", "post", [403, 403, 403, 403, 403, 200]),
    ("fund:book", "approved", "post", [403, 403, 403, 403, 403, 400]),
    ("fund:close", "approved", "post", [403, 403, 403, 403, 403, 400]),
    ("fund:staff", None, "get", [403, 403, 403, 403, 403, 302]),
    ("fund:overview", "fund", "get", [403, 403, 403, 403, 403, 200]),
]


@pytest.fixture
def world(db, office, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # seven users per test
    fund = make_fund(total=Decimal("10000.00"))
    call = make_call(fund=fund)
    applicant, lead, jury_user = make_user(), make_user(), make_user()
    initiative = make_initiative()
    make_membership(initiative=initiative, user=applicant, role="lead")
    make_membership(initiative=initiative, user=lead, role="lead")
    make_jury_member(fund=fund, user=jury_user)
    staff = make_staff()
    apps = {
        status: make_application(call=call, applicant=applicant, initiative=initiative, status=status)
        for status in (Status.DRAFT, Status.SUBMITTED, Status.ELIGIBLE, Status.APPROVED)
    }
    approved = apps[Status.APPROVED]
    FundEntry.objects.create(application=approved, kind="grant", amount=Decimal("500.00"), entered_by=staff)
    receipt = Receipt.objects.create(
        application=approved,
        description="Farbe",
        amount=Decimal("50.00"),
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="beleg.pdf"),
        uploaded_by=applicant,
    )
    users = {
        "anonymous": None,
        "resident": make_user(),
        "applicant": applicant,
        "lead": lead,
        "jury": jury_user,
        "staff": staff,
    }
    objects = {"fund": fund, "call": call, "receipt": receipt, **{str(s): a for s, a in apps.items()}}
    return users, objects


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "target", "method", "expected"), MATRIX, ids=[f"{m[0]}-{m[1]}-{m[2]}" for m in MATRIX]
)
def test_fund_url_permissions(client, world, role, name, target, method, expected):
    users, objects = world
    if users[role]:
        client.force_login(users[role])
    url = reverse(name, args=[objects[target].pk] if target else [])
    response = getattr(client, method)(url)
    status = expected[ROLES.index(role)]
    assert response.status_code == status, (role, url, response.status_code)
    if status == LOGIN and role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ROLES)
def test_grants_csv_only_for_staff(client, world, role):
    users, objects = world
    if users[role]:
        client.force_login(users[role])
    response = client.get(reverse("fund:grants_csv", args=[objects["fund"].year]))
    assert response.status_code == (200 if role == "staff" else 403)


@pytest.mark.parametrize("role", ["resident", "applicant", "lead", "jury"])
def test_only_staff_can_book_money(client, world, role):
    users, objects = world
    client.force_login(users[role])
    client.post(
        reverse("fund:book", args=[objects["approved"].pk]),
        {"kind": "payout", "amount": "100,00", "booked_on": "2020-01-01"},
    )
    assert not FundEntry.objects.filter(kind="payout").exists()


def test_a_former_jury_member_no_longer_reads_applications_or_the_session(client, world):
    """Issue 12 point 12: a term that ended yesterday ends the right to read the fund's applications."""
    from datetime import timedelta

    from django.utils import timezone

    users, objects = world
    seat = objects["fund"].jury.get(user=users["jury"])
    seat.term_until = timezone.localdate() - timedelta(days=1)
    seat.save()
    client.force_login(users["jury"])
    for target in ("eligible", "approved"):
        assert client.get(reverse("fund:application", args=[objects[target].pk])).status_code == 404
    assert client.get(reverse("fund:session", args=[objects["call"].pk])).status_code == 404
    assert client.get(reverse("fund:vote", args=[objects["eligible"].pk])).status_code == 404
    response = client.get(reverse("fund:call", args=[objects["call"].pk]))
    assert reverse("fund:session", args=[objects["call"].pk]) not in response.content.decode()
