from django.urls import path

from . import counter, door, views, waitlist_views
from .links import urlpatterns as link_urlpatterns

app_name = "rooms"

urlpatterns = [
    path("", views.room_list, name="list"),
    path("meine-buchungen/", views.my_bookings, name="my_bookings"),
    path("buchungen/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("buchungen/<int:pk>/stornieren/", views.booking_cancel, name="booking_cancel"),
    path("buchungen/<int:pk>/serie-stornieren/", views.series_cancel, name="series_cancel"),
    *link_urlpatterns,
    path("<slug:slug>/", views.room_detail, name="detail"),
    path("<slug:slug>/buchen/", views.booking_create, name="book"),
    path("<slug:slug>/warteliste/", waitlist_views.join, name="waitlist_join"),
    # Door sign, entrance screen and notice sheet (rooms/door.py): public, no login, no personal data.
    path("<slug:slug>/heute/", door.room_today, name="today"),
    path("<slug:slug>/aushang/", door.room_notice, name="notice"),
    path("<slug:slug>/aushang/pdf/", door.room_notice_pdf, name="notice_pdf"),
    path("haus/<slug:slug>/heute/", door.location_today, name="location_today"),
    # The office counter (rooms/counter.py): office staff book for people without an account.
    path("buchungen/schalter/", counter.counter_booking, name="counter"),
    path("buchungen/schalter/tag/", counter.counter_day, name="counter_day"),
    path("buchungen/<int:pk>/nicht-erschienen/", counter.counter_no_show, name="counter_no_show"),
    path("buchungen/<int:pk>/bestaetigung/", counter.counter_confirmation, name="counter_confirmation"),
    path("buchungen/<int:pk>/bestaetigung/pdf/", counter.counter_confirmation_pdf, name="counter_confirmation_pdf"),
]
