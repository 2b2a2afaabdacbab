from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("neu/", views.initiative_create, name="create"),
    path("meine/", views.my_initiatives, name="my_initiatives"),
    path("einladung/<str:token>/", views.invitation, name="invitation"),
    path("anfragen/<int:pk>/entscheiden/", views.decide_request, name="decide_request"),
    path("mitgliedschaften/<int:pk>/rolle/", views.change_role, name="change_role"),
    path("mitgliedschaften/<int:pk>/beenden/", views.leave, name="leave"),
    path("<slug:slug>/", views.initiative_detail, name="detail"),
    path("<slug:slug>/bearbeiten/", views.initiative_edit, name="edit"),
    path("<slug:slug>/mitglieder/", views.members, name="members"),
    path("<slug:slug>/beitreten/", views.join, name="join"),
    path("<slug:slug>/kontakt/", views.contact, name="contact"),
]
