from django.urls import path

from . import views

app_name = "fund"

urlpatterns = [
    path("", views.fund_home, name="home"),
    path("gefoerdert/", views.funded_list, name="funded"),
    path("gefoerdert/<int:year>/", views.funded_list, name="funded_year"),
    path("meine/", views.my_applications, name="my_applications"),
    path("aufrufe/<int:pk>/", views.call_detail, name="call"),
    path("aufrufe/<int:pk>/antrag/", views.application_create, name="apply"),
    path("aufrufe/<int:pk>/sitzung/", views.session, name="session"),
    path("antraege/<int:pk>/", views.application_detail, name="application"),
    path("antraege/<int:pk>/bearbeiten/", views.application_edit, name="edit"),
    path("antraege/<int:pk>/einreichen/", views.application_submit, name="submit"),
    path("antraege/<int:pk>/belege/", views.receipt_upload, name="receipts"),
    path("antraege/<int:pk>/bericht/", views.report_edit, name="report"),
    path("antraege/<int:pk>/bescheid/", views.notice, name="notice"),
    path("antraege/<int:pk>/bescheid/pdf/", views.notice_pdf, name="notice_pdf"),
    path("antraege/<int:pk>/pruefen/", views.application_check, name="check"),
    path("antraege/<int:pk>/abstimmen/", views.vote, name="vote"),
    path("antraege/<int:pk>/entscheiden/", views.application_decide, name="decide"),
    path("antraege/<int:pk>/buchen/", views.application_book, name="book"),
    path("antraege/<int:pk>/abschliessen/", views.application_close, name="close"),
    path("belege/<int:pk>/", views.receipt_file, name="receipt_file"),
    path("verwaltung/", views.staff_index, name="staff"),
    path("verwaltung/<int:pk>/", views.fund_overview, name="overview"),
    path("verwaltung/zuschuesse/<int:year>.csv", views.grants_csv, name="grants_csv"),
]
