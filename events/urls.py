from django.urls import path

from . import counter, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("kalender.ics", views.feed, name="feed"),
    path("monat/", views.event_month, name="month"),
    path("neu/", views.event_edit, name="create"),
    path("initiative/<slug:slug>/kalender.ics", views.initiative_feed, name="initiative_feed"),
    path("meine-anmeldungen/", views.my_registrations, name="my_registrations"),
    path("stadtteilkonferenz/", views.conference_list, name="conferences"),
    path("stadtteilkonferenz/beschluesse/", views.decision_list, name="decisions"),
    path("stadtteilkonferenz/vorschlaege/<int:pk>/unterstuetzen/", views.proposal_support, name="proposal_support"),
    path("stadtteilkonferenz/<slug:slug>/", views.conference_detail, name="conference"),
    path("stadtteilkonferenz/<slug:slug>/thema-vorschlagen/", views.conference_propose, name="conference_propose"),
    # The office counter (events/counter.py): office staff register people without an account.
    path("anmeldungen/schalter/", counter.counter_registration, name="counter"),
    path("anmeldungen/<int:pk>/bestaetigung/", counter.counter_confirmation, name="counter_confirmation"),
    path("anmeldungen/<int:pk>/bestaetigung/pdf/", counter.counter_confirmation_pdf, name="counter_confirmation_pdf"),
    path("anmeldungen/<int:pk>/stornieren/", views.registration_cancel, name="registration_cancel"),
    path("absagen/<str:token>/", views.cancel_by_link, name="cancel_by_link"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/anmelden/", views.event_register, name="register"),
    path("<slug:slug>/bearbeiten/", views.event_edit, name="edit"),
    path("<slug:slug>/kalender.ics", views.event_calendar_file, name="ics"),
]
