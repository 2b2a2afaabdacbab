from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("", views.my_allowances, name="my_allowances"),
    path("erklaerung/", views.declaration_create, name="declaration_create"),
    path("erklaerung/<int:pk>/dokument/", views.declaration_document, name="declaration_document"),
    path("bescheinigung/<int:volunteer_id>/<int:year>/", views.statement, name="statement"),
    path("bescheinigung/<int:volunteer_id>/<int:year>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("zahlungen/buero/<int:year>/", views.payer_payments, name="office_payments"),
    path("zahlungen/buero/<int:year>/csv/", views.payer_payments_csv, name="office_payments_csv"),
    path("zahlungen/<slug:slug>/<int:year>/", views.payer_payments, name="payer_payments"),
    path("zahlungen/<slug:slug>/<int:year>/csv/", views.payer_payments_csv, name="payer_payments_csv"),
    path("uebersicht/", views.staff_overview, name="staff_overview"),
]
