"""The page in Leichte Sprache (issue 17, part 3): linked from every page's header, the office's editable text with
a shipped default, the office's contact data, and a video in German Sign Language uploaded (validated, self-hosted)
or linked (never embedded)."""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quartier import legal_defaults, views
from quartier.documents import detect_kind, validate_video
from quartier.models import Office

from ..rooms.factories import make_room

pytestmark = pytest.mark.django_db

URL = "/leichte-sprache/"
DEFAULT_HEADINGS = [
    "Das ist das Portal",
    "Einen Raum finden und buchen",
    "Zu Veranstaltungen gehen",
    "Bei der Stadtteil-Konferenz mitmachen",
    "So erreichen Sie das Büro",
    "Barriere-Freiheit",
]
# The first bytes of real files: an MP4 ("ftyp" box, brand isom) and a WebM (EBML header, document type webm).
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 2000
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100


def _headings(html: str) -> list[str]:
    return re.findall(r"<h2[^>]*>([^<]+)</h2>", html)


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("page", ["home", "room", "login"])
def test_every_page_links_to_leichte_sprache_in_its_header(client, office, page):
    room = make_room(name="Nachbarschaftscafé", slug="nachbarschaftscafe")
    url = {"home": "/", "room": room.get_absolute_url(), "login": reverse("account_login")}[page]
    html = client.get(url).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    link = re.search(r'<a class="easy-read-link" href="/leichte-sprache/" hreflang="de">(.*?)</a>', header)
    assert link is not None
    assert '<img src="/static/img/leichte-sprache.svg" alt=""' in link[1]  # the pictogram; the words carry the name
    assert "Leichte Sprache" in link[1]


def test_the_header_link_in_english_points_to_the_same_page(client, office):
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert re.search(r'href="/leichte-sprache/" hreflang="de"><img[^>]*><span>Easy-to-read German</span>', html)


def test_the_page_explains_the_portal_in_the_shipped_sections(client, office):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert _headings(_main(html)) == DEFAULT_HEADINGS
    assert "<h1>Leichte Sprache</h1>" in html
    assert "Eine Barriere ist ein Hindernis.<br>" in html  # one sentence per line
    assert "<li>Klicken Sie oben auf: Räume.</li>" in html  # the steps as a numbered list
    assert "<ol>" in html
    # a picture beside each section, decorative (the heading says what the section is about)
    for name in ("haus", "tuer", "kalender", "menschen", "telefon", "rollstuhl"):
        assert f'<img class="easy__picture" src="/static/img/leichte-sprache/{name}.svg" alt=""' in html
    assert "Gebärdensprache" not in _headings(html)  # nothing of the video while the office has none


def test_the_shipped_text_is_the_default_of_the_office_record(db):
    assert Office.load().leichte_sprache == legal_defaults.LEICHTE_SPRACHE


def test_the_page_shows_the_office_contact_data(client, office):
    html = client.get(URL).content.decode()
    section = html[html.index("So erreichen Sie das Büro") :]
    assert "Das Büro heißt: Quartiersmanagement Nordstadt." in section
    assert "Bornstraße 12, 44145 Dortmund" in section
    assert '<a href="tel:02311234560">0231 123 456 0</a>' in section
    assert '<a href="mailto:info@quartier.example">info@quartier.example</a>' in section
    assert "Mo–Do 10:00–16:00" in section  # the opening hours of the office record


def test_the_office_text_replaces_the_default(client, office):
    office.leichte_sprache = (
        "Willkommen.\n\n## Unser Büro\nBild: telefon\nRufen Sie an: {phone}\n\n- Montag\n- Dienstag"
    )
    office.save()
    html = _main(client.get(URL).content.decode())
    assert _headings(html) == ["Unser Büro"]
    assert "Willkommen." in html
    assert 'src="/static/img/leichte-sprache/telefon.svg"' in html
    assert 'Rufen Sie an: <a href="tel:02311234560">' in html
    assert "<li>Montag</li>" in html and "<li>Dienstag</li>" in html
    assert "Das ist das Portal" not in html


def test_the_office_text_is_escaped_and_an_unknown_picture_stays_text(client, office):
    office.leichte_sprache = '## Test <script>alert(1)</script>\nBild: einhorn\n<img src="https://example.com/x.png">'
    office.save()
    html = _main(client.get(URL).content.decode())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "https://example.com" not in html.replace("&quot;https://example.com", "")  # only as escaped text
    assert "<img src=" not in html
    assert "Bild: einhorn" in html


def test_the_page_is_german_with_a_note_in_the_interface_language(client, office):
    client.cookies["django_language"] = "en"
    response = client.get(URL)
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert response["Content-Language"] == "de"
    assert '<p class="note easy__note" lang="en">This page is in Leichte Sprache, easy-to-read German.</p>' in html
    assert _headings(_main(html)) == DEFAULT_HEADINGS


def test_an_arabic_note_reads_right_to_left_inside_the_german_page(client, office, monkeypatch):
    from django.utils import translation

    arabic = (
        "هذه الصفحة بلغة ألمانية سهلة."  # as the translators will write it, whether or not the catalogue has it yet
    )

    def gettext(message):
        return arabic if translation.get_language() == "ar" else translation.gettext(message)

    monkeypatch.setattr(views, "_", gettext)
    client.cookies["django_language"] = "ar"
    html = client.get(URL).content.decode()
    assert '<html lang="de"' in html
    assert f'<p class="note easy__note" lang="ar" dir="rtl">{arabic}</p>' in html


