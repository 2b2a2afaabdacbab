from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("neu/", views.initiative_create, name="create"),
    path("mitmachen/", views.volunteering, name="volunteering"),
    path("mitmachen/<int:pk>/", views.offer_detail, name="offer"),
    path("mitmachen/antworten/<int:pk>/entscheiden/", views.decide_response, name="decide_response"),
    path("meine/", views.my_initiatives, name="my_initiatives"),
    path("einladung/<str:token>/", views.invitation, name="invitation"),
    path("einladungen/<int:pk>/zurueckziehen/", views.revoke_invitation, name="revoke_invitation"),
    path("anfragen/<int:pk>/entscheiden/", views.decide_request, name="decide_request"),
    path("mitgliedschaften/<int:pk>/rolle/", views.change_role, name="change_role"),
    path("mitgliedschaften/<int:pk>/beenden/", views.leave, name="leave"),
    path("<slug:slug>/", views.initiative_detail, name="detail"),
    path("<slug:slug>/bearbeiten/", views.initiative_edit, name="edit"),
    path("<slug:slug>/mitglieder/", views.members, name="members"),
    path("<slug:slug>/beitreten/", views.join, name="join"),
    path("<slug:slug>/kontakt/", views.contact, name="contact"),
    path("<slug:slug>/folgen/", views.follow, name="follow"),
    path("<slug:slug>/melden/", views.report, name="report"),
    path("<slug:slug>/angebote/neu/", views.offer_edit, name="offer_create"),
    path("<slug:slug>/angebote/<int:pk>/bearbeiten/", views.offer_edit, name="offer_edit"),
    path("<slug:slug>/projekte/neu/", views.project_edit, name="project_create"),
    path("<slug:slug>/projekte/<slug:project_slug>/", views.project_detail, name="project"),
    path("<slug:slug>/projekte/<slug:project_slug>/bearbeiten/", views.project_edit, name="project_edit"),
    path("<slug:slug>/projekte/<slug:project_slug>/neuigkeit/", views.project_news, name="project_news"),
    path("<slug:slug>/projekte/<slug:project_slug>/folgen/", views.follow, name="project_follow"),
    path("<slug:slug>/projekte/<slug:project_slug>/melden/", views.report, name="project_report"),
]
