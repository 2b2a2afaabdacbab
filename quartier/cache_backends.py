"""The Redis cache of the portal, which keeps the portal up when Redis is down.

Redis holds nothing that is not elsewhere (sessions are ``cached_db``, fragments and the office record are
rendered or read again), so an unreachable Redis is a cache miss, not an error page. A circuit breaker makes
a dead Redis cost one fast failure every ``RETRY_SECONDS`` per process instead of a timeout per call; the
warning is logged when Redis goes away and then at most once a minute. Keys that must still count while
Redis is down (rate limits: allauth's and the portal's own) go to a per-process memory cache meanwhile, so
the limits still apply per process instead of failing open. When Redis answers again after writes were
skipped, the portal's keys in it are dropped before anything is read: a session deleted during the outage
(a logout) must not come back from an old copy.
"""

import logging
import re
import threading
import time
from dataclasses import dataclass

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5
WARNING_INTERVAL_SECONDS = 60
# What a failed call raises: every error of the Redis client, and socket errors it lets through.
OUTAGE_ERRORS = (RedisError, OSError)


@dataclass
class _Circuit:
    """The state of one Redis location in this process, shared by the cache objects of all threads."""

    open_until: float = 0.0
    down: bool = False
    dirty: bool = False  # a write was skipped while down: Redis may hold stale values
    warned_at: float = float("-inf")


_circuits: dict[str, _Circuit] = {}
_circuits_lock = threading.Lock()


def _circuit(location: str) -> _Circuit:
    with _circuits_lock:
        return _circuits.setdefault(location, _Circuit())


class _ReusedClient(RedisCacheClient):
    """Django builds a new ``redis.Redis`` for every call, and with it the client's table of some 170 response
    callbacks: a tenth of a millisecond per cache call. One client per connection pool, reused (redis-py's
    clients are safe to share between threads; the pool holds the connections)."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        reused = self.__dict__.setdefault("_reused", {})
        client = reused.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = reused[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose calls fail soft: a miss (or the local fallback) while Redis is unreachable.

    OPTIONS takes ``LOCAL_FALLBACK_PREFIXES``: keys starting with one of them are kept in a per-process
    memory cache while Redis is down; every other key is a miss (reads) or skipped (writes).
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self._local_prefixes = tuple(options.pop("LOCAL_FALLBACK_PREFIXES", ()))
        # One retry on a fresh connection: a pooled connection that a Redis restart closed is no outage.
        options.setdefault("retry", Retry(NoBackoff(), 1))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ReusedClient
        self._location = server if isinstance(server, str) else ",".join(server)
        self._circuit = _circuit(self._location)
        self._local = LocMemCache(
            f"quartier-redis-fallback:{self._location}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 10000}},
        )

    # --- the breaker ---------------------------------------------------------------------------------
    def _guarded(self, call, *, keys, local, miss, write: bool):
        """`call()` against Redis; while it is unreachable `local()` for fallback keys, else `miss()`."""
        circuit = self._circuit
        fallback = local if keys and all(self._local_key(key) for key in keys) else miss
        if circuit.down and (time.monotonic() < circuit.open_until or not self._recover()):
            circuit.dirty = circuit.dirty or write
            return fallback()
        try:
            return call()
        except OUTAGE_ERRORS as error:
            self._trip(error)
            circuit.dirty = circuit.dirty or write
            return fallback()

    def _trip(self, error: Exception) -> None:
        circuit, now = self._circuit, time.monotonic()
        circuit.open_until = now + RETRY_SECONDS
        first = not circuit.down
        circuit.down = True
        if first or now - circuit.warned_at >= WARNING_INTERVAL_SECONDS:
            circuit.warned_at = now
            logger.warning(
                "Redis is %s (%s: %s). The portal runs without it: sessions from the database, page fragments "
                "uncached, rate limits per process. Next try in %d s.",
                "unreachable" if first else "still unreachable",
                type(error).__name__,
                error,
                RETRY_SECONDS,
            )

    def _recover(self) -> bool:
        """Try Redis again after an outage; first drop the portal's keys if writes were skipped meanwhile."""
        circuit = self._circuit
        try:
            client = self._cache.get_client(write=True)
            if circuit.dirty:
                self._drop_own_keys(client)
            else:
                client.ping()
        except OUTAGE_ERRORS as error:
            self._trip(error)
            return False
        circuit.down = circuit.dirty = False
        logger.info("Redis is reachable again; the portal uses it as before.")
        return True

    def _drop_own_keys(self, client) -> None:
        pattern = re.sub(r"([\\*?\[\]])", r"\\\1", self.key_prefix) + ":*"
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 500:
                client.unlink(*batch)
                batch = []
        if batch:
            client.unlink(*batch)

    def status(self) -> str:
        """'ok' when Redis answers now, 'degraded' when the portal runs without it (for /healthz)."""
        answered = self._guarded(
            lambda: bool(self._cache.get_client().ping()), local=lambda: False, keys=(), miss=lambda: False, write=False
        )
        return "ok" if answered else "degraded"

    # --- the cache API (BaseCache builds get_or_set, decr, the async methods and more on these) ----------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            local=lambda: self._local.add(key, value, timeout, version),
            keys=[key],
            miss=lambda: True,
            write=True,
        )

    def get(self, key, default=None, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).get(key, default, version),
            local=lambda: self._local.get(key, default, version),
            keys=[key],
            miss=lambda: default,
            write=False,
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            local=lambda: self._local.set(key, value, timeout, version),
            keys=[key],
            miss=lambda: None,
            write=True,
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            local=lambda: self._local.touch(key, timeout, version),
            keys=[key],
            miss=lambda: False,
            write=True,
        )

    def delete(self, key, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).delete(key, version),
            local=lambda: self._local.delete(key, version),
            keys=[key],
            miss=lambda: False,
            write=True,
        )

    def get_many(self, keys, version=None):
        keys = list(keys)
        return self._guarded(
            lambda: super(ResilientRedisCache, self).get_many(keys, version),
            local=lambda: self._local.get_many(keys, version),
            keys=keys,
            miss=dict,
            write=False,
        )

    def has_key(self, key, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).has_key(key, version),
            local=lambda: self._local.has_key(key, version),
            keys=[key],
            miss=lambda: False,
            write=False,
        )

    def incr(self, key, delta=1, version=None):
        def missing():  # as for any key the cache does not hold
            raise ValueError(f"Key '{key}' not found (Redis is unreachable)")

        return self._guarded(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            local=lambda: self._local.incr(key, delta, version),
            keys=[key],
            miss=missing,
            write=True,
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        data = dict(data)
        return self._guarded(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            local=lambda: self._local.set_many(data, timeout, version),
            keys=list(data),
            miss=list,
            write=True,
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._guarded(
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            local=lambda: self._local.delete_many(keys, version),
            keys=keys,
            miss=lambda: None,
            write=True,
        )

    def clear(self):
        self._local.clear()
        return self._guarded(
            lambda: super(ResilientRedisCache, self).clear(),
            local=lambda: False,
            keys=(),
            miss=lambda: False,
            write=True,
        )

    def _local_key(self, key) -> bool:
        return bool(self._local_prefixes) and str(key).startswith(self._local_prefixes)
