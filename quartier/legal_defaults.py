"""German default texts of the legal pages, shipped with the office record and edited by staff in the admin.

The texts are plain text with blank lines between paragraphs; lines starting with "## " become headings.
Placeholders in curly braces ({name}, {address}, …) are filled from the office record when shown.
"""

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
