"""Initiative workflows: registration, membership (requests, invitations, roles, leaving), contact."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from quartier import mail
from quartier.staff import is_office_staff

from .models import Initiative, Invitation, JoinRequest, Membership

INVITATION_SALT = "initiatives.invitation"
INVITATION_MAX_AGE = 14 * 24 * 3600
CONTACT_LIMIT = 5  # messages per hour and sender address (IP)


def unique_slug(name: str) -> str:
    base = slugify(name)[:150] or "initiative"
    slug, n = base, 2
    while Initiative.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _require_lead(initiative: Initiative, user) -> None:
    """Every change is checked against the user's role for THIS initiative."""
    if not (is_office_staff(user) or initiative.is_led_by(user)):
        raise PermissionDenied


@transaction.atomic
def register_initiative(*, user, topics=(), audiences=(), **fields) -> Initiative:
    """A resident registers an initiative; it stays hidden until staff verify it; they become its lead."""
    initiative = Initiative(slug=unique_slug(fields["name"]), is_verified=False, **fields)
    initiative.full_clean()
    initiative.save()
    initiative.topics.set(topics)
    initiative.audiences.set(audiences)
    Membership.objects.create(initiative=initiative, user=user, role=Membership.Role.LEAD)
    return initiative


@transaction.atomic
def request_to_join(*, initiative: Initiative, user, message: str = "") -> JoinRequest:
    if Membership.objects.filter(initiative=initiative, user=user).exists():
        raise ValidationError(_("You are already a member."))
    try:
        with transaction.atomic():
            return JoinRequest.objects.create(initiative=initiative, user=user, message=message)
    except IntegrityError:
        raise ValidationError(_("Your request is already waiting for an answer.")) from None


@transaction.atomic
def decide_join_request(*, join_request: JoinRequest, by, accept: bool) -> JoinRequest:
    _require_lead(join_request.initiative, by)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.OPEN:
        raise ValidationError(_("This request has already been answered."))
    join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.REFUSED
    join_request.save(update_fields=["status"])
    if accept:
        Membership.objects.get_or_create(initiative=join_request.initiative, user=join_request.user)
    return join_request


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


