"""German default texts of the legal pages and the Leichte Sprache page, shipped with the office record and edited
by staff in the admin.

The texts are plain text with blank lines between paragraphs; lines starting with "## " become headings.
Placeholders in curly braces ({name}, {address}, …) are filled from the office record when shown (`fill`).
"""


class _Blank(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def fill(text: str, office) -> str:
    """The text with the office's placeholders filled; an unknown one or a stray brace stays as written."""
    values = _Blank(
        name=office.name,
        district=office.district,
        address=", ".join(office.address_lines),
        phone=office.phone,
        email=office.email,
        operator=office.operator or office.name,
        representative=office.representative or office.name,
        opening_hours=office.opening_hours,
    )
    try:
        return text.format_map(values)
    except (ValueError, IndexError):
        return text  # a stray brace in a staff text: show it as written


IMPRINT = """## Angaben gemäß § 5 DDG
{operator}
{name} {district}
{address}

## Vertreten durch
{representative}

## Kontakt
Telefon: {phone}
E-Mail: {email}

## Verantwortlich für den Inhalt
{representative}, Anschrift wie oben.

## Haftung für Links
Dieses Portal enthält Links zu Webseiten Dritter. Für deren Inhalte sind die jeweiligen Anbieter verantwortlich.

## Streitbeilegung
Wir sind nicht verpflichtet und nicht bereit, an einem Streitbeilegungsverfahren vor einer \
Verbraucherschlichtungsstelle teilzunehmen."""

PRIVACY = """## Verantwortliche Stelle
{operator}, {name} {district}, {address}. E-Mail: {email}, Telefon: {phone}.

## Welche Daten wir verarbeiten
Wenn Sie ein Konto anlegen, speichern wir Ihre E-Mail-Adresse, Ihren Anzeigenamen, Ihre Sprache und \
ein verschlüsseltes Passwort. Wenn Sie einen Raum buchen oder sich zu einer Veranstaltung anmelden, \
speichern wir die Angaben aus dem Formular. Rechtsgrundlage ist Art. 6 Abs. 1 lit. b DSGVO (Vertrag) \
und lit. e DSGVO (Aufgabe im öffentlichen Interesse).

## Was andere sehen
Andere sehen Ihren Anzeigenamen, nie Ihre E-Mail-Adresse: zum Beispiel die Mitglieder Ihrer Initiativen, \
und bei einem Antrag an den Quartiersfonds die Jury. Die öffentliche Liste der geförderten Projekte nennt \
bei einem Antrag als Privatperson Ihren Namen nur, wenn Sie im Antrag zustimmen. Sonst steht dort \
„Privatperson“. Bei einem Antrag einer Initiative steht dort der Name der Initiative. Rechtsgrundlage \
ist Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO). Sie können sie jederzeit beim Büro widerrufen: {email}.

## Cookies
Wir setzen nur technisch notwendige Cookies: die Sitzung (wenn Sie angemeldet sind), den Schutz vor \
gefälschten Formularen (CSRF) und Ihre gewählte Sprache. Wir setzen keine Cookies zur Analyse oder Werbung.

## Keine Dienste Dritter
Alle Schriften, Bilder und Skripte kommen von diesem Portal. Wir binden keine Dienste anderer Anbieter ein.

## Server-Protokolle
Der Server speichert beim Aufruf einer Seite technische Daten (Adresse, Zeit, Seite) für höchstens 7 Tage, \
um Angriffe zu erkennen (Art. 6 Abs. 1 lit. f DSGVO).

## Speicherdauer
Wir löschen Ihre Daten, wenn Sie Ihr Konto löschen. Zahlungsbelege bewahren wir so lange auf, wie es \
das Gesetz verlangt (§ 147 AO).

## Ihre Rechte
Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung, \
Datenübertragbarkeit und Widerspruch (Art. 15 bis 21 DSGVO). Schreiben Sie uns: {email}. \
Wir antworten innerhalb eines Monats. Sie können sich auch bei einer Datenschutz-Aufsichtsbehörde beschweren."""

ACCESSIBILITY = """## Stand der Vereinbarkeit
Wir möchten, dass alle Menschen dieses Portal nutzen können. Es soll die Anforderungen der \
BITV 2.0 und der WCAG 2.1 auf Stufe AA erfüllen. Wir prüfen jede Seite automatisch mit axe-core \
und dem Nu HTML Checker.

## Bekannte Einschränkungen
Dokumente, die Initiativen hochladen (zum Beispiel PDF-Dateien), sind nicht immer barrierefrei.

## Feedback und Kontakt
Ist Ihnen eine Barriere aufgefallen? Schreiben Sie uns: {email}, oder rufen Sie an: {phone}. \
Wir antworten innerhalb von zwei Wochen.

## Schlichtungsverfahren
Wenn Sie mit unserer Antwort nicht zufrieden sind, können Sie sich an die Schlichtungsstelle nach \
§ 16 BGG wenden: Schlichtungsstelle BGG, Mauerstraße 53, 10117 Berlin, www.schlichtungsstelle-bgg.de. \
Für Stellen eines Landes ist die Ombudsstelle des Landes zuständig."""

# The page in Leichte Sprache (quartier/leichte_sprache.py): the rules of the Netzwerk Leichte Sprache and of
# DIN SPEC 33429. One sentence per line, one statement per sentence, hard words explained where they first come.
# "Bild: <name>" right under a heading puts that picture beside the section (PICTURES in quartier/leichte_sprache.py).
LEICHTE_SPRACHE = """Hier erklären wir das Portal in Leichter Sprache.

## Das ist das Portal
Bild: haus
Das Portal ist eine Internet-Seite.
Die Internet-Seite gehört zum Büro: {name} {district}.
Das Büro hilft den Menschen im Stadtteil.
Das Portal ist kostenlos.

Im Portal können Sie:
- einen Raum finden und buchen
- zu Veranstaltungen gehen
- bei der Stadtteil-Konferenz mitmachen
- Gruppen im Stadtteil finden

Die Gruppen heißen auch: Initiativen.
In einer Initiative machen Menschen zusammen etwas für den Stadtteil.

## Einen Raum finden und buchen
Bild: tuer
Im Stadtteil gibt es Räume für Treffen.
Sie können einen Raum buchen.
Buchen heißt: Sie sagen vorher Bescheid.
Dann ist der Raum zu dieser Zeit für Sie da.
Für das Buchen brauchen Sie ein Konto.
Ein Konto ist Ihr eigener Bereich im Portal.

So bekommen Sie ein Konto:
1. Klicken Sie oben auf: Registrieren.
2. Schreiben Sie Ihre E-Mail-Adresse in das Feld.
3. Denken Sie sich ein Passwort aus.
4. Sie bekommen eine E-Mail.
5. Klicken Sie auf den Link in der E-Mail.

Ein Passwort ist ein geheimes Wort.
Nur Sie kennen das Passwort.

So buchen Sie einen Raum:
1. Klicken Sie oben auf: Räume.
2. Suchen Sie einen Raum aus.
3. Klicken Sie auf: Diesen Raum buchen.
4. Wählen Sie den Tag und die Uhrzeit.
5. Sie bekommen eine E-Mail.

In der E-Mail steht alles zu Ihrer Buchung.
Bei manchen Räumen prüft das Büro die Buchung zuerst.
Dann bekommen Sie später noch eine E-Mail.
In der E-Mail steht dann: Das Büro sagt Ja zu Ihrer Buchung.
Manche Räume kosten Geld.
Der Preis steht auf der Seite von dem Raum.

## Zu Veranstaltungen gehen
Bild: kalender
Im Stadtteil gibt es viele Veranstaltungen.
Eine Veranstaltung ist ein Treffen für viele Menschen.
Zum Beispiel: ein Fest, ein Kurs oder ein Spiele-Abend.

So finden Sie Veranstaltungen:
1. Klicken Sie oben auf: Veranstaltungen.
2. Dort stehen alle Veranstaltungen.
3. Bei jeder Veranstaltung stehen der Tag, die Uhrzeit und der Ort.

Für manche Veranstaltungen melden Sie sich vorher an.
Dann klicken Sie bei der Veranstaltung auf: Anmelden.
Sie bekommen dann eine E-Mail.

## Bei der Stadtteil-Konferenz mitmachen
Bild: menschen
Die Stadtteil-Konferenz ist ein großes Treffen.
Bei dem Treffen sprechen die Menschen über den Stadtteil.
Alle Menschen aus dem Stadtteil dürfen kommen.
Sie dürfen mitreden.
Sie dürfen auch ein Thema vorschlagen.
Ein Thema ist eine Sache.
Über diese Sache möchten Sie bei dem Treffen sprechen.

So schlagen Sie ein Thema vor:
1. Klicken Sie oben auf: Stadtteilkonferenz.
2. Wählen Sie das nächste Treffen aus.
3. Klicken Sie auf: Thema vorschlagen.
4. Schreiben Sie Ihr Thema auf.

Für das Vorschlagen brauchen Sie ein Konto.

## So erreichen Sie das Büro
Bild: telefon
Das Büro heißt: {name} {district}.

Das ist die Adresse:
{address}

Sie können anrufen.
Das ist die Telefon-Nummer:
{phone}

Sie können eine E-Mail schreiben.
Das ist die E-Mail-Adresse:
{email}

Zu diesen Zeiten ist das Büro offen:
{opening_hours}

## Barriere-Freiheit
Bild: rollstuhl
Alle Menschen sollen das Portal gut benutzen können.
Das heißt: Barriere-Freiheit.
Eine Barriere ist ein Hindernis.
Zum Beispiel: Eine Schrift ist zu klein zum Lesen.

Wir prüfen jede Seite vom Portal mit einem Computer-Programm.
Manche Dateien im Portal sind von den Initiativen.
Diese Dateien sind manchmal schwer zu lesen.

Haben Sie ein Hindernis im Portal gefunden?
Dann sagen Sie es uns bitte.
Schreiben Sie eine E-Mail an: {email}
Oder rufen Sie uns an: {phone}
Wir antworten Ihnen innerhalb von 2 Wochen.

Sind Sie mit unserer Antwort unzufrieden?
Dann können Sie sich bei der Schlichtungs-Stelle melden.
Die Schlichtungs-Stelle hilft bei einem Streit.
Die Hilfe ist kostenlos.

Den ganzen Text gibt es auch in schwerer Sprache.
Der Text heißt: Erklärung zur Barrierefreiheit.
Sie finden den Text unten auf jeder Seite."""
