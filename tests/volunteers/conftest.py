from importlib import import_module

import pytest
from django.apps import apps


@pytest.fixture(autouse=True)
def _caps(db):
    """The caps come from a data migration; a transactional test's flush removes them, so put them back."""
    import_module("volunteers.migrations.0002_allowance_caps").add_caps(apps, None)