@transaction.atomic
def invite(*, initiative: Initiative, by, email: str) -> Invitation:
    """A lead invites someone by e-mail: they get a signed link that works for two weeks."""
    _require_lead(initiative, by)
    invitation = Invitation.objects.create(initiative=initiative, email=email.lower(), invited_by=by)
    link = settings.SITE_URL + reverse("initiatives:invitation", args=[invitation_token(invitation)])
    _mail(
        to=mail.user_for_address(email) or email,
        subject=lambda: _("Invitation to %(name)s") % {"name": initiative.name},
        template="initiatives/mail/invitation.txt",
        context={"initiative": initiative, "inviter": by, "link": link},
    )
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, user) -> Membership:
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
        invitation = Invitation.objects.select_for_update().select_related("initiative").get(pk=pk)
    except signing.SignatureExpired:
        raise ValidationError(_("This invitation has expired. Please ask for a new one.")) from None
    except (signing.BadSignature, Invitation.DoesNotExist):
        raise ValidationError(_("This invitation link is not valid.")) from None
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.revoked_at:
        raise ValidationError(_("The initiative has withdrawn this invitation."))
    if not EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists():
        # The link is bound to the invited address: a forwarded or leaked link is no key to the initiative.
        raise ValidationError(
            _(
                "This invitation was sent to another e-mail address. Please log in with that "
                "address, or add it to your account and confirm it."
            )
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    membership, _created = Membership.objects.get_or_create(initiative=invitation.initiative, user=user)
    return membership


def pending_invitations(initiative: Initiative):
    """Invitations not yet accepted, withdrawn or expired: what the leads can still withdraw."""
    since = timezone.now() - timedelta(seconds=INVITATION_MAX_AGE)
    return initiative.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True, created_at__gte=since)


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by) -> Invitation:
    """A lead withdraws a pending invitation: its link no longer works."""
    _require_lead(invitation.initiative, by)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been used."))
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def change_role(*, membership: Membership, by, role: str) -> Membership:
    """Leads change roles; the last lead cannot step down."""
    _require_lead(membership.initiative, by)
    Initiative.objects.select_for_update().get(pk=membership.initiative_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."))
    if membership.is_lead and role != Membership.Role.LEAD and _other_leads(membership) == 0:
        raise ValidationError(_("An initiative needs at least one lead. Make someone else lead first."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


def _other_leads(membership: Membership) -> int:
    return Membership.objects.leads().filter(initiative_id=membership.initiative_id).exclude(pk=membership.pk).count()


@transaction.atomic
def leave(*, membership: Membership, by) -> None:
    """A member leaves (or a lead removes them); a lead can leave only when another lead remains."""
    if membership.user_id != by.pk:
        _require_lead(membership.initiative, by)
    Initiative.objects.select_for_update().get(pk=membership.initiative_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_lead and _other_leads(membership) == 0:
        raise ValidationError(_("An initiative needs at least one lead. Make someone else lead first."))
    membership.delete()


def contact(*, initiative: Initiative, name: str, email: str, message: str, client_key: str) -> None:
    """Send a message to the initiative; its address is never shown. Limited per sender."""
    key = f"ratelimit:initiatives:contact:{client_key}"  # "ratelimit:" counts on while Redis is down
    cache.add(key, 0, 3600)
    if cache.incr(key) > CONTACT_LIMIT:
        raise ValidationError(_("You have sent many messages. Please try again in an hour."))
    _mail(
        to=initiative.contact_email,
        subject=lambda: _("Message via the district portal"),
        template="initiatives/mail/contact.txt",
        context={"initiative": initiative, "name": name, "email": email, "message": message},
        reply_to=[email],
    )


def _mail(*, to, subject, template: str, context: dict, reply_to=()) -> None:
    """`to` is a user (mailed in their language) or an address (German)."""
    mail.send(to, template, context, subject=subject, reply_to=reply_to)


@transaction.atomic
def save_project(*, project, by, topics=None):
    """Leads create and edit their initiative's projects."""
    _require_lead(project.initiative, by)
    if not project.slug:
        base = slugify(project.title)[:150] or "projekt"
        slug, n = base, 2
        while project.initiative.projects.filter(slug=slug).exclude(pk=project.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        project.slug = slug
    project.full_clean()
    project.save()
    if topics is not None:
        project.topics.set(topics)
    return project


@transaction.atomic
def post_news(*, project, by, text: str):
    """A lead posts news; people following the project or its initiative get a mail."""
    from .models import Follow, ProjectNews

    _require_lead(project.initiative, by)
    news = ProjectNews.objects.create(project=project, text=text, author=by)
    followers = {
        follow.user_id: follow.user
        for follow in Follow.objects.filter(Q(project=project) | Q(initiative=project.initiative)).select_related(
            "user"
        )
    }
    link = settings.SITE_URL + project.get_absolute_url()
    for user in sorted(followers.values(), key=lambda user: user.email):
        _mail(
            to=user,
            subject=lambda: _("News: %(title)s") % {"title": project.title},
            template="initiatives/mail/news.txt",
            context={"project": project, "news": news, "link": link},
        )
    return news


def toggle_follow(*, user, initiative=None, project=None) -> bool:
    """Follow or stop following; returns whether the user follows now."""
    from .models import Follow

    follow = Follow.objects.filter(user=user, initiative=initiative, project=project).first()
    if follow:
        follow.delete()
        return False
    try:
        Follow.objects.create(user=user, initiative=initiative, project=project)
    except IntegrityError:
        pass  # a double click: already following
    return True


def report(*, user, reason: str, initiative=None, project=None):
    from .models import Report

    return Report.objects.create(reporter=user, reason=reason, initiative=initiative, project=project)


@transaction.atomic
def save_offer(*, offer, by):
    _require_lead(offer.initiative, by)
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def respond_to_offer(*, offer, user, message: str = ""):
    """A resident answers "Ich mache mit"; once per offer, while it is open."""
    from .models import Offer, OfferResponse

    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if not Offer.objects.open().filter(pk=offer.pk).exists():
        raise ValidationError(_("This offer is closed."))
    try:
        with transaction.atomic():
            return OfferResponse.objects.create(offer=offer, user=user, message=message)
    except IntegrityError:
        raise ValidationError(_("You have already answered this offer.")) from None


@transaction.atomic
def decide_response(*, response, by, accept: bool):
    from .models import OfferResponse

    _require_lead(response.offer.initiative, by)
    response = OfferResponse.objects.select_for_update().get(pk=response.pk)
    response.status = OfferResponse.Status.ACCEPTED if accept else OfferResponse.Status.DECLINED
    response.save(update_fields=["status"])
    return response


def organization_json_ld(initiative: Initiative) -> dict:
    """schema.org `Organization` of an initiative page (JSON-LD): what the page shows, never the contact e-mail."""
    from django.conf import settings
    from django.urls import reverse

    site = settings.SITE_URL.rstrip("/")
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": initiative.name,
        "description": initiative.short_description,
        "url": site + initiative.get_absolute_url(),
        "contactPoint": {"@type": "ContactPoint", "url": site + reverse("initiatives:contact", args=[initiative.slug])},
        "knowsAbout": [topic.name for topic in initiative.topics.all()],
    }
    if initiative.website:
        data["sameAs"] = [initiative.website]
    if initiative.languages:
        data["knowsLanguage"] = [part.strip() for part in initiative.languages.split(",") if part.strip()]
    if initiative.meets_where:
        data["location"] = {"@type": "Place", "name": initiative.meets_where}
    if initiative.logo:
        data["logo"] = site + initiative.logo.url
    return data
