"""Initiatives: directory, registration, membership rules, contact; permissions per role."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from initiatives import services
from initiatives.models import Initiative, Invitation, JoinRequest, Membership, Topic

from ..factories import make_staff, make_user
from .factories import make_initiative, make_membership

pytestmark = pytest.mark.django_db


def test_directory_shows_verified_and_filters(client, office):
    sport = Topic.objects.create(name="Sport", slug="sport")
    liga = make_initiative(name="Nordstadtliga", short_description="Straßenfußball für junge Menschen")
    liga.topics.add(sport)
    make_initiative(name="Schreibwerkstatt", short_description="Wir schreiben Texte")
    make_initiative(name="Noch nicht geprüft", is_verified=False)
    make_initiative(name="Versteckt", is_hidden=True)
    html = client.get(reverse("initiatives:list")).content.decode()
    assert "Nordstadtliga" in html and "Schreibwerkstatt" in html
    assert "Noch nicht geprüft" not in html and "Versteckt" not in html
    assert "Schreibwerkstatt" not in client.get(reverse("initiatives:list"), {"topic": "sport"}).content.decode()
    searched = client.get(reverse("initiatives:list"), {"q": "Fußball"}).content.decode()
    assert "Nordstadtliga" in searched and "Schreibwerkstatt" not in searched


def test_directory_cards_escape_names_descriptions_and_topics(client, office):
    """The cards (written in Python: initiatives/templatetags/initiative_cards.py) escape what leads typed and
    name the kind, whether the initiative is non-profit, and its topics."""
    topic = Topic.objects.create(name="<Kunst> & Kultur", slug="kunst")
    group = make_initiative(name='<b>"Gruppe"</b>', short_description="Kurz <script>x</script>", is_nonprofit=True)
    group.topics.add(topic)
    html = client.get(reverse("initiatives:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<b>" not in html and "<script>x" not in html
    card = html.split("&lt;b&gt;&quot;Gruppe&quot;&lt;/b&gt;</a></h2>")[1].split("</li>")[0]
    assert f'<p class="muted">{group.get_kind_display()} · non-profit</p>' in card
    assert '<p><span lang="de">Kurz &lt;script&gt;x&lt;/script&gt;</span> <small' in card  # German only
    assert '<p class="muted">&lt;Kunst&gt; &amp; Kultur</p>' in card


def test_the_directory_pages_through_every_initiative_with_its_own_topics(client, office):
    sport, art = Topic.objects.create(name="Sport", slug="sport"), Topic.objects.create(name="Kunst", slug="kunst")
    for n in range(24):
        initiative = make_initiative(name=f"Gruppe {n:02d}")
        initiative.topics.add(*[topic for topic, every in ((sport, 2), (art, 3)) if n % every == 0])

    def cards(**query):
        html = client.get(reverse("initiatives:list"), query).content.decode()
        found = re.findall(r"Gruppe (\d\d)</a>(.*?)</li>", html, re.S)
        return [(int(n), [name for name in ("Kunst", "Sport") if name in card]) for n, card in found]

    shown = cards() + cards(page=2)
    assert [n for n, _topics in shown] == list(range(24))  # by name, twenty and four
    assert all(
        topics == [name for name, every in (("Kunst", 3), ("Sport", 2)) if n % every == 0] for n, topics in shown
    )
    assert [n for n, _topics in cards(topic="kunst")] == list(range(0, 24, 3))  # joined, each once
    page = client.get(reverse("initiatives:list")).content.decode()
    assert '<option value="kunst">Kunst</option>' in page and '<option value="sport">Sport</option>' in page


@pytest.mark.parametrize(
    "query",
    [
        {"q": "x" * 500},
        {"topic": "nix"},
        {"kind": "nix"},
        {"page": "-1"},
        {"q": "'; DROP TABLE--"},
        {"q": "!!! & | :*"},
    ],
)
def test_directory_bad_input_never_fails(client, office, query):
    make_initiative()
    assert client.get(reverse("initiatives:list"), query).status_code == 200


def test_resident_registers_an_initiative_hidden_until_verified(client, office, resident):
    client.force_login(resident)
    response = client.post(
        reverse("initiatives:create"),
        {
            "name": "Mieterinitiative Hafen",
            "kind": "initiative",
            "short_description": "Wir helfen Mietern.",
            "contact_email": "mieter@example.org",
        },
    )
    initiative = Initiative.objects.get()
    assert response["Location"] == initiative.get_absolute_url()
    assert not initiative.is_verified
    assert Membership.objects.get(initiative=initiative).role == "lead"
    assert "noch nicht geprüft" in client.get(initiative.get_absolute_url()).content.decode()
    client.logout()
    assert client.get(initiative.get_absolute_url()).status_code == 404
    assert "Mieterinitiative" not in client.get(reverse("initiatives:list")).content.decode()


def test_registration_with_bad_input_keeps_it(client, office, resident):
    client.force_login(resident)
    response = client.post(
        reverse("initiatives:create"),
        {"name": "Meine Gruppe", "kind": "nix", "short_description": "", "contact_email": "kaputt"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'value="Meine Gruppe"' in html
    assert not Initiative.objects.exists()


def test_join_request_accepted_by_a_lead(client, office, resident, initiative_lead):
    initiative = make_initiative()
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    client.force_login(resident)
    client.post(reverse("initiatives:join", args=[initiative.slug]), {"message": "Ich möchte helfen."})
    request = JoinRequest.objects.get()
    client.force_login(initiative_lead)
    client.post(reverse("initiatives:decide_request", args=[request.pk]), {"decision": "accept"})
    assert Membership.objects.filter(initiative=initiative, user=resident, role="member").exists()


def test_invitation_by_signed_link(client, office, initiative_lead, mailoutbox, django_capture_on_commit_callbacks):
    initiative = make_initiative()
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    client.force_login(initiative_lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("initiatives:members", args=[initiative.slug]), {"email": "neu@example.org"})
    link = re.search(r"https?://\S+", mailoutbox[-1].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    invited = make_user(email="neu@example.org")
    client.force_login(invited)
    client.post(path)
    assert Membership.objects.filter(initiative=initiative, user=invited).exists()
    assert client.post(path).status_code == 400  # used once
    assert client.post(reverse("initiatives:invitation", args=["kaputt:link"])).status_code == 400


def _invite(client, initiative, lead, email, capture):
    client.force_login(lead)
    with capture(execute=True):
        client.post(reverse("initiatives:members", args=[initiative.slug]), {"email": email})
    from initiatives.models import Invitation

    return Invitation.objects.get(email=email)


def test_an_invitation_is_accepted_only_by_the_invited_verified_address(
    client, office, initiative_lead, resident, django_capture_on_commit_callbacks
):
    """Issue 12 point 10: holding the link is not enough; the account must own the invited address, verified."""
    from allauth.account.models import EmailAddress

    from initiatives.services import invitation_token

    initiative = make_initiative()
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    invitation = _invite(client, initiative, initiative_lead, "neu@example.org", django_capture_on_commit_callbacks)
    path = reverse("initiatives:invitation", args=[invitation_token(invitation)])
    client.force_login(resident)  # someone the link was forwarded to
    response = client.post(path)
    assert response.status_code == 400 and "andere E-Mail-Adresse" in response.content.decode()
    EmailAddress.objects.create(user=resident, email="NEU@example.org", verified=False)
    assert client.post(path).status_code == 400  # added but not confirmed
    assert not Membership.objects.filter(initiative=initiative, user=resident).exists()
    EmailAddress.objects.filter(user=resident, email="NEU@example.org").update(verified=True)
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(initiative=initiative, user=resident).exists()


def test_a_lead_withdraws_a_pending_invitation_and_its_link_stops_working(
    client, office, initiative_lead, django_capture_on_commit_callbacks
):
    from initiatives.services import invitation_token

    initiative = make_initiative()
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    invitation = _invite(client, initiative, initiative_lead, "neu@example.org", django_capture_on_commit_callbacks)
    members_page = client.get(reverse("initiatives:members", args=[initiative.slug])).content.decode()
    revoke = reverse("initiatives:revoke_invitation", args=[invitation.pk])
    assert "neu@example.org" in members_page and revoke in members_page
    assert client.post(revoke)["Location"] == reverse("initiatives:members", args=[initiative.slug])
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "neu@example.org" not in client.get(reverse("initiatives:members", args=[initiative.slug])).content.decode()
    client.force_login(make_user(email="neu@example.org"))
    response = client.post(reverse("initiatives:invitation", args=[invitation_token(invitation)]))
    assert response.status_code == 400 and "zurückgezogen" in response.content.decode()
    assert not Membership.objects.filter(initiative=initiative, user__email="neu@example.org").exists()


def test_only_leads_of_that_initiative_can_withdraw_its_invitations(
    client, office, initiative_lead, resident, django_capture_on_commit_callbacks
):
    from django.test import Client

    initiative, other = make_initiative(), make_initiative()
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    member, other_lead = make_user(), make_user()
    make_membership(initiative=initiative, user=member)
    make_membership(initiative=other, user=other_lead, role="lead")
    invitation = _invite(client, initiative, initiative_lead, "neu@example.org", django_capture_on_commit_callbacks)
    revoke = reverse("initiatives:revoke_invitation", args=[invitation.pk])
    for user in (resident, member, other_lead):
        someone = Client()
        someone.force_login(user)
        assert someone.post(revoke).status_code == 404
    assert Client().post(revoke).status_code == 302  # to the login
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    csrf_checked = Client(enforce_csrf_checks=True)
    csrf_checked.force_login(initiative_lead)
    assert csrf_checked.post(revoke).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_last_lead_cannot_leave_or_step_down(initiative_lead, resident):
    initiative = make_initiative()
    lead = make_membership(initiative=initiative, user=initiative_lead, role="lead")
    member = make_membership(initiative=initiative, user=resident)
    with pytest.raises(ValidationError):
        services.leave(membership=lead, by=initiative_lead)
    with pytest.raises(ValidationError):
        services.change_role(membership=lead, by=initiative_lead, role="member")
    services.change_role(membership=member, by=initiative_lead, role="lead")
    services.leave(membership=lead, by=initiative_lead)
    assert list(initiative.memberships.values_list("role", flat=True)) == ["lead"]


def test_a_lead_of_a_cannot_manage_b_even_with_ids(client, office, initiative_lead, resident):
    a, b = make_initiative(), make_initiative()
    make_membership(initiative=a, user=initiative_lead, role="lead")
    member_b = make_membership(initiative=b, user=resident)
    request_b = JoinRequest.objects.create(initiative=b, user=make_user())
    client.force_login(initiative_lead)
    assert client.get(reverse("initiatives:edit", args=[b.slug])).status_code == 404
    assert client.get(reverse("initiatives:members", args=[b.slug])).status_code == 404
    assert client.post(reverse("initiatives:change_role", args=[member_b.pk]), {"role": "lead"}).status_code == 404
    assert client.post(reverse("initiatives:leave", args=[member_b.pk])).status_code == 404
    assert (
        client.post(reverse("initiatives:decide_request", args=[request_b.pk]), {"decision": "accept"}).status_code
        == 404
    )
    member_b.refresh_from_db()
    assert member_b.role == "member"
    with pytest.raises(PermissionDenied):
        services.change_role(membership=member_b, by=initiative_lead, role="lead")


def test_contact_form_mails_the_initiative_without_showing_its_address(client, office, mailoutbox):
    initiative = make_initiative(contact_email="geheim@example.org")
    assert "geheim@example.org" not in client.get(initiative.get_absolute_url()).content.decode()
    url = reverse("initiatives:contact", args=[initiative.slug])
    assert "geheim@example.org" not in client.get(url).content.decode()
    client.post(url, {"name": "Mia", "email": "mia@example.org", "message": "Wann trefft ihr euch?"})
    assert mailoutbox[-1].to == ["geheim@example.org"] and mailoutbox[-1].reply_to == ["mia@example.org"]
    for _n in range(6):
        response = client.post(url, {"name": "Mia", "email": "mia@example.org", "message": "Spam"})
    assert "viele Nachrichten" in response.content.decode()
    assert len(mailoutbox) == 5


def test_the_contact_limit_counts_each_client_behind_the_proxy(client, office, mailoutbox, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # TRUSTED_PROXY_COUNT=1: the proxy names the client
    url = reverse("initiatives:contact", args=[make_initiative().slug])
    data = {"name": "Mia", "email": "mia@example.org", "message": "Hallo"}
    for _n in range(6):
        response = client.post(url, data, headers={"X-Forwarded-For": "203.0.113.9"}, REMOTE_ADDR="10.0.0.2")
    assert "viele Nachrichten" in response.content.decode()
    response = client.post(url, data, headers={"X-Forwarded-For": "198.51.100.7"}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302 and len(mailoutbox) == 6


PERMISSIONS = [
    # url name, args kind, expected per role (anonymous, resident, member, lead, other_lead, staff)
    ("initiatives:list", None, (200, 200, 200, 200, 200, 200)),
    ("initiatives:detail", "slug", (200, 200, 200, 200, 200, 200)),
    ("initiatives:create", None, ("login", 200, 200, 200, 200, 200)),
    ("initiatives:my_initiatives", None, ("login", 200, 200, 200, 200, 200)),
    ("initiatives:edit", "slug", ("login", 404, 404, 200, 404, 200)),
    ("initiatives:members", "slug", ("login", 404, 404, 200, 404, 200)),
    ("initiatives:contact", "slug", (200, 200, 200, 200, 200, 200)),
    ("initiatives:join", "slug", ("login", 405, 405, 405, 405, 405)),
    ("initiatives:invitation", "token", ("login", 200, 200, 200, 200, 200)),
    ("initiatives:revoke_invitation", "invitation", ("login", 405, 405, 405, 405, 405)),
    ("initiatives:volunteering", None, (200, 200, 200, 200, 200, 200)),
    ("initiatives:offer", "offer", (200, 200, 200, 200, 200, 200)),
    ("initiatives:offer_create", "slug", ("login", 404, 404, 200, 404, 200)),
    ("initiatives:offer_edit", "slug_offer", ("login", 404, 404, 200, 404, 200)),
    ("initiatives:project_create", "slug", ("login", 404, 404, 200, 404, 200)),
    ("initiatives:project", "slug_project", (200, 200, 200, 200, 200, 200)),
    ("initiatives:project_edit", "slug_project", ("login", 404, 404, 200, 404, 200)),
    ("initiatives:project_news", "slug_project", ("login", 405, 405, 405, 405, 405)),
    ("initiatives:follow", "slug", ("login", 405, 405, 405, 405, 405)),
    ("initiatives:project_follow", "slug_project", ("login", 405, 405, 405, 405, 405)),
    ("initiatives:report", "slug", ("login", 200, 200, 200, 200, 200)),
    ("initiatives:project_report", "slug_project", ("login", 200, 200, 200, 200, 200)),
    ("initiatives:decide_request", "request", ("login", 405, 405, 405, 405, 405)),
    ("initiatives:decide_response", "response", ("login", 405, 405, 405, 405, 405)),
    ("initiatives:change_role", "membership", ("login", 405, 405, 405, 405, 405)),
    ("initiatives:leave", "membership", ("login", 405, 405, 405, 405, 405)),
]


@pytest.mark.parametrize(
    "role_index,role", list(enumerate(["anonymous", "resident", "member", "lead", "other_lead", "staff"]))
)
def test_permission_matrix(client, office, role_index, role):
    initiative = make_initiative()
    other = make_initiative()
    users = {
        "resident": make_user(),
        "member": make_user(),
        "lead": make_user(),
        "other_lead": make_user(),
        "staff": make_staff(),
    }
    make_membership(initiative=initiative, user=users["member"])
    make_membership(initiative=initiative, user=users["lead"], role="lead")
    make_membership(initiative=other, user=users["other_lead"], role="lead")
    from initiatives.models import Offer, OfferResponse, Project

    project = Project.objects.create(initiative=initiative, title="Cup", slug="cup", summary="x")
    offer = Offer.objects.create(
        initiative=initiative,
        title="Hilfe",
        description="x",
        when="x",
        time_needed="x",
        until=timezone.localdate() + timezone.timedelta(days=9),
    )
    offer_response = OfferResponse.objects.create(offer=offer, user=users["resident"])
    join_request = JoinRequest.objects.create(initiative=initiative, user=make_user())
    membership = Membership.objects.get(initiative=initiative, user=users["member"])
    invitation = Invitation.objects.create(initiative=initiative, email="neu@example.org", invited_by=users["lead"])
    if role != "anonymous":
        client.force_login(users[role])
    for name, kind, expected in PERMISSIONS:
        args = {
            "slug": [initiative.slug],
            "token": ["x"],
            None: [],
            "offer": [offer.pk],
            "slug_offer": [initiative.slug, offer.pk],
            "slug_project": [initiative.slug, project.slug],
            "request": [join_request.pk],
            "response": [offer_response.pk],
            "membership": [membership.pk],
            "invitation": [invitation.pk],
        }[kind]
        response = client.get(reverse(name, args=args))
        want = expected[role_index]
        if want == "login":
            assert response.status_code == 302 and "login" in response["Location"], (name, role)
        else:
            assert response.status_code == want, (name, role, response.status_code)


def test_every_initiatives_url_is_in_the_permission_matrix():
    from django.urls import get_resolver

    names = {
        name for name in get_resolver().namespace_dict["initiatives"][1].reverse_dict.keys() if isinstance(name, str)
    }
    covered = {row[0].split(":")[1] for row in PERMISSIONS}
    assert names <= covered, f"URLs without a permission entry: {names - covered}"


@pytest.mark.parametrize("scale", [1, 10])
def test_directory_queries_do_not_grow(client, office, django_assert_max_num_queries, scale):
    topic = Topic.objects.create(name="Kultur", slug="kultur")
    for _n in range(3 * scale):
        make_initiative().topics.add(topic)
    client.get("/")
    with django_assert_max_num_queries(6):
        client.get(reverse("initiatives:list"))


def test_logo_upload_is_cleaned_and_a_thumbnail_shows_in_the_directory(client, office, resident, settings, tmp_path):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 31.0, 0.0)}
    Image.new("RGB", (2000, 1000), "green").save(buffer, format="JPEG", exif=exif.tobytes())
    client.force_login(resident)
    data = {"name": "Garten", "kind": "initiative", "short_description": "Grün", "contact_email": "g@example.org"}
    refused = client.post(
        reverse("initiatives:create"), {**data, "logo": SimpleUploadedFile("logo.jpg", buffer.getvalue(), "image/jpeg")}
    )
    assert refused.status_code == 200 and not Initiative.objects.exists()  # description missing
    client.post(
        reverse("initiatives:create"),
        {
            **data,
            "logo_alt": "Ein grünes Blatt",
            "logo": SimpleUploadedFile("logo.jpg", buffer.getvalue(), "image/jpeg"),
        },
    )
    initiative = Initiative.objects.get()
    logo, thumb = Image.open(initiative.logo.path), Image.open(initiative.logo_thumbnail.path)
    assert (max(logo.size), max(thumb.size)) == (800, 160)
    assert dict(logo.getexif()) == {} and dict(thumb.getexif()) == {}
    initiative.is_verified = True
    initiative.save()
    assert initiative.logo_thumbnail.url in client.get(reverse("initiatives:list")).content.decode()


def test_members_see_each_other_by_name_never_by_e_mail_address(client, office, initiative_lead):
    """Issue 12 point 4: an account without a display name showed its address to every member."""
    initiative = make_initiative()
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    nameless = make_user(email="privat.adresse@example.org", display_name="")
    make_membership(initiative=initiative, user=nameless)
    JoinRequest.objects.create(initiative=initiative, user=make_user(email="anfrage@example.org", display_name=""))
    client.force_login(nameless)
    detail = client.get(initiative.get_absolute_url()).content.decode()
    assert "Jonas Becker" in detail and f"Bewohnerin/Bewohner #{nameless.pk}" in detail
    assert "privat.adresse" not in detail
    client.force_login(initiative_lead)
    members = client.get(reverse("initiatives:members", args=[initiative.slug])).content.decode()
    assert "privat.adresse" not in members and "anfrage@" not in members


def test_a_40_megapixel_logo_is_refused_from_its_header_without_decoding(client, office, resident, settings, tmp_path):
    """150 KB of one colour, 8000 × 5000 pixels: decoding it cost 1.6 s of CPU. A logo may have 4 megapixels."""
    import time
    from io import BytesIO
    from unittest import mock

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageFile

    settings.MEDIA_ROOT = tmp_path
    buffer = BytesIO()
    Image.new("RGB", (8000, 5000), "green").save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 300_000
    client.force_login(resident)
    data = {
        "name": "Garten",
        "kind": "initiative",
        "short_description": "Grün",
        "description": "Wir gärtnern.",
        "contact_email": "g@example.org",
        "logo_alt": "Ein grünes Blatt",
        "logo": SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png"),
    }
    started = time.process_time()
    with mock.patch.object(ImageFile.ImageFile, "load", side_effect=AssertionError("decoded")) as load:
        response = client.post(reverse("initiatives:create"), data)
    assert load.call_count == 0 and time.process_time() - started < 1.0
    assert response.status_code == 200
    assert "Das Bild hat zu viele Pixel (höchstens 4 Megapixel)" in response.content.decode()
    assert not Initiative.objects.exists()
