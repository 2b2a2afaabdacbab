from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from initiatives.models import Membership
from quartier.caching import cached_fragment
from quartier.contributions import render_home_section
from quartier.dates import plausible_year
from quartier.documents import document_response
from quartier.exports import as_download, csv_amount, csv_download, pdf_from_html
from quartier.sql import plain_objects

from . import services
from .forms import (
    ApplicationForm,
    CheckForm,
    CloseForm,
    CostLineFormSet,
    DecisionForm,
    EntryForm,
    ReceiptForm,
    ReportForm,
    VoteForm,
    cost_lines,
)
from .models import Call, Fund, FundApplication, JuryMember, Receipt, load_money

Status = FundApplication.Status
STAFF = "fund.change_fundapplication"
HOME_CALLS = 3


def _check_year(year: int) -> None:
    if not plausible_year(year):
        raise Http404


# --- Public pages ------------------------------------------------------------------------------------------


@require_safe
def fund_home(request):
    """This year's funds with their budget left, the open calls, and the way to the funded projects. The funds and
    calls are the same for everyone: one fragment (quartier/caching.py) until the fund's data change; the links
    below them depend on the visitor."""
    year = timezone.localdate().year
    content = cached_fragment(
        request,
        topics=["fund"],
        vary=[year],
        render=lambda: render_to_string("fund/fund_home.html#content", _fund_home_context(year), request),
    )
    context = {"content": content, "year": year, "is_staff": services.is_fund_staff(request.user)}
    return render(request, "fund/fund_home.html", context)


def _fund_home_context(year: int) -> dict:
    """This year's and last year's funds with their money, and the open calls: queries compiled once per process
    (quartier.sql.plain_objects)."""
    funds = load_money(plain_objects("fund.recent_funds", _recent_funds, year - 1))
    calls = plain_objects("fund.open_calls", _open_calls, timezone.now())
    return {"funds": funds, "calls": calls}


def _recent_funds(since_year):
    return Fund.objects.filter(year__gte=since_year).order_by("-year", "name")


def _open_calls(now):
    return Call.objects.open(now).select_related("fund").order_by("deadline")


def home_section(request) -> str:
    """The open calls for the home page: title, deadline, budget left, link (a fixed number of queries)."""
    calls = plain_objects("fund.home_section", _home_calls, timezone.now())
    if not calls:
        return ""
    funds = {call.fund_id: call.fund for call in calls}  # one instance per fund for its money entries
    load_money(funds.values())
    for call in calls:
        call.fund = funds[call.fund_id]
    return render_home_section("fund/home_section.html", {"calls": calls}, request)


def _home_calls(now):
    return Call.objects.open(now).select_related("fund").order_by("deadline", "pk")[:HOME_CALLS]


@require_safe
def call_detail(request, pk):
    call = get_object_or_404(Call.objects.select_related("fund", "agenda_item__conference__event"), pk=pk)
    fund = Fund.objects.with_money().get(pk=call.fund_id)
    return render(
        request,
        "fund/call_detail.html",
        {
            "call": call,
            "fund": fund,
            "is_open": call.is_open(),
            "is_jury": _is_jury(request.user, fund) or services.is_fund_staff(request.user),
        },
    )


@require_safe
def funded_list(request, year=None):
    """Funded projects of a year with amounts and reports: transparent use of public money."""
    year = year or timezone.localdate().year
    _check_year(year)
    applications = (
        FundApplication.objects.funded()
        .filter(call__fund__year=year)
        .with_details()
        .prefetch_related("photos")
        .order_by("call__fund__name", "title")
    )
    page = Paginator(applications, 20).get_page(request.GET.get("page"))
    funds = list(Fund.objects.filter(year=year).with_money())
    return render(request, "fund/funded_list.html", {"page": page, "year": year, "funds": funds})


# --- The applicant ------------------------------------------------------------------------------------------


@login_required
@require_safe
def my_applications(request):
    applications = FundApplication.objects.editable_by(request.user).with_details().order_by("-created_at", "-pk")
    page = Paginator(applications, 20).get_page(request.GET.get("page"))
    return render(request, "fund/my_applications.html", {"page": page})


