from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quartier import content_languages
from quartier.adapters import client_address
from quartier.caching import cached_fragment
from quartier.contributions import render_home_section
from quartier.links import link_maker
from quartier.sql import PlainPages, plain_objects, plain_rows_by
from quartier.staff import is_office_staff

from . import services
from .forms import (
    ContactForm,
    DirectoryFilterForm,
    InitiativeForm,
    InviteForm,
    JoinForm,
    NewsForm,
    OfferFilterForm,
    OfferForm,
    ProjectForm,
    ReportForm,
    ResponseForm,
    RoleForm,
)
from .models import Follow, Initiative, Invitation, JoinRequest, Membership, Offer, OfferResponse, Project


def home_section(request) -> str:
    initiatives = plain_objects("initiatives.home_section", _home_initiatives)
    if not initiatives:
        return ""
    return render_home_section("initiatives/home_section.html", {"initiatives": initiatives}, request)


def _home_initiatives():
    # A line each: the link, the name and the short description (not the page's texts in every language).
    columns = content_languages.columns("short_description")
    return Initiative.objects.visible().order_by("-created_at").only("slug", "name", "short_description", *columns)[:4]


def _search(queryset, text: str):
    """Full-text search on PostgreSQL (each language's version stemmed in its language), substring search
    elsewhere; the descriptions match in any of their languages (quartier/content_languages.py)."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        vector = (
            SearchVector("name", weight="A", config="german")
            + content_languages.search_vector("short_description", "description", weight="B")
            + SearchVector("meets_where", weight="B", config="german")
        )
        query = content_languages.search_query(text)
        # Stemmed words ("Treffen" finds "trifft"), plus substrings for German compounds ("Fußball" in
        # "Straßenfußball"), which no stemmer splits.
        return queryset.annotate(search=vector).filter(Q(search=query) | _substring(text))
    return queryset.filter(_substring(text))


def _substring(text: str) -> Q:
    return (
        Q(name__icontains=text)
        | content_languages.any_language("short_description", "icontains", text)
        | content_languages.any_language("description", "icontains", text)
    )


@require_safe
def initiative_list(request):
    """The directory: verified, visible initiatives with full-text search and filters, paginated."""
    content = cached_fragment(
        request,
        topics=["initiatives"],
        render=lambda: render_to_string(
            "initiatives/initiative_list.html#content", _initiative_list_context(request), request
        ),
    )
    return render(request, "initiatives/initiative_list.html", {"content": content})


# What a card of the directory shows (initiatives/initiative_list.html): logo, name, kind, the short description
# and the topics; not the long description (in nine languages), the contacts and the meeting times.
INITIATIVE_CARD_COLUMNS = (
    "name",
    "slug",
    "kind",
    "is_nonprofit",
    "logo_thumbnail",
    "logo_alt",
    *content_languages.columns("short_description"),
)


def _initiative_cards():
    return Initiative.objects.visible().only(*INITIATIVE_CARD_COLUMNS).order_by("name")


def _topic_names(initiative_ids) -> dict[int, list[str]]:
    """The names of each initiative's topics in the topics' order: one query of plain rows (compiled once,
    quartier.sql.plain_rows) in place of a prefetch, which made a model instance per topic and card."""
    rows = plain_rows_by("initiatives.directory.topics", _topic_rows, initiative_ids)
    return {initiative_id: [name for _id, name in topics] for initiative_id, topics in rows.items()}


def _topic_rows(initiative_ids):
    through = Initiative.topics.through.objects.filter(initiative_id__any_of=initiative_ids)
    # the order of Topic.Meta (by name), the id after it as the prefetch's database order leaves it
    return through.order_by("topic__name", "topic_id").values_list("initiative_id", "topic__name")


def _initiative_list_context(request) -> dict:
    form = DirectoryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if any(value.strip() if isinstance(value, str) else value for value in data.values()):
        initiatives = _initiative_cards()  # a search or filter: the query the ORM builds for it
        if data["q"].strip():
            initiatives = _search(initiatives, data["q"].strip())
        if data["kind"]:
            initiatives = initiatives.filter(kind=data["kind"])
        if data["topic"]:
            initiatives = initiatives.filter(topics=data["topic"])
        if data["audience"]:
            initiatives = initiatives.filter(audiences=data["audience"])
        if data["language"].strip():
            initiatives = initiatives.filter(languages__icontains=data["language"].strip())
        initiatives = initiatives.distinct()  # a topic or audience joins
    else:  # the whole directory (most visits): the query compiled once, no join to make rows distinct
        initiatives = PlainPages("initiatives.directory", _initiative_cards, per_page=20)
    page = Paginator(initiatives, 20).get_page(request.GET.get("page"))
    initiative_link = link_maker("initiatives:detail")
    topics = _topic_names([initiative.pk for initiative in page])
    for initiative in page:
        initiative.link = initiative_link(initiative.slug)
        initiative.topic_names = topics[initiative.pk]
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode()}


def _membership(request, initiative):
    if not request.user.is_authenticated:
        return None
    return Membership.objects.filter(initiative=initiative, user=request.user).first()


@require_safe
def initiative_detail(request, slug):
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user).with_listing_data(), slug=slug)
    membership = _membership(request, initiative)
    is_lead = is_office_staff(request.user) or bool(membership and membership.is_lead)
    members = None
    if membership or is_office_staff(request.user):
        members = initiative.memberships.select_related("user").order_by("role", "user__display_name")
    open_request = (
        request.user.is_authenticated
        and JoinRequest.objects.filter(initiative=initiative, user=request.user, status="open").exists()
    )
    # Events point to initiatives (`events.Event.initiative`, related name "events"): this app reaches them
    # through that relation and never imports the events app, which builds on it.
    event_model = Initiative._meta.get_field("events").related_model
    events = list(
        event_model.objects.published()
        .upcoming()
        .filter(Q(initiative=initiative) | Q(organiser__iexact=initiative.name))[:5]
    )
    projects = initiative.projects.all() if (membership or is_lead) else initiative.projects.filter(is_hidden=False)
    following = (
        request.user.is_authenticated and Follow.objects.filter(user=request.user, initiative=initiative).exists()
    )
    return render(
        request,
        "initiatives/initiative_detail.html",
        {
            "initiative": initiative,
            "membership": membership,
            "is_lead": is_lead,
            "members": members,
            "open_request": open_request,
            "join_form": JoinForm(),
            "events": events,
            "following": following,
            "projects": list(projects),
            "offers": list(Offer.objects.open().filter(initiative=initiative)),
            "json_ld": services.organization_json_ld(initiative) if initiative.is_public else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create(request):
    form = InitiativeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        topics, audiences = data.pop("topics"), data.pop("audiences")
        if data.get("logo"):
            data["logo_thumbnail"] = form.instance.logo_thumbnail
        else:
            data.pop("logo", None)
        initiative = services.register_initiative(user=request.user, topics=topics, audiences=audiences, **data)
        messages.success(request, _("Thank you. The office will check your initiative and then publish it."))
        return redirect(initiative)
    return render(request, "initiatives/initiative_form.html", {"form": form, "initiative": None})


def _editable(request, slug) -> Initiative:
    """The initiative if the user leads it (or is staff); everyone else gets a 404."""
    return get_object_or_404(Initiative.objects.editable_by(request.user), slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request, slug):
    initiative = _editable(request, slug)
    form = InitiativeForm(request.POST or None, request.FILES or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your changes are saved."))
        return redirect(initiative)
    return render(request, "initiatives/initiative_form.html", {"form": form, "initiative": initiative})


@login_required
@require_http_methods(["GET", "POST"])
def members(request, slug):
    """Leads manage members: roles, removal, join requests, invitations."""
    initiative = _editable(request, slug)
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST" and invite_form.is_valid():
        services.invite(initiative=initiative, by=request.user, email=invite_form.cleaned_data["email"])
        messages.success(request, _("The invitation has been sent."))
        return redirect("initiatives:members", slug=slug)
    return render(
        request,
        "initiatives/members.html",
        {
            "initiative": initiative,
            "invite_form": invite_form,
            "memberships": initiative.memberships.select_related("user").order_by("role", "user__display_name"),
            "requests": initiative.join_requests.filter(status="open").select_related("user"),
            "invitations": services.pending_invitations(initiative),
            "role_choices": Membership.Role.choices,
        },
    )


@login_required
@require_POST
def revoke_invitation(request, pk):
    """Leads of the initiative withdraw a pending invitation; everyone else gets a 404."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("initiative"),
        pk=pk,
        initiative__in=Initiative.objects.editable_by(request.user),
    )
    try:
        services.revoke_invitation(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation is withdrawn. Its link no longer works."))
    return redirect("initiatives:members", slug=invitation.initiative.slug)


@login_required
@require_POST
def join(request, slug):
    initiative = get_object_or_404(Initiative.objects.visible(), slug=slug)
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            services.request_to_join(initiative=initiative, user=request.user, message=form.cleaned_data["message"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your request has been sent to the leads."))
    else:
        messages.error(request, _("Your message is too long."))
    return redirect(initiative)


@login_required
@require_POST
def decide_request(request, pk):
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("initiative"),
        pk=pk,
        initiative__in=Initiative.objects.editable_by(request.user),
    )
    try:
        services.decide_join_request(
            join_request=join_request, by=request.user, accept=request.POST.get("decision") == "accept"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("initiatives:members", slug=join_request.initiative.slug)


@login_required
@require_POST
def change_role(request, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("initiative"),
        pk=pk,
        initiative__in=Initiative.objects.editable_by(request.user),
    )
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.change_role(membership=membership, by=request.user, role=form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The role is changed."))
    return redirect("initiatives:members", slug=membership.initiative.slug)


@login_required
@require_POST
def leave(request, pk):
    """Leave an initiative yourself, or (as lead) remove a member."""
    membership = get_object_or_404(
        Membership.objects.select_related("initiative").filter(
            Q(user=request.user) | Q(initiative__in=Initiative.objects.editable_by(request.user))
        ),
        pk=pk,
    )
    own = membership.user_id == request.user.pk
    try:
        services.leave(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(membership.initiative)
    messages.success(request, _("You have left the initiative.") if own else _("The member is removed."))
    return redirect("initiatives:my_initiatives" if own else membership.initiative.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    if request.method == "POST":
        try:
            membership = services.accept_invitation(token=token, user=request.user)
        except ValidationError as error:
            return render(request, "initiatives/invitation.html", {"error": " ".join(error.messages)}, status=400)
        messages.success(request, _("Welcome! You are now a member."))
        return redirect(membership.initiative)
    return render(request, "initiatives/invitation.html", {"token": token})


@require_http_methods(["GET", "POST"])
def contact(request, slug):
    initiative = get_object_or_404(Initiative.objects.visible(), slug=slug)
    initial = {}
    if request.user.is_authenticated:
        initial = {"email": request.user.email, "name": request.user.display_name}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact(initiative=initiative, client_key=client_address(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(initiative)
    return render(request, "initiatives/contact.html", {"initiative": initiative, "form": form})


@login_required
@require_safe
def my_initiatives(request):
    memberships = Membership.objects.filter(user=request.user).select_related("initiative").order_by("initiative__name")
    requests = JoinRequest.objects.filter(user=request.user).select_related("initiative").order_by("-created_at")
    responses = (
        OfferResponse.objects.filter(user=request.user).select_related("offer__initiative").order_by("-created_at")
    )
    return render(
        request,
        "initiatives/my_initiatives.html",
        {"memberships": memberships, "requests": requests, "responses": responses},
    )


def _public_project(request, slug, project_slug) -> Project:
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user), slug=slug)
    projects = initiative.projects.all()
    if not (
        request.user.is_authenticated
        and (is_office_staff(request.user) or initiative.memberships.filter(user=request.user).exists())
    ):
        projects = projects.filter(is_hidden=False)
    return get_object_or_404(
        projects.select_related("initiative").prefetch_related("topics", "news"), slug=project_slug
    )


@require_safe
def project_detail(request, slug, project_slug):
    project = _public_project(request, slug, project_slug)
    is_lead = Initiative.objects.editable_by(request.user).filter(pk=project.initiative_id).exists()
    following = request.user.is_authenticated and Follow.objects.filter(user=request.user, project=project).exists()
    return render(
        request,
        "initiatives/project_detail.html",
        {
            "project": project,
            "initiative": project.initiative,
            "is_lead": is_lead,
            "following": following,
            "news_form": NewsForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, slug, project_slug=None):
    initiative = _editable(request, slug)
    project = (
        get_object_or_404(initiative.projects, slug=project_slug) if project_slug else Project(initiative=initiative)
    )
    form = ProjectForm(request.POST or None, request.FILES or None, instance=project)
    if request.method == "POST" and form.is_valid():
        topics = form.cleaned_data.pop("topics")
        project = form.save(commit=False)
        try:
            services.save_project(project=project, by=request.user, topics=topics)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The project is saved."))
            return redirect(project)
    return render(
        request,
        "initiatives/project_form.html",
        {"form": form, "initiative": initiative, "project": project if project.pk else None},
    )


@login_required
@require_POST
def project_news(request, slug, project_slug):
    initiative = _editable(request, slug)
    project = get_object_or_404(initiative.projects, slug=project_slug)
    form = NewsForm(request.POST)
    if form.is_valid():
        services.post_news(project=project, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("The news is published and sent to the followers."))
    else:
        messages.error(request, _("Please write the news (at most 2000 characters)."))
    return redirect(project)


@login_required
@require_POST
def follow(request, slug, project_slug=None):
    if project_slug:
        project = _public_project(request, slug, project_slug)
        following = services.toggle_follow(user=request.user, project=project)
        target = project
    else:
        target = get_object_or_404(Initiative.objects.visible(), slug=slug)
        following = services.toggle_follow(user=request.user, initiative=target)
    messages.success(
        request, _("You follow it now. We will mail you its news.") if following else _("You no longer follow it.")
    )
    return redirect(target)


@login_required
@require_http_methods(["GET", "POST"])
def report(request, slug, project_slug=None):
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user), slug=slug)
    project = _public_project(request, slug, project_slug) if project_slug else None
    target = project or initiative
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report(
            user=request.user,
            reason=form.cleaned_data["reason"],
            initiative=None if project else initiative,
            project=project,
        )
        messages.success(request, _("Thank you. The office will look at your report."))
        return redirect(target)
    return render(request, "initiatives/report_form.html", {"form": form, "target": target})


@require_safe
def volunteering(request):
    """Mitmachen: every open volunteering offer of the district, with filters."""
    form = OfferFilterForm(request.GET or None)
    offers = Offer.objects.open().select_related("initiative").prefetch_related("initiative__topics")
    if form.is_bound and form.is_valid():
        if form.cleaned_data["topic"]:
            offers = offers.filter(initiative__topics=form.cleaned_data["topic"])
        if form.cleaned_data["allowance"]:
            offers = offers.filter(allowance=form.cleaned_data["allowance"])
    page = Paginator(offers.distinct(), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "initiatives/volunteering.html", {"form": form, "page": page, "query": query.urlencode()})


@require_http_methods(["GET", "POST"])
def offer_detail(request, pk):
    offer = get_object_or_404(
        Offer.objects.select_related("initiative").filter(initiative__in=Initiative.objects.visible_to(request.user)),
        pk=pk,
    )
    is_lead = Initiative.objects.editable_by(request.user).filter(pk=offer.initiative_id).exists()
    form = ResponseForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form.is_valid():
            try:
                services.respond_to_offer(offer=offer, user=request.user, message=form.cleaned_data["message"])
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Thank you! The initiative will answer you."))
                return redirect(offer)
    own = None
    if request.user.is_authenticated:
        own = offer.responses.filter(user=request.user).first()
    responses = offer.responses.select_related("user") if is_lead else None
    return render(
        request,
        "initiatives/offer_detail.html",
        {"offer": offer, "form": form, "own": own, "is_lead": is_lead, "responses": responses},
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, slug, pk=None):
    initiative = _editable(request, slug)
    offer = get_object_or_404(initiative.offers, pk=pk) if pk else Offer(initiative=initiative)
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        services.save_offer(offer=form.save(commit=False), by=request.user)
        messages.success(request, _("The offer is saved."))
        return redirect(offer)
    return render(request, "initiatives/offer_form.html", {"form": form, "initiative": initiative})


@login_required
@require_POST
def decide_response(request, pk):
    response = get_object_or_404(
        OfferResponse.objects.select_related("offer__initiative"),
        pk=pk,
        offer__initiative__in=Initiative.objects.editable_by(request.user),
    )
    services.decide_response(response=response, by=request.user, accept=request.POST.get("decision") == "accept")
    return redirect(response.offer)
