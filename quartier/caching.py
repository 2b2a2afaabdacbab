"""Rendered fragments of the busiest public pages, shared by all app processes through the cache (Redis).

The room finder checks every room's rules and free times, the directory and lists render dozens of cards:
tens of milliseconds per request that is the same for everyone who asks the same. A fragment is cached
under a key made of the page's full path, the language, what about the visitor changes it (staff rules,
one's own bookings) and the *generation* of each topic whose data it shows. A write starts a new generation
of its topics (``content_changed``, connected in ``QuartierConfig.ready``), so an edit shows at once:

- ``rooms``: every write to the app (a list that shows free slots of all rooms depends on it);
- ``rooms:shared``: every write except those a model narrows down. A model whose rows concern one thing
  says so with ``cache_topics()`` (a booking: ``["room:5"]``, topic ``rooms:room:5``), and its writes start
  new generations of ``rooms`` and those topics only. A page about room 5 depends on ``rooms:shared`` and
  ``rooms:room:5``: a booking in room 4 leaves it (and the home page) in the cache.

A model without ``cache_topics`` counts for the whole app, so a model added later is never narrowed by
mistake. ``QuerySet.update()`` sends no signal: code that uses it calls ``content_changed`` itself (for the
whole app). ``FRAGMENT_CACHE_SECONDS`` bounds how long anything else can go unseen (free slots move on with
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


def _generation_key(topic: str) -> str:
    return f"fragments:generation:{topic}"


def content_changed(sender=None, *, app_label: str | None = None, instance=None, **kwargs) -> None:
    """Start a new generation of the fragments showing what was written (a model signal receiver; or called
    with `app_label` for a write to the whole app): now, and again when the transaction commits, so that a
    fragment rendered from the old data in between (the change was not visible yet) is not the one that
    stays."""
    label = app_label or sender._meta.app_label
    if label in contributions.cache_labels():  # the apps declare them in their apps.py
        topics = written_topics(label, None if app_label else instance)
        _new_generations(topics)
        transaction.on_commit(lambda: _new_generations(topics))


def written_topics(app_label: str, instance=None) -> list[str]:
    """The topics a write of `instance` (None: anything of the app) starts new generations of."""
    narrow = getattr(instance, "cache_topics", None) if instance is not None else None
    if narrow is None or instance._meta.app_label != app_label:
        return [app_label, f"{app_label}:shared"]
    return [app_label, *(f"{app_label}:{topic}" for topic in narrow())]


def _new_generations(topics: list[str]) -> None:
    now = time.time_ns()
    cache.set_many({_generation_key(topic): now for topic in topics}, None)


def _generations(topics: Iterable[str]) -> list:
    keys = [_generation_key(topic) for topic in topics]
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


def cache_on() -> bool:
    """Whether fragments are cached (FRAGMENT_CACHE_SECONDS): a view may then load less for a page served from
    the cache, and the rest when its fragment is rendered."""
    return bool(settings.FRAGMENT_CACHE_SECONDS)


def cached_fragment(request, *, topics: Iterable[str], render: Callable[[], str], vary: Iterable = ()) -> SafeString:
    """The HTML that `render()` returns, from the cache while the data of its topics (app labels, or narrower:
    "rooms:shared", "rooms:room:5") and the visitor's view of it are the same; rendered (and cached) otherwise."""
    if not cache_on():
        return mark_safe(render())
    timeout = settings.FRAGMENT_CACHE_SECONDS
    topics = sorted(topics)
    parts = [request.get_full_path(), translation.get_language(), *map(str, vary), *map(str, _generations(topics))]
    key = "fragments:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout)
    return mark_safe(html)
