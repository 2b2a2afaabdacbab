"""One allowance vocabulary: offers and the volunteers' engagements store the same AllowanceType values."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from initiatives.models import Offer
from quartier.allowances import AllowanceType
from volunteers import models as volunteer_models

from .factories import make_initiative

pytestmark = pytest.mark.django_db

migration = import_module("initiatives.migrations.0009_offer_allowance_types")


def _offer(**fields):
    return Offer.objects.create(
        initiative=make_initiative(),
        title="Trainer gesucht",
        description="x",
        when="samstags",
        time_needed="2 h",
        until=timezone.localdate() + timedelta(days=30),
        **fields,
    )


def test_offers_and_engagements_use_the_same_allowance_types():
    assert volunteer_models.AllowanceType is AllowanceType
    offered = {value for value, _label in Offer.ALLOWANCE_CHOICES} - {Offer.NO_ALLOWANCE}
    assert offered == set(AllowanceType.values)
    engaged = {value for value, _label in volunteer_models.Engagement._meta.get_field("allowance_type").choices}
    assert engaged == set(AllowanceType.values)


def test_an_offer_still_says_which_allowance_is_possible(client, office):
    offer = _offer(allowance=AllowanceType.TRAINER)
    assert "Übungsleiterpauschale möglich" in client.get(offer.get_absolute_url()).content.decode()


def test_the_migration_maps_the_offers_old_values_and_back():
    trainer, honorary, none = _offer(allowance="uebungsleiter"), _offer(allowance="ehrenamt"), _offer()
    migration.to_allowance_types(apps, None)
    assert [o.allowance for o in Offer.objects.filter(pk__in=[trainer.pk, honorary.pk, none.pk]).order_by("pk")] == [
        AllowanceType.TRAINER,
        AllowanceType.HONORARY,
        Offer.NO_ALLOWANCE,
    ]
    migration.to_old_values(apps, None)
    assert set(Offer.objects.values_list("allowance", flat=True)) == {"uebungsleiter", "ehrenamt", "none"}
