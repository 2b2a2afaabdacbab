"""What the apps add to the portal, declared in each app's own `apps.py` and collected here.

An app's `AppConfig` carries these class attributes (each may be empty; `PortalApp` gives the defaults):

- `home_sections`, `dashboard_sections`: `Section(position, "app.module.function")`; the function takes the
  request and returns rendered HTML ("" for nothing to show). The dashboard's sections decide themselves
  what the person's permissions cover. A home section renders its template with `render_home_section`.
- `navigation`, `account_navigation`: `Link(position, "namespace:url_name", label)`, the main menu and the
  account menu.
- `privacy`: the dotted path of a module with `erase(user)` and/or `export(user, rows) -> dict`
  (see quartier/privacy.py), or None.
- `demo`: the dotted path of a module with `seed_demo(stdout)` (see the `seed_demo` command), or None.
- `api`: the dotted path of the app's `ninja.Router` of the open-data API (/api/v1/, quartier/api.py), or None.
- `report`: the dotted path of a function `section(period) -> report.Section` with the app's figures of the
  annual report (quartier/report.py), or None.
- `cache_labels`: the app labels whose writes start a new generation of the cached fragments
  (quartier/caching.py): the data the app's cached pages and home sections show.
- `counter_claims`: `CounterClaim("app.Model", "user field", "address field")` (quartier/counter.py): what the
  office counter enters for a person without an account and that joins the account confirming her address.
  Optional (empty by default): only apps with a counter declare it.

Apps are asked in INSTALLED_APPS order (as `admin.autodiscover` does). Sections and links are placed by
their position, so that the menus keep the order the office chose across apps (equal positions: app order).
Nothing here catches an error: a hook that does not import or fails inside fails the page or the command,
never skips quietly (an erasure that silently left an app out would keep a deleted person's data).
"""

from collections.abc import Callable, Iterator
from functools import cache
from importlib import import_module
from types import ModuleType
from typing import NamedTuple

from django.apps import AppConfig, apps
from django.template.loader import get_template
from django.utils.module_loading import import_string


class Section(NamedTuple):
    """A part of a page, at `position` among the parts the other apps add."""

    position: int
    function: str


class Link(NamedTuple):
    """An entry of a menu, at `position` among the entries the other apps add."""

    position: int
    url_name: str
    label: str


class PortalApp:
    """Mixed into the AppConfig of each of the portal's own apps: what it may contribute, nothing by default.

    A mixin, not an AppConfig subclass: Django picks an app's config from its apps.py only when that module
    holds exactly one AppConfig subclass."""

    home_sections: list[Section] = []
    dashboard_sections: list[Section] = []
    navigation: list[Link] = []
    account_navigation: list[Link] = []
    privacy: str | None = None
    demo: str | None = None
    api: str | None = None
    report: str | None = None
    cache_labels: list[str] = []
    counter_claims: list = []


CONTRIBUTIONS = (
    "home_sections",
    "dashboard_sections",
    "navigation",
    "account_navigation",
    "privacy",
    "demo",
    "api",
    "report",
    "cache_labels",
)


def portal_apps() -> list[AppConfig]:
    """The installed apps that declare contributions, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, PortalApp)]


def _placed(kind: str) -> list[tuple[AppConfig, Section | Link]]:
    entries = [(config, entry) for config in portal_apps() for entry in getattr(config, kind)]
    return sorted(entries, key=lambda item: item[1].position)  # stable: equal positions keep the app order


def home_sections() -> list[Callable[..., str]]:
    return [import_string(section.function) for _config, section in _placed("home_sections")]


def render_home_section(template_name: str, context: dict, request) -> str:
    """A home section's HTML: its template with its own context and `request`, without the context processors
    (the office record, the menus, the user, messages: the page around it has them and runs them once; four
    sections ran them four times more, a fifth of the home page's time). A home section shows the same to
    everyone (it is one cached fragment), so it has no use for them."""
    return get_template(template_name).render({**context, "request": request})


def home_section_labels() -> list[str]:
    """The cache labels of the apps with home sections: the data the home page's highlights show."""
    return sorted({label for config, _section in _placed("home_sections") for label in config.cache_labels})


def dashboard_sections() -> list[Callable[..., str]]:
    return [import_string(section.function) for _config, section in _placed("dashboard_sections")]


def navigation() -> list[Link]:
    return [link for _config, link in _placed("navigation")]


def account_navigation() -> list[Link]:
    return [link for _config, link in _placed("account_navigation")]


def privacy_modules() -> Iterator[ModuleType]:
    for config in portal_apps():
        if config.privacy:
            yield import_module(config.privacy)


def demo_modules() -> Iterator[ModuleType]:
    for config in portal_apps():
        if config.demo:
            yield import_module(config.demo)


def api_routers() -> list:
    """The open-data API's routers (`ninja.Router`), in app order: imported, so one that fails to import fails."""
    return [import_string(config.api) for config in portal_apps() if config.api]


def report_sections() -> list[Callable]:
    """The annual report's section functions, in app order: imported, so one that fails to import fails."""
    return [import_string(config.report) for config in portal_apps() if config.report]


@cache
def cache_labels() -> frozenset[str]:
    """Every app label whose writes change a cached fragment (asked on each save: computed once)."""
    return frozenset(label for config in portal_apps() for label in config.cache_labels)
