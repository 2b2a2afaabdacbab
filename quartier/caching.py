"""Rendered fragments of the busiest public pages, shared by all app processes through the cache (Redis).

The room finder checks every room's rules and free times, the directory and lists render dozens of cards:
tens of milliseconds per request that is the same for everyone who asks the same. A fragment is cached
under a key made of the page's full path, the language, what about the visitor changes it (staff rules,
one's own bookings) and the *generation* of each app whose data it shows. Saving or deleting any model of
such an app starts a new generation (``content_changed``, connected in ``QuartierConfig.ready``), so an
edit shows at once. ``QuerySet.update()`` sends no signal: code that uses it calls ``content_changed``
itself. ``FRAGMENT_CACHE_SECONDS`` bounds how long anything else can go unseen (free slots move on with
the clock). Which apps' writes count, each app declares (``cache_labels`` in its apps.py). The base
template (header, account menu, CSRF token, messages) is never part of a fragment.
"""

import hashlib
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from . import contributions


def _generation_key(app_label: str) -> str:
    return f"fragments:generation:{app_label}"


def content_changed(sender=None, *, app_label: str | None = None, **kwargs) -> None:
    """Start a new generation of the fragments showing the sender's app (a model signal receiver): now, and
    again when the transaction commits, so that a fragment rendered from the old data in between (the
    change was not visible yet) is not the one that stays."""
    label = app_label or sender._meta.app_label
    if label in contributions.cache_labels():  # the apps declare them in their apps.py
        _new_generation(label)
        transaction.on_commit(lambda: _new_generation(label))


def _new_generation(app_label: str) -> None:
    cache.set(_generation_key(app_label), time.time_ns(), None)


def _generations(apps: Iterable[str]) -> list:
    keys = [_generation_key(app) for app in apps]
    found = cache.get_many(keys)
    missing = {key: time.time_ns() for key in keys if key not in found}
    for key, value in missing.items():
        cache.add(key, value, None)  # add: a generation another process just started wins
    if missing:
        found = cache.get_many(keys)
    return [found.get(key) for key in keys]


def generations(apps: Iterable[str]) -> list[int]:
    """The current generation of each app: the time (ns since the epoch) its data last changed, or when this
    cache first asked. The open-data API's ETag and Last-Modified come from them (quartier/opendata.py)."""
    return _generations(sorted(apps))


def cached_fragment(request, *, apps: Iterable[str], render: Callable[[], str], vary: Iterable = ()) -> SafeString:
    """The HTML that `render()` returns, from the cache while the apps' data and the visitor's view of it
    are the same; rendered (and cached) otherwise."""
    timeout = settings.FRAGMENT_CACHE_SECONDS
    if not timeout:
        return mark_safe(render())
    apps = sorted(apps)
    parts = [request.get_full_path(), translation.get_language(), *map(str, vary), *map(str, _generations(apps))]
    key = "fragments:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout)
    return mark_safe(html)
