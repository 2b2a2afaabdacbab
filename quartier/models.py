import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.cache import cache
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import legal_defaults
from .documents import DocumentName, validate_video


class WebAddressField(models.URLField):
    """A web address; typed without a scheme ("nordstadtliga.de") it is read as https:// (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class UserManager(BaseUserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def new_feed_key() -> str:
    return secrets.token_urlsafe(16)


class User(AbstractUser):
    """A person with an account; the e-mail address is the login."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"), max_length=80, blank=True, help_text=_("Shown to others instead of your e-mail.")
    )
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    deleted_at = models.DateTimeField(
        _("account deleted at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The person deleted their account: personal data erased, records the law keeps pseudonymised."),
    )

    # Signed into the private calendar feed link: a new key (new link, password change) makes old links a 404.
    feed_key = models.CharField(_("calendar feed key"), max_length=32, default=new_feed_key, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        """The name others see: the display name. Never the e-mail address (it is the login, and private); an
        account without a name shows as a numbered resident, so that lists still tell people apart."""
        if self.deleted_at:
            return str(_("former member"))
        return self.display_name or gettext("Resident #%(number)s") % {"number": self.pk}

    def set_password(self, raw_password):
        """A new password also retires every link that was handed out with the old one (the calendar feed)."""
        super().set_password(raw_password)
        self.feed_key = new_feed_key()

    def rotate_feed_key(self) -> None:
        """A new private calendar feed link; the old one stops working."""
        self.feed_key = new_feed_key()
        self.save(update_fields=["feed_key"])

    def get_full_name(self):
        return str(self)

    def get_short_name(self):
        return str(self)


class Office(models.Model):
    """The neighbourhood management office: there is exactly one record (pk 1), edited in the admin."""

    CACHE_KEY = "quartier:office"

    name = models.CharField(_("name"), max_length=150, default="Quartiersmanagement")
    district = models.CharField(_("district"), max_length=100, default="Nordstadt")
    city = models.CharField(_("city"), max_length=100, default="Dortmund")
    street = models.CharField(_("street and number"), max_length=150, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    operator = models.CharField(
        _("operator"), max_length=200, blank=True, help_text=_("The body responsible under § 5 DDG.")
    )
    representative = models.CharField(_("represented by"), max_length=150, blank=True)
    about = models.TextField(_("about the office"), blank=True, help_text=_("Shown on the home page."))
    imprint = models.TextField(_("imprint (Impressum)"), default=legal_defaults.IMPRINT)
    privacy = models.TextField(_("privacy policy (Datenschutzerklärung)"), default=legal_defaults.PRIVACY)
    accessibility = models.TextField(
        _("accessibility statement (Erklärung zur Barrierefreiheit)"), default=legal_defaults.ACCESSIBILITY
    )
    # Leichte Sprache is German by its rules (DIN SPEC 33429): one German text, not a version per language.
    leichte_sprache = models.TextField(
        _("text in Leichte Sprache"),
        default=legal_defaults.LEICHTE_SPRACHE,
        help_text=_(
            "Shown on the page “Leichte Sprache”. One sentence per line, a blank line between paragraphs. "
            "A line starting with “## ” begins a section with that heading; a line “Bild: haus” right under it "
            "puts a picture beside the section (haus, tuer, kalender, menschen, telefon, rollstuhl). Lines "
            "starting with “- ” or “1. ” become lists. {name}, {address}, {phone}, {email} and {opening_hours} "
            "are filled in from this record."
        ),
    )
    sign_language_video = models.FileField(
        _("video in German Sign Language"),
        upload_to=DocumentName("office", "sign_language_video"),
        validators=[validate_video],
        blank=True,
        help_text=_("An MP4 or WebM file of at most 100 MB, shown on the page “Leichte Sprache”."),
    )
    sign_language_url = WebAddressField(
        _("link to a video in German Sign Language"),
        blank=True,
        help_text=_("The address of a page on another website with the video. It is shown as a link, never embedded."),
    )
    # The open data (/api/v1/, the CSV lists) are published under this licence; the office may choose another.
    data_licence = models.CharField(
        _("licence of the open data"), max_length=200, default="Datenlizenz Deutschland – Namensnennung – Version 2.0"
    )
    data_licence_url = WebAddressField(
        _("address of the licence text"), default="https://www.govdata.de/dl-de/by-2-0", blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("office")
        ordering = ["pk"]
        # Office staff (quartier.staff.is_office_staff): the office group holds it, with the apps' permissions.
        permissions = [
            ("act_for_office", _("Can act for the office (staff pages, every booking, event and initiative)"))
        ]
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="quartier_office_single_record")]

    def __str__(self):
        return f"{self.name} {self.district}"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    def get_absolute_url(self):
        return reverse("imprint")

    @classmethod
    def load(cls) -> "Office":
        """The office record, created with the shipped defaults on first use, cached between requests."""
        office = cls.cached()
        if office is None:
            office, _created = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, office, 300)
        return office

    @classmethod
    def cached(cls) -> "Office | None":
        """The office record if the cache holds it, without asking the database."""
        return cache.get(cls.CACHE_KEY)

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.street, f"{self.postcode} {self.city}".strip()) if line]


class OutgoingMail(models.Model):
    """One rendered mail, written in the transaction of the change it reports; the worker delivers it.

    A row is claimed for a lease (`lease_until`); a worker that dies leaves it to the next one after the lease.
    A failed attempt waits its back-off (`MAIL_RETRY_DELAYS`), after the last one the row is failed and shown to
    staff. `uid` makes the Message-ID, so a mail sent twice after a crash mid-send is recognisable.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    uid = models.UUIDField(_("message id"), default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    to = models.EmailField(_("to"), max_length=254)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    # The whole message as JSON (body, alternatives, attachments, headers); emptied once it is sent.
    message = models.JSONField(_("message"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="quartier_mail_due")]

    def __str__(self):
        return f"{self.subject} → {self.to}"
