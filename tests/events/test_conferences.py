"""Stadtteilkonferenz: agenda, topic proposals with support, decisions followed up in public."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import AgendaItem, Conference, Decision, Proposal, validate_pdf

from ..factories import make_user
from .factories import make_event

pytestmark = pytest.mark.django_db


def make_conference(days=20, deadline_days=10, **fields):
    event = make_event(title="Stadtteilkonferenz", starts_at=timezone.now() + timedelta(days=days))
    return Conference.objects.create(
        event=event, proposal_deadline=timezone.now() + timedelta(days=deadline_days), **fields
    )


def test_resident_proposes_a_topic_through_the_page(client, office, resident):
    conference = make_conference()
    client.force_login(resident)
    response = client.post(
        reverse("events:conference_propose", args=[conference.event.slug]),
        {"title": "Mehr Bänke", "description": "Für ältere Menschen."},
    )
    assert response["Location"] == conference.get_absolute_url()
    assert "Mehr Bänke" in client.get(conference.get_absolute_url()).content.decode()


def test_proposals_after_the_deadline_are_refused(client, office, resident):
    conference = make_conference(deadline_days=-1)
    client.force_login(resident)
    response = client.post(
        reverse("events:conference_propose", args=[conference.event.slug]), {"title": "Zu spät", "description": "x"}
    )
    assert response.status_code == 200
    assert "Frist für Themenvorschläge ist vorbei" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "description": "x"},
        {"title": "x" * 300, "description": "y"},
        {"title": "<script>alert(1)</script>", "description": ""},
    ],
)
def test_bad_proposals_are_refused_with_messages(client, office, resident, data):
    conference = make_conference()
    client.force_login(resident)
    response = client.post(reverse("events:conference_propose", args=[conference.event.slug]), data)
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in response.content.decode()
    assert not Proposal.objects.exists()


def test_support_once_each_and_not_ones_own(client, office, resident, initiative_lead):
    conference = make_conference()
    proposal = services.propose_topic(conference=conference, user=resident, title="Bänke", description="x")
    client.force_login(initiative_lead)
    url = reverse("events:proposal_support", args=[proposal.pk])
    client.post(url)
    client.post(url)
    assert proposal.supports.count() == 1
    with pytest.raises(ValidationError):
        services.support_proposal(proposal=proposal, user=resident)
    assert client.get(url).status_code == 405


def test_staff_accept_onto_the_agenda_or_decline_with_public_reason(client, office, staff, resident):
    conference = make_conference()
    AgendaItem.objects.create(conference=conference, number=1, title="Begrüßung")
    accepted = services.propose_topic(conference=conference, user=resident, title="Bänke", description="x")
    declined = services.propose_topic(conference=conference, user=resident, title="Parkplätze", description="y")
    client.force_login(staff)
    url = reverse("admin:events_proposal_changelist")
    client.post(url, {"action": "accept_selected", "_selected_action": [accepted.pk]})
    client.post(
        url,
        {"action": "decline_selected", "_selected_action": [declined.pk], "reason": "Thema gehört in den Bezirksrat."},
    )
    assert list(conference.agenda.values_list("number", "title")) == [(1, "Begrüßung"), (2, "Bänke")]
    html = client.get(conference.get_absolute_url()).content.decode()
    assert "Thema gehört in den Bezirksrat." in html


def test_decisions_page_lists_status_and_history_and_filters(client, office):
    conference = make_conference(days=-10, deadline_days=-20)
    done = Decision.objects.create(
        conference=conference,
        number=1,
        wording="Flutlicht für den Bolzplatz",
        responsible="Nordstadtliga",
        votes_for=30,
        votes_against=2,
        votes_abstaining=1,
    )
    Decision.objects.create(conference=conference, number=2, wording="Mehr Mülleimer", responsible="QM")
    services.record_decision_update(decision=done, status="done", note="Flutlicht ist installiert.")
    html = client.get(reverse("events:decisions")).content.decode()
    assert "Flutlicht ist installiert." in html and "Mehr Mülleimer" in html
    filtered = client.get(reverse("events:decisions"), {"status": "done"}).content.decode()
    assert "Flutlicht" in filtered and "Mehr Mülleimer" not in filtered
    assert client.get(reverse("events:decisions"), {"status": "kaputt", "conference": "x"}).status_code == 200


def test_the_decisions_pages_show_each_decision_with_its_own_history(client, office, django_assert_max_num_queries):
    conference = make_conference(days=-10, deadline_days=-20)
    for number in range(1, 31):
        decision = Decision.objects.create(conference=conference, number=number, wording=f"Beschluss Nummer {number}")
        if number % 3 == 0:
            services.record_decision_update(decision=decision, status="done", note=f"Erledigt zu {number}.")
    client.get(reverse("events:decisions"))
    with django_assert_max_num_queries(6):
        first = client.get(reverse("events:decisions")).content.decode()
    second = client.get(reverse("events:decisions"), {"page": 2}).content.decode()

    def cards(html):
        return [
            (int(number), re.findall(r"Erledigt zu (\d+)\.", card))
            for number, card in re.findall(r"Beschluss Nummer (\d+)</p>(.*?)</article>", html, re.S)
        ]

    shown = cards(first) + cards(second)
    assert [number for number, _history in shown] == list(range(1, 31))  # by number, 25 and 5
    assert len(cards(first)) == 25
    assert all(history == ([str(number)] if number % 3 == 0 else []) for number, history in shown)


def test_a_decision_card_escapes_its_texts_and_shows_its_levels_and_history(client, office):
    conference = make_conference(days=-10, deadline_days=-20)
    hostile = '<script>alert(1)</script> & "Nord"'
    decision = Decision.objects.create(
        conference=conference, number=7, wording=hostile, responsible=hostile, votes_for=12, votes_against=3
    )
    services.record_decision_update(decision=decision, status="in_progress", note=hostile)
    services.record_decision_update(decision=decision, status="done", note="Fertig.")
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Nord&quot;"
    listed = client.get(reverse("events:decisions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = listed.split(f'aria-labelledby="decision-{decision.pk}"')[1].split("</article>")[0]
    assert "<script>" not in card and card.count(escaped) == 3  # wording, responsible, the first step's note
    assert f'<h2 id="decision-{decision.pk}" class="decision__title">Decision 7 (Stadtteilkonferenz)</h2>' in card
    assert "Votes: 12 for, 3 against, 0 abstaining." in card and "<h3>What happened</h3>" in card
    steps = re.findall(r'<li><time datetime="(\d{4}-\d\d-\d\d)">[^<]+</time>: ([^.]+)\. ([^<]*)</li>', card)
    assert [(status, note) for _day, status, note in steps] == [("in progress", escaped), ("done", "Fertig.")]
    assert 'status-badge--done">Status: done</strong>' in card
    page = client.get(conference.get_absolute_url()).content.decode()  # inside the conference's section
    assert f'<h3 id="decision-{decision.pk}" class="decision__title">Beschluss 7' in page and "<h4>" in page
    assert "<script>alert" not in page


def test_conference_archive_shows_minutes_of_past_conferences(client, office):
    past = make_conference(
        days=-10, deadline_days=-20, minutes="Protokoll: 48 Teilnehmende.", minutes_published_at=timezone.now()
    )
    html = client.get(reverse("events:conferences")).content.decode()
    assert past.event.title in html
    assert "48 Teilnehmende" in client.get(past.get_absolute_url()).content.decode()


def test_minutes_must_be_a_real_pdf():
    with pytest.raises(ValidationError):
        validate_pdf(SimpleUploadedFile("protokoll.pdf", b"<html>kein pdf</html>"))
    validate_pdf(SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4\n%%EOF"))


def test_conference_pages_run_bounded_queries(client, office, django_assert_max_num_queries):
    conference = make_conference()
    for n in range(15):
        proposal = services.propose_topic(conference=conference, user=make_user(), title=f"Thema {n}", description="x")
        services.support_proposal(proposal=proposal, user=make_user())
        decision = Decision.objects.create(conference=conference, number=n + 1, wording="x", responsible="QM")
        services.record_decision_update(decision=decision, status="in_progress", note="läuft")
    client.get("/")
    with django_assert_max_num_queries(10):
        client.get(conference.get_absolute_url())
    with django_assert_max_num_queries(10):
        client.get(reverse("events:decisions"))


def test_the_decisions_filter_by_conference_names_each_in_the_page_language(client, office):
    """The conference filter offers each published conference by its event's title (English where the event
    has one, German otherwise) and shows only the chosen conference's decisions, the choice kept."""
    spring = make_conference(days=-60, deadline_days=-70)
    spring.event.title_de, spring.event.title_en = "Frühjahrskonferenz", "Spring conference"
    spring.event.save()
    autumn = make_conference(days=-10, deadline_days=-20)
    autumn.event.title_de = "Herbstkonferenz"
    autumn.event.save()
    Decision.objects.create(conference=spring, number=1, wording="Bänke am Nordmarkt", responsible="QM")
    Decision.objects.create(conference=autumn, number=1, wording="Licht im Hoeschpark", responsible="QM")

    html = client.get(reverse("events:decisions"), {"conference": spring.pk}).content.decode()
    assert "Bänke am Nordmarkt" in html and "Licht im Hoeschpark" not in html
    assert f'<option value="{spring.pk}" selected>Frühjahrskonferenz</option>' in html
    assert f'<option value="{autumn.pk}">Herbstkonferenz</option>' in html
    assert "Beschluss 1 (Frühjahrskonferenz)" in html

    client.cookies["django_language"] = "en"
    html = client.get(reverse("events:decisions"), {"conference": autumn.pk}).content.decode()
    assert "Licht im Hoeschpark" in html and "Bänke am Nordmarkt" not in html
    assert f'<option value="{spring.pk}">Spring conference</option>' in html
    assert f'<option value="{autumn.pk}" selected>Herbstkonferenz</option>' in html
    assert "Decision 1 (Herbstkonferenz)" in html
