"""Several app nodes: what the environment turns into (Redis, task backend, object storage), read from a fresh
evaluation of quartier/settings.py, since the running test settings are fixed at start-up."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings
from storages.backends.s3 import S3Storage

SETTINGS_FILE = Path(settings.BASE_DIR) / "quartier" / "settings.py"
CONFIG_VARS = [
    "REDIS_URL",
    "S3_BUCKET",
    "S3_PRIVATE_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_CUSTOM_DOMAIN",
    "MAIL_DELIVERY",
    "CACHE_KEY_PREFIX",
    "TRUSTED_PROXY_COUNT",
]


@pytest.fixture
def load_settings(monkeypatch):
    def load(**env):
        for name in CONFIG_VARS:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def test_without_redis_the_cache_is_per_process_and_sessions_are_in_the_database(load_settings):
    config = load_settings(DEBUG="0")
    assert config["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert "SESSION_ENGINE" not in config  # Django's default: django.contrib.sessions.backends.db


def test_with_redis_cache_and_sessions_are_shared_and_sessions_survive_a_flush(load_settings):
    config = load_settings(DEBUG="0", REDIS_URL="redis://cache.internal:6379/0")
    assert config["CACHES"]["default"]["BACKEND"] == "quartier.cache_backends.ResilientRedisCache"
    assert config["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert config["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_the_client_address_is_the_peer_unless_trusted_proxies_are_configured(load_settings):
    assert load_settings(DEBUG="0")["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0
    assert load_settings(DEBUG="0", TRUSTED_PROXY_COUNT="1")["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1


def test_development_sends_mail_after_the_commit_production_through_the_worker(load_settings):
    assert load_settings(DEBUG="1")["MAIL_DELIVERY"] == "after_commit"
    assert load_settings(DEBUG="0")["MAIL_DELIVERY"] == "worker"
    assert load_settings(DEBUG="0", MAIL_DELIVERY="immediate")["MAIL_DELIVERY"] == "immediate"


def test_an_unknown_mail_delivery_is_refused(load_settings):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="MAIL_DELIVERY"):
        load_settings(DEBUG="0", MAIL_DELIVERY="celery")


def test_without_s3_uploads_stay_on_disk_and_private_documents_beside_media_root(load_settings):
    storages = load_settings(DEBUG="0")["STORAGES"]
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["private"]["BACKEND"] == "quartier.documents.PrivateStorage"
    assert storages["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"  # STATIC_PLAIN


def _s3_env(**extra):
    return {
        "DEBUG": "0",
        "S3_BUCKET": "quartier-uploads",
        "S3_ENDPOINT_URL": "https://s3.example.net",
        "S3_REGION": "eu-central-1",
        "S3_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "S3_SECRET_ACCESS_KEY": "secret",
        **extra,
    }


def test_with_s3_uploads_go_to_the_bucket_and_static_files_stay_with_whitenoise(load_settings):
    storages = load_settings(**_s3_env())["STORAGES"]
    public, private = storages["default"], storages["private"]
    assert public["BACKEND"] == private["BACKEND"] == "storages.backends.s3.S3Storage"
    assert public["OPTIONS"]["bucket_name"] == private["OPTIONS"]["bucket_name"] == "quartier-uploads"
    assert (public["OPTIONS"]["location"], private["OPTIONS"]["location"]) == ("media", "private")
    assert public["OPTIONS"]["endpoint_url"] == "https://s3.example.net"
    assert private["OPTIONS"]["querystring_auth"] is True and private["OPTIONS"]["custom_domain"] is None
    assert storages["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_private_documents_can_have_their_own_bucket(load_settings):
    storages = load_settings(**_s3_env(S3_PRIVATE_BUCKET="quartier-private"))["STORAGES"]
    assert storages["private"]["OPTIONS"]["bucket_name"] == "quartier-private"
    assert storages["default"]["OPTIONS"]["bucket_name"] == "quartier-uploads"


def test_s3_storages_build_and_sign_urls_without_reaching_the_store(load_settings):
    storages = load_settings(**_s3_env(S3_CUSTOM_DOMAIN="media.quartier.example"))["STORAGES"]
    public = S3Storage(**storages["default"]["OPTIONS"])
    private = S3Storage(**storages["private"]["OPTIONS"])
    assert public.url("raeume/saal.jpg") == "https://media.quartier.example/media/raeume/saal.jpg"
    signed = private.url("erklaerungen/scan.pdf")
    assert signed.startswith("https://") and "/private/erklaerungen/scan.pdf?" in signed
    assert "Signature=" in signed or "X-Amz-Signature=" in signed


def test_the_volunteers_private_storage_is_the_configured_one():
    from django.core.files.storage import storages

    from volunteers.models import Declaration

    assert Declaration._meta.get_field("document").storage is storages["private"]


def test_in_production_templates_are_compiled_once_per_process(load_settings):
    """The cached template loader: a page's templates are parsed at their first use, not on every request."""
    from django.template.engine import Engine

    config = load_settings(DEBUG="0")
    templates = config["TEMPLATES"][0]
    assert templates["BACKEND"] == "django.template.backends.django.DjangoTemplates"
    engine = Engine(
        dirs=templates["DIRS"],
        app_dirs=templates["APP_DIRS"],
        debug=config["DEBUG"],
        loaders=templates["OPTIONS"].get("loaders"),
    )
    assert engine.loaders[0][0] == "django.template.loaders.cached.Loader"
