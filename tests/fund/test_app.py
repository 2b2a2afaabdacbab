"""The fund is an app of its own: label `fund`, its permissions held by the office group, and the migration
that moved it out of `initiatives` keeps the data and the groups' rights."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from initiatives.fund.models import FundApplication
from quartier.staff import office_group

from ..factories import make_staff, make_user
from .factories import make_application

FUND_MODELS = {
    "fund",
    "call",
    "jurymember",
    "fundapplication",
    "costline",
    "vote",
    "fundentry",
    "receipt",
    "reportphoto",
    "fundauditentry",
}


def test_the_fund_is_an_app_of_its_own():
    config = apps.get_app_config("fund")
    assert config.name == "initiatives.fund"
    assert {model._meta.model_name for model in config.get_models()} == FUND_MODELS
    assert not {model._meta.model_name for model in apps.get_app_config("initiatives").get_models()} & FUND_MODELS
    assert FundApplication._meta.db_table == "fund_fundapplication"


@pytest.mark.django_db
def test_the_office_group_holds_the_fund_permissions():
    group = office_group()
    held = set(group.permissions.filter(content_type__app_label="fund").values_list("codename", flat=True))
    assert {
        "change_fundapplication",
        "view_fundapplication",
        "correct_fundentry",
        "add_fundentry",
        "change_fund",
    } <= held
    assert make_staff().has_perm("fund.correct_fundentry")
    assert not Permission.objects.filter(content_type__app_label="initiatives", codename__contains="fund").exists()


def _migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets))


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_the_applications_and_the_groups_rights(postgres):
    """Back to the state before the move (the fund inside `initiatives`), a group with the old permission, then
    forwards again: the rows are there and the group holds `fund.change_fundapplication`. On PostgreSQL, the
    production database, only: the migrations take a minute (it passes on SQLite as well)."""
    application_pk = make_application(applicant=make_user()).pk
    try:
        _migrate(("fund", None), ("initiatives", "0007_fund_publish_name"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT title FROM initiatives_fundapplication WHERE id = %s", [application_pk])
            assert cursor.fetchone() == ("Hoffest",)
        ContentType.objects.clear_cache()
        old = Permission.objects.get(content_type__app_label="initiatives", codename="change_fundapplication")
        treasurers = Group.objects.create(name="Fonds-Kasse")
        treasurers.permissions.add(old)
    finally:
        _migrate(*MigrationExecutor(connection).loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    assert FundApplication.objects.get(pk=application_pk).title == "Hoffest"
    assert set(treasurers.permissions.values_list("content_type__app_label", "codename")) == {
        ("fund", "change_fundapplication")
    }
    assert not ContentType.objects.filter(app_label="initiatives", model__in=FUND_MODELS).exists()
