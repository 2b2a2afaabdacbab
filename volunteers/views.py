from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from initiatives.models import Initiative
from quartier.dates import plausible_year
from quartier.documents import document_response
from quartier.exports import as_download, csv_amount, csv_download, pdf_from_html

from . import services
from .forms import DeclarationForm
from .models import Declaration, Payment, Volunteer, payer_name


@login_required
@require_safe
def my_allowances(request):
    """The volunteer's engagements, payments and used/remaining amounts per year; leads' and staff's entry points."""
    volunteer = Volunteer.objects.filter(user=request.user).first()
    context = {
        "volunteer": volunteer,
        "years": services.volunteer_years(volunteer) if volunteer else [],
        "engagements": volunteer.engagements.with_payer() if volunteer else [],
        "led_payers": Initiative.objects.led_by(request.user).filter(engagements__isnull=False).distinct(),
        "this_year": timezone.localdate().year,
        "is_staff": request.user.has_perm("volunteers.view_payment"),
    }
    return render(request, "volunteers/my_allowances.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def declaration_create(request):
    volunteer = get_object_or_404(Volunteer, user=request.user)
    engagements = list(volunteer.engagements.with_payer())
    form = DeclarationForm(request.POST or None, request.FILES or None, engagements=engagements)
    if form.is_valid():
        data = form.cleaned_data
        engagement = data["engagement"]
        try:
            services.submit_declaration(
                volunteer=volunteer,
                payer_initiative=engagement.payer_initiative,
                year=data["year"],
                allowance_type=engagement.allowance_type,
                received_elsewhere=data["received_elsewhere"],
                share=data["share"],
                signed_on=timezone.localdate(),
                document=data["document"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Thank you. Your declaration has been saved."))
            return redirect("volunteers:my_allowances")
    return render(request, "volunteers/declaration_form.html", {"form": form, "has_engagements": bool(engagements)})


@login_required
@require_safe
def declaration_document(request, pk):
    declaration = get_object_or_404(
        Declaration.objects.filter(volunteer__in=Volunteer.objects.visible_to(request.user)), pk=pk
    )
    if not declaration.document:
        raise Http404
    return document_response(declaration.document, name=f"erklaerung-{declaration.pk}")


def _check_year(year: int) -> None:
    """A year the date functions can handle; anything else is a page that does not exist, never an error."""
    if not plausible_year(year):
        raise Http404


def _statement_context(request, volunteer_id, year):
    _check_year(year)
    volunteer = get_object_or_404(Volunteer.objects.visible_to(request.user), pk=volunteer_id)
    summary = services.volunteer_years(volunteer, years=[year])[0]
    return {"volunteer": volunteer, "summary": summary, "year": year, "issued_on": timezone.localdate()}


@login_required
@require_safe
def statement(request, volunteer_id, year):
    """The yearly statement (Bescheinigung) as a printable page: only the volunteer and staff see it."""
    return render(request, "volunteers/statement.html", _statement_context(request, volunteer_id, year))


@login_required
@require_safe
def statement_pdf(request, volunteer_id, year):
    context = _statement_context(request, volunteer_id, year)
    html = render_to_string("volunteers/statement_pdf.html", context, request)
    pdf = pdf_from_html(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    label = _("statement")
    name = f"{label}-{year}-{slugify(context['volunteer'].name, allow_unicode=True)}.pdf"
    as_download(response, name)
    return response


def _payer_payments(request, slug, year):
    """Payments of one payer and year: its leads see them, staff see every payer's; everyone else gets a 404."""
    _check_year(year)
    if slug is None:
        if not request.user.has_perm("volunteers.view_payment"):
            raise Http404
        initiative = None
    elif request.user.has_perm("volunteers.view_payment"):
        initiative = get_object_or_404(Initiative, slug=slug)
    else:
        initiative = get_object_or_404(Initiative.objects.led_by(request.user), slug=slug)
    payments = list(
        Payment.objects.visible_to(request.user)
        .for_payer(initiative)
        .in_year(year)
        .with_details()
        .order_by("paid_on", "pk")
    )
    return initiative, payments


@login_required
@require_safe
def payer_payments(request, year, slug=None):
    initiative, payments = _payer_payments(request, slug, year)
    totals = {
        "amount": sum((p.amount for p in payments), services.ZERO),
        "taxable": sum((p.taxable_amount for p in payments), services.ZERO),
    }
    totals["tax_free"] = totals["amount"] - totals["taxable"]
    return render(
        request,
        "volunteers/payer_payments.html",
        {
            "initiative": initiative,
            "payer": payer_name(initiative),
            "payments": payments,
            "year": year,
            "totals": totals,
            "slug": slug,
        },
    )


@login_required
@require_safe
def payer_payments_csv(request, year, slug=None):
    initiative, payments = _payer_payments(request, slug, year)
    response, writer = csv_download(
        f"{_('allowances')}-{slugify(payer_name(initiative), allow_unicode=True)}-{year}.csv",
        [
            _("entry"),
            _("paid on"),
            _("volunteer"),
            _("activity"),
            _("allowance type"),
            _("amount"),
            _("tax-free"),
            _("taxable"),
            _("period or purpose"),
            _("reference"),
            _("reverses entry"),
        ],
    )
    for p in payments:
        engagement = p.engagement
        writer.writerow(
            [
                p.pk,
                p.paid_on.isoformat(),
                engagement.volunteer.name,
                engagement.activity,
                engagement.get_allowance_type_display(),
                csv_amount(p.amount),
                csv_amount(p.tax_free_amount),
                csv_amount(p.taxable_amount),
                p.purpose,
                p.reference,
                p.reverses_id,
            ]
        )
    return response


@login_required
@permission_required("volunteers.view_payment", raise_exception=True)
@require_safe
def staff_overview(request):
    year = timezone.localdate().year
    return render(request, "volunteers/staff_overview.html", services.staff_overview(year))