def test_a_language_without_the_sentence_gets_it_in_english_not_german(client, office, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "Français")]  # a language without any catalogue
    client.cookies["django_language"] = "fr"
    html = client.get(URL).content.decode()
    assert '<p class="note easy__note" lang="en">This page is in Leichte Sprache, easy-to-read German.</p>' in html


def test_in_german_the_page_has_no_note(client, office):
    html = client.get(URL).content.decode()
    assert '<html lang="de"' in html
    assert "easy__note" not in html
    assert 'aria-current="page"><img src="/static/img/leichte-sprache.svg"' in html  # the header link: this page


def test_the_page_loads_nothing_from_other_hosts(client, office):
    html = client.get(URL).content.decode()
    addresses = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert addresses
    assert [address for address in addresses if re.match(r"(https?:)?//", address)] == []
    assert "<iframe" not in html


# --- The video in German Sign Language ----------------------------------------------------------------------


def _admin_data(office: Office, **fields) -> dict:
    data = {
        "name": office.name,
        "district": office.district,
        "street": office.street,
        "postcode": office.postcode,
        "city": office.city,
        "phone": office.phone,
        "email": office.email,
        "opening_hours_de": office.opening_hours,
        "imprint_de": office.imprint,
        "privacy_de": office.privacy,
        "accessibility_de": office.accessibility,
        "leichte_sprache": office.leichte_sprache,
        "data_licence": office.data_licence,
        "data_licence_url": office.data_licence_url,
    }
    return {**data, **fields}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _upload(client, office, name: str, content: bytes, content_type: str = "video/mp4"):
    video = SimpleUploadedFile(name, content, content_type=content_type)
    url = reverse("admin:quartier_office_change", args=[1])
    return client.post(url, _admin_data(office, sign_language_video=video))


def test_staff_edit_the_text_in_the_admin(client, staff, office):
    client.force_login(staff)
    url = reverse("admin:quartier_office_change", args=[1])
    assert "Leichte Sprache und Gebärdensprache" in client.get(url).content.decode()
    response = client.post(url, _admin_data(office, leichte_sprache="## Neu im Büro\nWir sind da."))
    assert response.status_code == 302
    assert _headings(_main(client.get(URL).content.decode())) == ["Neu im Büro"]


def test_a_file_that_is_not_a_video_is_refused(client, staff, office, media):
    client.force_login(staff)
    response = _upload(client, office, "film.mp4", b"%PDF-1.7 not a film at all")
    assert response.status_code == 200
    assert "Bitte laden Sie ein Video als MP4- oder WebM-Datei hoch." in response.content.decode()
    assert not Office.objects.get().sign_language_video


def test_a_picture_in_an_iso_media_file_is_not_a_video(client, staff, office, media):
    client.force_login(staff)
    response = _upload(client, office, "film.mp4", HEIC)
    assert "Bitte laden Sie ein Video als MP4- oder WebM-Datei hoch." in response.content.decode()


def test_a_video_larger_than_the_limit_is_refused(client, staff, office, media, monkeypatch):
    monkeypatch.setattr(validate_video, "max_mb", 1)  # the same rule as 100 MB, without writing 100 MB
    client.force_login(staff)
    response = _upload(client, office, "film.mp4", MP4 + b"\x00" * (1024 * 1024))
    assert response.status_code == 200
    assert "Die Datei ist größer als 1 MB." in response.content.decode()
    assert not Office.objects.get().sign_language_video


def test_the_video_limit_is_100_mb():
    assert validate_video.max_mb == 100


def test_an_uploaded_video_plays_on_the_page_without_autoplay(client, staff, office, media):
    client.force_login(staff)
    assert _upload(client, office, "Gebärden Film.mp4", MP4).status_code == 302
    stored = Office.objects.get().sign_language_video
    assert re.fullmatch(r"office/[0-9a-f]{32}\.mp4", stored.name)  # a generated name with the detected extension
    client.logout()
    html = _main(client.get(URL).content.decode())
    assert '<h2 id="easy-sign-language">Gebärdensprache</h2>' in html
    video = re.search(r"<video[^>]*>", html)[0]
    assert "controls" in video and "autoplay" not in video
    assert f'<source src="/media/{stored.name}" type="video/mp4">' in html


def test_a_webm_video_is_accepted_and_served_as_webm(client, staff, office, media):
    client.force_login(staff)
    assert _upload(client, office, "film.webm", WEBM, "video/webm").status_code == 302
    stored = Office.objects.get().sign_language_video
    assert stored.name.endswith(".webm")
    assert f'<source src="/media/{stored.name}" type="video/webm">' in client.get(URL).content.decode()


def test_a_linked_video_is_a_plain_link_to_the_other_site(client, office):
    office.sign_language_url = "https://gebaerden.example.org/quartier"
    office.save()
    html = _main(client.get(URL).content.decode())
    assert '<a href="https://gebaerden.example.org/quartier" rel="external noopener">' in html
    assert "Der Link führt zu einer anderen Internet-Seite." in html
    assert "<iframe" not in html and "<video" not in html and "<embed" not in html and "<object" not in html


def test_detect_kind_tells_videos_from_pictures():
    assert detect_kind(BytesIO(MP4)) == "mp4"
    assert detect_kind(BytesIO(WEBM)) == "webm"
    assert detect_kind(BytesIO(HEIC)) is None
    assert detect_kind(BytesIO(WEBM.replace(b"webm", b"mkvx"))) is None
