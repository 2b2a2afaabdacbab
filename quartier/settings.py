"""Settings of the Quartier portal, read from environment variables (see README, "Configuration")."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_MISSING = object()


def env(name: str, default=_MISSING) -> str:
    """The value of an environment variable; a required one (no default) that is unset is an error."""
    value = os.environ.get(name)
    if value is None or value == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Commands that only read or write source files (migrations, catalogues) sign nothing: they need no secret.
_SOURCE_COMMANDS = {"makemigrations", "makemessages", "compile_catalogues"}
_NEEDS_SECRET = not DEBUG and not (
    len(sys.argv) > 1 and Path(sys.argv[0]).name == "manage.py" and sys.argv[1] in _SOURCE_COMMANDS
)
SECRET_KEY = env("SECRET_KEY") if _NEEDS_SECRET else env("SECRET_KEY", "dev-only-insecure-key-" + "x" * 40)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The canonical address of the portal, used in mails sent outside a request (reminders, feeds).
# In development it follows the address `make run` serves (HOST, PORT), so demo mails link to the running server.
SITE_URL = env(
    "SITE_URL", f"http://{env('HOST', '127.0.0.1')}:{env('PORT', '8000')}" if DEBUG else "http://127.0.0.1:8000"
).rstrip("/")

INSTALLED_APPS = [
    # before the admin: it adds the per-language columns (quartier/content_languages.py) the admin then edits
    "modeltranslation",
    "quartier",
    "initiatives",
    "rooms",
    "events",
    "volunteers",
    "initiatives.fund",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "template_partials",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "quartier.middleware.ContentSecurityPolicyMiddleware",  # django-csp's, the header built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "quartier.middleware.CorsMiddleware",  # the open-data API (/api/) only
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "quartier.middleware.OfficeTwoFactorMiddleware",
    "quartier.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "quartier.urls"
WSGI_APPLICATION = "quartier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quartier.context_processors.portal",
            ],
            # Django's |date, the same text, faster (quartier/templatetags/portal_dates.py)
            "builtins": ["quartier.templatetags.portal_dates"],
        },
    },
]
FORM_RENDERER = "quartier.forms.PortalFormRenderer"

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # A database host that does not answer: the 503 page after a few seconds, not after TCP's minutes.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "quartier.sqlite3",
            # Write transactions take the lock at BEGIN, so that they serialise instead of failing.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------------------------
# With REDIS_URL every app process shares one cache: the office record, allauth's rate-limit counters, the
# contact-form limit and the session cache. Sessions are "cached_db": read from Redis, written to Redis and
# the database, so flushing or losing Redis logs nobody out (Redis holds nothing that exists only there).
# While Redis is unreachable the portal runs without it (quartier/cache_backends.py): reads are misses, the
# rate-limit counters ("allauth:rl:" and the portal's own "ratelimit:" keys) count per process meanwhile.
REDIS_URL = env("REDIS_URL", "")


def redis_cache(url: str, key_prefix: str) -> dict:
    return {
        "BACKEND": "quartier.cache_backends.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            # short timeouts: a Redis that does not answer must cost little (the breaker then skips it)
            "socket_connect_timeout": 0.5,
            "socket_timeout": 1,
            "LOCAL_FALLBACK_PREFIXES": ["allauth:rl:", "ratelimit:"],
        },
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL, env("CACHE_KEY_PREFIX", "quartier"))}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered fragments of the busiest pages (quartier/caching.py), for this many seconds at most. Only with a
# shared cache: per-process caches could not tell each other that the data changed.
# Requests per minute one client address may make to the open-data API (/api/v1/, quartier/opendata.py).
API_RATE_LIMIT = int(env("API_RATE_LIMIT", "120"))
FRAGMENT_CACHE_SECONDS = int(env("FRAGMENT_CACHE_SECONDS", "60" if REDIS_URL else "0"))

# --- Accounts ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "quartier.User"
AUTHENTICATION_BACKENDS = [  # Django's and allauth's, loading the account of a session in one query
    "quartier.backends.PortalModelBackend",
    "quartier.backends.PortalAuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "profile"
ACCOUNT_ADAPTER = "quartier.adapters.AccountAdapter"
# Sign-up asks for the display name, records the page's language, and takes as long for a known address.
ACCOUNT_FORMS = {"signup": "quartier.forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Quartier] "
# Links in mails use the scheme of SITE_URL (https in production).
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_URL.split("://", 1)[0]
# The client's address behind this many proxies of our own: the one they add to X-Forwarded-For (0: the
# direct peer, REMOTE_ADDR; the header is then ignored, anyone can write it). Rate limits count by it.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# allauth's rate limits stay on; they count in the cache, shared between app nodes via Redis. "key" of
# login_failed is address and login (quartier.adapters): wrong passwords lock that address out of that
# account, not the account's owner; the per-address limit is generous for people behind one NAT.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "20/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) plus recovery codes. Every account with
# office powers must pass it in each session before any page opens (quartier.staff, OfficeTwoFactorMiddleware).
MFA_ADAPTER = "quartier.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Quartier"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_FORMS = {  # the code fields with the phone's number pad (quartier/forms.py)
    "authenticate": "quartier.forms.AuthenticateForm",
    "reauthenticate": "quartier.forms.ReauthenticateForm",
    "activate_totp": "quartier.forms.ActivateTOTPForm",
}

# --- Mail ---------------------------------------------------------------------------------------------
# EMAIL_URL: smtp://user:password@host:587 (STARTTLS; `?starttls=0` for a local relay without it),
# smtps://…:465 (TLS), console:, file:///path.
EMAIL_URL = env("EMAIL_URL", "file://" + str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Quartier <noreply@quartier.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def _email_settings(url: str) -> dict:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "file":
        return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": parts.path}
    if parts.scheme in {"smtp", "smtps"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": parts.scheme == "smtp" and (parts.port or 587) != 25 and "starttls=0" not in parts.query,
        }
    raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {parts.scheme!r}")


globals().update(_email_settings(EMAIL_URL))
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "60"))  # seconds; a hanging mail server must not hold a claim forever

# Every mail is a row of quartier.OutgoingMail, written in the transaction of the change (quartier/mail.py).
# MAIL_DELIVERY=worker: `manage.py send_mails` sends the rows (production).
# MAIL_DELIVERY=after_commit: the process sends its rows right after its commit; a worker takes up failures
# (development). MAIL_DELIVERY=immediate: sent inside the call that queues them (tests).
MAIL_DELIVERY = env("MAIL_DELIVERY", "after_commit" if DEBUG else "worker")
if MAIL_DELIVERY not in {"worker", "after_commit", "immediate"}:
    raise ImproperlyConfigured(f"MAIL_DELIVERY must be worker, after_commit or immediate, not {MAIL_DELIVERY!r}.")
# Seconds a worker may hold a claimed mail (more than EMAIL_TIMEOUT); then another worker takes it up.
MAIL_LEASE_SECONDS = int(env("MAIL_LEASE_SECONDS", "300"))
# Back-off after each failed attempt (seconds: 1, 5, 15, 60 min, 4 h); after the last one the mail is failed.
MAIL_RETRY_DELAYS = [int(delay) for delay in env_list("MAIL_RETRY_DELAYS", "60,300,900,3600,14400")]
MAIL_KEEP_DAYS = 30  # sent mails (without their content) stay this long in the admin

# --- Languages and time ------------------------------------------------------------------------------
LANGUAGE_CODE = "de"
# The interface's languages: German first (the default), English, then the Nordstadt's languages. Arabic is
# written right to left (base.html sets dir from the language). docs/translations.md: how a language is reviewed.
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    ("tr", _("Turkish")),
    ("ar", _("Arabic")),
    ("bg", _("Bulgarian")),
    ("ro", _("Romanian")),
    ("pl", _("Polish")),
    ("uk", _("Ukrainian")),
]
# Languages that texts entered by staff and leads (house rules, events, initiatives, legal pages...) can have,
# German first: a text missing in the page's language is shown in German, marked as German
# (quartier/content_languages.py). The same languages as the interface.
# Each language is a column per text: adding one here needs `makemigrations`.
CONTENT_LANGUAGES = [code for code, _name in LANGUAGES]
MODELTRANSLATION_LANGUAGES = CONTENT_LANGUAGES
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = LANGUAGE_CODE  # slugs come from the German title


def _content_label(verbose_name, code: str) -> str:
    """The admin's label of one version: "Hausordnung (Englisch)", not the library's "house rules [en]"."""
    from django.utils.translation import get_language_info

    return f"{verbose_name} ({get_language_info(code)['name_translated']})"


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = _content_label
# Our catalogue first, then formal ("Sie") German for allauth's pages and mails, then the apps' own.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "quartier" / "locale_overrides"]
USE_I18N = True
# Dates and times in each language by name ("WEEKDAY_DATETIME_FORMAT"): quartier/formats/.
FORMAT_MODULE_PATH = ["quartier.formats"]
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Uploads: public ones (photos, logos, minutes) in "default"; the volunteers' signed declarations (personal
# data, only ever streamed through a permission-checked view) in "private". On disk, "private" lies beside
# MEDIA_ROOT, outside what the proxy serves; with S3_BUCKET both go to S3-compatible object storage.
S3_BUCKET = env("S3_BUCKET", "")


def _s3_storages(bucket: str) -> dict:
    common = {
        "bucket_name": bucket,
        "endpoint_url": env("S3_ENDPOINT_URL", "") or None,
        "region_name": env("S3_REGION", "") or None,
        "access_key": env("S3_ACCESS_KEY_ID", "") or None,
        "secret_key": env("S3_SECRET_ACCESS_KEY", "") or None,
        "file_overwrite": False,
        "default_acl": None,  # bucket policies decide, not per-object ACLs (many S3-compatible stores lack them)
    }
    custom_domain = env("S3_CUSTOM_DOMAIN", "")
    public = {
        **common,
        "location": "media",
        # a public domain (CDN, or a bucket policy that lets anyone read media/) serves plain URLs; else signed ones
        "custom_domain": custom_domain or None,
        "querystring_auth": not custom_domain,
    }
    private = {
        **common,
        "bucket_name": env("S3_PRIVATE_BUCKET", bucket),
        "location": "private",
        "querystring_auth": True,
        "custom_domain": None,
    }
    backend = "storages.backends.s3.S3Storage"
    return {"default": {"BACKEND": backend, "OPTIONS": public}, "private": {"BACKEND": backend, "OPTIONS": private}}


STORAGES = {
    **(
        _s3_storages(S3_BUCKET)
        if S3_BUCKET
        else {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "quartier.documents.PrivateStorage"},
        }
    ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not env_bool("STATIC_PLAIN")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("STATIC_PLAIN")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Security -------------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): everything from this host only, no inline script or style; the data:
# images are the QR code of the two-factor set-up, which allauth renders inline as SVG.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Messages ("Signed in as Maria Kowalski") stay on the server: a cookie would carry names to the browser and proxies.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own logger has a console handler of its own under DEBUG: without this, every line (and every
        # 403's traceback) would appear twice, once from it and once from the root logger.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.security.DisallowedHost": {"level": "ERROR"},
    },
}
CSRF_FAILURE_VIEW = "quartier.views.csrf_failure"
