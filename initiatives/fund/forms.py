from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Topic
from quartier.dates import DateInput, validate_plausible
from quartier.documents import validate_document
from quartier.images import clean_image_field
from quartier.money import AmountField

from .models import CostLine, FundApplication, FundEntry, Vote


class ApplicationForm(forms.ModelForm):
    """Applicant or lead writes the application; the cost plan comes beside it as lines (CostLineFormSet)."""

    class Meta:
        model = FundApplication
        fields = [
            "initiative",
            "title",
            "description",
            "benefit",
            "goals",
            "own_money",
            "own_hours",
            "own_rooms",
            "planned_start",
            "planned_end",
            "confirms_eligibility",
            "publish_name",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "benefit": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.CheckboxSelectMultiple,
            "planned_start": DateInput,
            "planned_end": DateInput,
        }
        field_classes = {"own_money": AmountField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = Initiative.objects.led_by(user)
        self.fields["initiative"].empty_label = _("I apply as a resident")
        self.fields["goals"].queryset = Topic.objects.all()
        self.fields["own_hours"].help_text = _("Hours that you and others give without pay.")
        for name in ("planned_start", "planned_end"):
            self.fields[name].validators.append(validate_plausible)
        self.fields["planned_start"].help_text = _("The project may start only after the jury session.")


class CostLineForm(forms.ModelForm):
    amount = AmountField(label=_("Amount (EUR)"), positive=True)

    class Meta:
        model = CostLine
        fields = ["description", "amount"]


CostLineFormSet = inlineformset_factory(
    FundApplication, CostLine, form=CostLineForm, extra=3, can_delete=True, max_num=40, validate_max=True
)


def cost_lines(formset) -> list[dict]:
    """The filled-in lines of a valid cost plan formset, removed ones left out."""
    return [
        {"description": f.cleaned_data["description"], "amount": f.cleaned_data["amount"]}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class CheckForm(forms.Form):
    RESULTS = [
        (FundApplication.Status.ELIGIBLE, _("eligible")),
        (FundApplication.Status.NEEDS_CHANGES, _("needs changes")),
        (FundApplication.Status.INELIGIBLE, _("ineligible")),
    ]

    result = forms.ChoiceField(label=_("Result of the formal check"), choices=RESULTS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment to the applicant"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required if changes are needed or the application is ineligible."),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("result") in (FundApplication.Status.NEEDS_CHANGES, FundApplication.Status.INELIGIBLE)
            and not data.get("comment", "").strip()
        ):
            self.add_error("comment", _("Please tell the applicant what to change, or why it is ineligible."))
        return data


class DecisionForm(forms.Form):
    """The jury's votes, one field per member in office; a recused member's vote is refused."""

    amount = AmountField(
        label=_("Amount granted (EUR)"),
        positive=True,
        required=False,
        help_text=_("Required if the majority votes for the application."),
    )
    note = forms.CharField(
        label=_("Minutes of the decision"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, voters, cast=None, **kwargs):
        """`cast`: the votes the members cast themselves on the portal (member id → choice), shown as the start."""
        super().__init__(*args, **kwargs)
        self.voters = voters
        cast = cast or {}
        choices = [("", _("does not vote (absent)"))] + list(Vote.Choice.choices)
        labels = dict(Vote.Choice.choices)
        for member, reason in voters:
            help_text = reason or None
            if not reason and member.pk in cast:
                help_text = _("Cast on the portal: %(choice)s") % {"choice": labels.get(cast[member.pk], "")}
            self.fields[f"vote_{member.pk}"] = forms.ChoiceField(
                label=str(member.user),
                choices=choices,
                required=False,
                help_text=help_text,
                initial=cast.get(member.pk) if not reason else None,
            )
        self.order_fields([f"vote_{member.pk}" for member, _reason in voters] + ["amount", "note"])

    def clean(self):
        data = super().clean()
        for member, reason in self.voters:
            if reason and data.get(f"vote_{member.pk}"):
                self.add_error(f"vote_{member.pk}", reason)
        votes = self.votes()
        if not votes:
            raise forms.ValidationError(_("Please record the votes of the jury."))
        in_favour = sum(1 for choice in votes.values() if choice == Vote.Choice.FOR)
        against = sum(1 for choice in votes.values() if choice == Vote.Choice.AGAINST)
        if in_favour > against and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("The majority votes for it: please enter the amount granted."))
        return data

    def votes(self) -> dict[int, str]:
        return {
            member.pk: self.cleaned_data[f"vote_{member.pk}"]
            for member, _reason in self.voters
            if self.cleaned_data.get(f"vote_{member.pk}")
        }


class VoteForm(forms.Form):
    """A jury member's own vote on one application; refused if the member applied or leads the applicant."""

    choice = forms.ChoiceField(label=_("Your vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect)

    def __init__(self, *args, recusal="", **kwargs):
        super().__init__(*args, **kwargs)
        self.recusal = recusal

    def clean(self):
        data = super().clean()
        if self.recusal:
            raise forms.ValidationError(self.recusal)
        return data


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(FundEntry.Kind.PAYOUT, _("payout")), (FundEntry.Kind.REPAYMENT, _("repayment"))]
    )
    amount = AmountField(label=_("Amount (EUR)"), positive=True)
    booked_on = forms.DateField(label=_("Date"), widget=DateInput, validators=[validate_plausible])
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)


class CloseForm(forms.Form):
    spending_note = forms.CharField(
        label=_("Result of the spending check"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Receipts compared with the cost plan; what must be repaid."),
    )


class ReceiptForm(forms.Form):
    description = forms.CharField(label=_("What was bought"), max_length=200)
    amount = AmountField(label=_("Amount (EUR)"), positive=True)
    file = forms.FileField(label=_("Receipt (PDF, JPEG or PNG, at most 10 MB)"), validators=[validate_document])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "application/pdf,image/jpeg,image/png"


class ReportForm(forms.Form):
    PHOTOS = 3

    report = forms.CharField(
        label=_("Short report: what happened, who took part, what it changed"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, self.PHOTOS + 1):
            self.fields[f"photo_{n}"] = forms.ImageField(label=_("Photo %(n)s (optional)") % {"n": n}, required=False)
            self.fields[f"photo_{n}"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
            self.fields[f"alt_{n}"] = forms.CharField(
                label=_("What photo %(n)s shows") % {"n": n}, required=False, max_length=200
            )

    def clean(self):
        data = super().clean()
        for n in range(1, self.PHOTOS + 1):
            photo = data.get(f"photo_{n}")
            if photo:
                try:
                    data[f"photo_{n}"] = clean_image_field(photo)
                except forms.ValidationError as error:
                    self.add_error(f"photo_{n}", error)
                    continue
                if not data.get(f"alt_{n}", "").strip():
                    self.add_error(f"alt_{n}", _("Describe the photo for people who cannot see it."))
        return data

    def photos(self) -> list[tuple]:
        return [
            (self.cleaned_data[f"photo_{n}"], self.cleaned_data[f"alt_{n}"].strip())
            for n in range(1, self.PHOTOS + 1)
            if self.cleaned_data.get(f"photo_{n}")
        ]