def _application_form(request, application, call):
    form = ApplicationForm(request.POST or None, instance=application, user=request.user)
    formset = CostLineFormSet(request.POST or None, instance=application, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        application = form.save(commit=False)
        try:
            services.save_application(
                application=application, lines=cost_lines(formset), by=request.user, goals=form.cleaned_data["goals"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your application is saved as a draft. Submit it when it is complete."))
            return redirect(application)
    return render(
        request,
        "fund/application_form.html",
        {"form": form, "formset": formset, "call": call, "application": application if application.pk else None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request, pk):
    call = get_object_or_404(Call.objects.select_related("fund"), pk=pk)
    if not call.is_open():
        messages.error(request, _("The deadline of this call has passed. It takes no more applications."))
        return redirect(call)
    return _application_form(request, FundApplication(call=call, applicant=request.user), call)


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    application = get_object_or_404(
        FundApplication.objects.editable_by(request.user).select_related("call__fund"),
        pk=pk,
        status__in=FundApplication.EDITABLE_STATES,
    )
    return _application_form(request, application, application.call)


def _detail_context(request, application, **forms) -> dict:
    user = request.user
    is_staff = services.is_fund_staff(user)
    is_owner = FundApplication.objects.editable_by(user).filter(pk=application.pk).exists()
    context = {
        "application": application,
        "is_staff": is_staff,
        "is_owner": is_owner,
        "receipts": list(application.receipts.all()) if (is_owner or is_staff) else [],
        "entries": list(application.entries.select_related("entered_by", "corrects")),
        "problems": services.submission_problems(application) if is_owner and application.is_editable else [],
        "deadline_passed": not application.call.is_open(),
        "votes": list(application.votes.select_related("member__user")),
    }
    if is_staff and application.status == Status.APPROVED:
        context["entry_form"] = forms.get("entry_form") or EntryForm(initial={"booked_on": timezone.localdate()})
        context["close_form"] = forms.get("close_form") or CloseForm()
    context["receipts_total"] = sum((r.amount for r in context["receipts"]), services.ZERO)
    return context


def _visible_application(request, pk) -> FundApplication:
    return get_object_or_404(
        FundApplication.objects.visible_to(request.user).with_details().prefetch_related("photos"), pk=pk
    )


@login_required
@require_safe
def application_detail(request, pk):
    application = _visible_application(request, pk)
    return render(request, "fund/application_detail.html", _detail_context(request, application))


def _own_application(request, pk) -> FundApplication:
    return get_object_or_404(FundApplication.objects.editable_by(request.user).select_related("call__fund"), pk=pk)


@login_required
@require_POST
def application_submit(request, pk):
    application = _own_application(request, pk)
    try:
        services.submit_application(application=application, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you. Your application has been submitted. The office will check it."))
    return redirect(application)


@login_required
@require_http_methods(["GET", "POST"])
def receipt_upload(request, pk):
    application = get_object_or_404(
        FundApplication.objects.editable_by(request.user)
        .select_related("call__fund")
        .prefetch_related("receipts", "cost_lines"),
        pk=pk,
        status=Status.APPROVED,
    )
    form = ReceiptForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        try:
            services.add_receipt(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The receipt has been uploaded."))
            return redirect("fund:receipts", application.pk)
    return render(request, "fund/receipt_form.html", {"form": form, "application": application})


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    application = get_object_or_404(
        FundApplication.objects.editable_by(request.user).select_related("call__fund"), pk=pk, status=Status.APPROVED
    )
    form = ReportForm(request.POST or None, request.FILES or None, initial={"report": application.report})
    if form.is_valid():
        try:
            services.submit_report(
                application=application, report=form.cleaned_data["report"], photos=form.photos(), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Thank you. Your report has been saved."))
            return redirect(application)
    return render(request, "fund/report_form.html", {"form": form, "application": application})


@login_required
@require_safe
def receipt_file(request, pk):
    """A receipt's file: only the applicant, the leads of the applying initiative and staff."""
    visible = FundApplication.objects.editable_by(request.user)
    if services.is_fund_staff(request.user):
        visible = FundApplication.objects.all()
    receipt = get_object_or_404(Receipt.objects.filter(application__in=visible), pk=pk)
    return document_response(receipt.file, name=f"beleg-{receipt.pk}")


def _notice_context(request, pk) -> dict:
    visible = FundApplication.objects.editable_by(request.user)
    if services.is_fund_staff(request.user):
        visible = FundApplication.objects.all()
    application = get_object_or_404(visible.funded().with_details(), pk=pk)
    return {"application": application, "fund": application.call.fund, "issued_on": application.decided_at}


@login_required
@require_safe
def notice(request, pk):
    """The approval notice (Förderbescheid), printable."""
    return render(request, "fund/notice.html", _notice_context(request, pk))


@login_required
@require_safe
def notice_pdf(request, pk):
    context = _notice_context(request, pk)
    html = render_to_string("fund/notice_pdf.html", context, request)
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    label = _("approval-notice")
    name = f"{label}-{context['application'].pk}-{slugify(context['application'].title, allow_unicode=True)}.pdf"
    as_download(response, name)
    return response


# --- The jury ------------------------------------------------------------------------------------------------


def _is_jury(user, fund) -> bool:
    """A member of the fund's jury in office today; a former member reads no more applications."""
    return user.is_authenticated and JuryMember.objects.filter(fund=fund, user=user).active_on().exists()


@login_required
@require_safe
def session(request, pk):
    """The session's applications (found eligible, or decided) for the jury and staff."""
    call = get_object_or_404(Call.objects.select_related("fund", "agenda_item__conference__event"), pk=pk)
    if not (services.is_fund_staff(request.user) or _is_jury(request.user, call.fund)):
        raise Http404
    applications = list(
        FundApplication.objects.filter(call=call, status__in=FundApplication.JURY_STATES)
        .with_details()
        .prefetch_related("votes")
        .order_by("title")
    )
    jury = list(JuryMember.objects.filter(fund=call.fund).active_on(call.session_date).select_related("user"))
    fund = Fund.objects.with_money().get(pk=call.fund_id)
    seat = services.jury_seat(request.user, call)
    if seat is not None:
        lead_of = set(Membership.objects.leads().filter(user=request.user).values_list("initiative_id", flat=True))
        for application in applications:
            # A member sees only their own vote before the decision: nobody is swayed by the others' votes.
            application.my_vote = next((v for v in application.votes.all() if v.member_id == seat.pk), None)
            application.recused = application.applicant_id == request.user.pk or application.initiative_id in lead_of
    for application in applications:
        application.votes_cast = len(application.votes.all())
    return render(
        request,
        "fund/session.html",
        {
            "call": call,
            "applications": applications,
            "jury": jury,
            "fund": fund,
            "seat": seat,
            "is_staff": services.is_fund_staff(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def vote(request, pk):
    """A jury member casts or changes their own vote on an eligible application, until the decision is recorded."""
    application = get_object_or_404(
        FundApplication.objects.with_details(), pk=pk, status__in=FundApplication.JURY_STATES
    )
    seat = services.jury_seat(request.user, application.call)
    if seat is None:
        raise Http404
    if application.status != Status.ELIGIBLE:
        messages.info(request, _("The decision on this application is recorded. Votes can no longer be changed."))
        return redirect("fund:session", application.call_id)
    current = application.votes.filter(member=seat).first()
    recusal = seat.recusal_reason(application)
    form = VoteForm(request.POST or None, recusal=recusal, initial={"choice": current.choice} if current else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.cast_vote(application=application, by=request.user, choice=form.cleaned_data["choice"])
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("Your vote on “%(title)s” is saved. You can change it until the decision is recorded.")
                    % {"title": application.title},
                )
                return redirect("fund:session", application.call_id)
        status = 400
    else:
        status = 200
    return render(
        request,
        "fund/vote_form.html",
        {"form": form, "application": application, "call": application.call, "current": current, "recusal": recusal},
        status=status,
    )


# --- Staff ---------------------------------------------------------------------------------------------------


def _staff_application(pk, **filters) -> FundApplication:
    return get_object_or_404(FundApplication.objects.with_details().prefetch_related("votes"), pk=pk, **filters)


@permission_required(STAFF, raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_check(request, pk):
    application = _staff_application(pk, status=Status.SUBMITTED)
    form = CheckForm(request.POST or None)
    if form.is_valid():
        try:
            services.check_application(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The check is saved. The applicant has been informed by e-mail."))
            return redirect(application)
    return render(request, "fund/check_form.html", {"form": form, "application": application})


@permission_required(STAFF, raise_exception=True)
@require_http_methods(["GET", "POST"])
def application_decide(request, pk):
    application = _staff_application(pk, status=Status.ELIGIBLE)
    voters = services.voters(application)
    cast = {vote.member_id: vote.choice for vote in application.votes.all()}
    form = DecisionForm(request.POST or None, voters=voters, cast=cast)
    if form.is_valid():
        try:
            services.decide_application(
                application=application,
                votes=form.votes(),
                by=request.user,
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The decision is recorded. The applicant has been informed by e-mail."))
            return redirect(application)
    fund = Fund.objects.with_money().get(pk=application.call.fund_id)
    return render(request, "fund/decision_form.html", {"form": form, "application": application, "fund": fund})


@permission_required(STAFF, raise_exception=True)
@require_POST
def application_book(request, pk):
    application = _staff_application(pk, status=Status.APPROVED)
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            services.book_entry(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The entry is booked."))
            return redirect(application)
    return render(
        request, "fund/application_detail.html", _detail_context(request, application, entry_form=form), status=400
    )


@permission_required(STAFF, raise_exception=True)
@require_POST
def application_close(request, pk):
    application = _staff_application(pk, status=Status.APPROVED)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_project(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The project is closed."))
            return redirect(application)
    return render(
        request, "fund/application_detail.html", _detail_context(request, application, close_form=form), status=400
    )


@permission_required(STAFF, raise_exception=True)
@require_safe
def staff_index(request):
    fund = Fund.objects.order_by("-year", "name").first()
    if fund is None:
        return render(request, "fund/fund_overview.html", {"fund": None, "funds": []})
    return redirect("fund:overview", fund.pk)


@permission_required(STAFF, raise_exception=True)
@require_safe
def fund_overview(request, pk):
    fund = get_object_or_404(Fund, pk=pk)
    context = services.fund_overview(fund)
    context["funds"] = list(Fund.objects.order_by("-year", "name"))
    return render(request, "fund/fund_overview.html", context)


@permission_required(STAFF, raise_exception=True)
@require_safe
def grants_csv(request, year):
    """The grants of a year for the bookkeeping: `;`-separated, decimal comma, one row per funded application."""
    _check_year(year)
    applications = (
        FundApplication.objects.filter(call__fund__year=year)
        .filter(Q(entries__kind="grant"))
        .distinct()
        .with_details()
        .order_by("call__fund__name", "decided_at", "pk")
    )
    label = _("grants")  # outside the f-string: xgettext reads no f-strings
    response, writer = csv_download(
        f"{label}-{year}.csv",
        [
            _("application"),
            _("fund"),
            _("call"),
            _("title"),
            _("applicant"),
            _("status"),
            _("decided on"),
            _("total costs"),
            _("granted"),
            _("paid out"),
            _("repaid"),
        ],
    )
    for a in applications:
        writer.writerow(
            [
                a.pk,
                a.call.fund,
                a.call.title,
                a.title,
                a.applicant_name,
                a.get_status_display(),
                a.decided_at.date().isoformat() if a.decided_at else "",
                csv_amount(a.cost_total),
                csv_amount(a.granted),
                csv_amount(a.paid_out),
                csv_amount(a.repaid),
            ]
        )
    return response
