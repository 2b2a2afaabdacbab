"""Each app declares what it adds to the portal in its apps.py; quartier/ collects it and hides no error."""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from initiatives.models import Membership
from quartier import contributions, privacy
from quartier.contributions import CONTRIBUTIONS, PortalApp
from quartier.models import User

from ..factories import make_staff, make_user
from ..initiatives.factories import make_initiative, make_membership

# The apps of this repository: below its folder, but not the installed packages (a virtualenv may lie inside it).
OWN_APPS = [
    config
    for config in apps.get_app_configs()
    if Path(config.path).is_relative_to(settings.BASE_DIR) and "site-packages" not in Path(config.path).parts
]


def test_the_portal_has_its_own_apps():
    assert {config.label for config in OWN_APPS} >= {"quartier", "initiatives", "rooms", "events", "volunteers"}


@pytest.mark.parametrize("config", OWN_APPS, ids=lambda config: config.label)
def test_every_portal_app_declares_its_contributions_in_its_own_apps_py(config):
    assert isinstance(config, PortalApp)
    declared = {name for cls in type(config).__mro__ if cls not in (PortalApp, object) for name in vars(cls)}
    assert set(CONTRIBUTIONS) <= declared, f"{config.label} leaves out {set(CONTRIBUTIONS) - declared}"


@pytest.mark.parametrize("config", OWN_APPS, ids=lambda config: config.label)
def test_every_declared_hook_imports_and_every_link_resolves(config):
    for section in [*config.home_sections, *config.dashboard_sections]:
        assert callable(import_string(section.function))
    for link in [*config.navigation, *config.account_navigation]:
        assert reverse(link.url_name)
    if config.privacy:
        module = import_module(config.privacy)
        assert hasattr(module, "erase") or hasattr(module, "export")
    if config.demo:
        assert callable(import_module(config.demo).seed_demo)
    if config.report:
        assert callable(import_string(config.report))
    for label in config.cache_labels:
        assert apps.get_app_config(label)


def test_the_menus_and_sections_keep_their_order():
    assert [link.url_name for link in contributions.navigation()] == [
        "initiatives:list",
        "rooms:list",
        "events:list",
        "events:conferences",
        "initiatives:volunteering",
        "fund:home",
    ]
    assert [link.url_name for link in contributions.account_navigation()] == [
        "rooms:my_bookings",
        "events:my_registrations",
        "initiatives:my_initiatives",
        "volunteers:my_allowances",
        "fund:my_applications",
    ]
    assert [f"{s.__module__}.{s.__name__}" for s in contributions.home_sections()] == [
        "rooms.views.home_section",
        "events.views.home_section",
        "initiatives.views.home_section",
        "initiatives.fund.views.home_section",
    ]
    assert [f"{s.__module__}.{s.__name__}" for s in contributions.dashboard_sections()] == [
        "rooms.dashboard.section",
        "rooms.counter.dashboard_section",
        "rooms.dashboard.waitlist_section",
        "events.dashboard.section",
        "events.counter.dashboard_section",
        "volunteers.dashboard.section",
        "initiatives.dashboard.section",
        "initiatives.fund.dashboard.section",
        "quartier.dashboard.section",
    ]
    assert [module.__name__ for module in contributions.demo_modules()] == [
        "initiatives.demo",
        "rooms.demo",
        "events.demo",
        "volunteers.demo",
        "initiatives.fund.demo",
    ]
    assert contributions.cache_labels() == {"rooms", "events", "initiatives", "fund"}


HOME_SECTIONS = ["rooms.views", "events.views", "initiatives.views", "initiatives.fund.views"]


@pytest.mark.django_db
def test_the_home_page_shows_every_apps_section_in_order(client, office, monkeypatch):
    for module in HOME_SECTIONS:
        monkeypatch.setattr(f"{module}.home_section", lambda request, module=module: f"<p>section {module}</p>")
    html = client.get("/").content.decode()
    positions = [html.index(f"<p>section {module}</p>") for module in HOME_SECTIONS]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_the_dashboard_shows_every_apps_section(client, office, monkeypatch):
    modules = [
        "rooms.dashboard",
        "events.dashboard",
        "volunteers.dashboard",
        "initiatives.dashboard",
        "initiatives.fund.dashboard",
        "quartier.dashboard",
    ]
    for module in modules:
        monkeypatch.setattr(f"{module}.section", lambda request, module=module: mark_safe(f"<p>part {module}</p>"))
    client.force_login(make_staff())
    html = client.get(reverse("dashboard")).content.decode()
    positions = [html.index(f"<p>part {module}</p>") for module in modules]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_the_header_shows_the_declared_menus(client, office):
    client.force_login(make_user())
    html = client.get(reverse("profile")).content.decode()  # the account menu is on the account pages
    for link in [*contributions.navigation(), *contributions.account_navigation()]:
        assert f'href="{reverse(link.url_name)}"' in html


@pytest.mark.django_db
def test_an_erasure_hook_that_fails_fails_the_deletion_instead_of_being_skipped(office, monkeypatch):
    maria = make_user(email="maria@example.org")
    make_membership(initiative=make_initiative(), user=maria, role=Membership.Role.MEMBER)

    def broken(user):
        raise RuntimeError("the initiatives' erasure broke")

    monkeypatch.setattr("initiatives.privacy.erase", broken)
    with pytest.raises(RuntimeError, match="erasure broke"):
        privacy.delete_account(maria)
    maria = User.objects.get(pk=maria.pk)
    assert maria.email == "maria@example.org" and maria.is_active  # nothing half-deleted
    assert Membership.objects.filter(user=maria).exists()


@pytest.mark.django_db
def test_a_privacy_module_that_does_not_import_fails_the_deletion(office, monkeypatch):
    maria = make_user(email="maria@example.org")
    monkeypatch.setattr(apps.get_app_config("events"), "privacy", "events.no_such_privacy_module")
    with pytest.raises(ModuleNotFoundError):
        privacy.delete_account(maria)
    assert User.objects.get(pk=maria.pk).is_active
