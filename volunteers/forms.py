from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.documents import validate_document
from quartier.money import ZERO, AmountField


class DeclarationForm(forms.Form):
    """The volunteer's yearly declaration to one payer, filled in online (the ticked box is the signature)."""

    engagement = forms.ChoiceField(label=_("Activity and payer"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    received_elsewhere = AmountField(
        label=_("Amount already received this year from payers outside this portal (EUR)"),
        initial=ZERO,
        help_text=_("For the same allowance, e.g. from a sports club or a school. Enter 0 if there is none."),
    )
    share = AmountField(
        label=_("Share you claim from this payer (EUR, optional)"),
        positive=True,
        required=False,
        help_text=_("Leave empty to claim the whole remaining allowance from this payer."),
    )
    document = forms.FileField(
        label=_("Signed declaration as PDF or image (optional)"), required=False, validators=[validate_document]
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this information is true. I will tell the payer at once if it changes.")
    )

    def __init__(self, *args, engagements, **kwargs):
        super().__init__(*args, **kwargs)
        self.engagements = {str(e.pk): e for e in engagements}
        self.fields["engagement"].choices = [
            (str(e.pk), f"{e.activity} – {e.payer_name} ({e.get_allowance_type_display()})") for e in engagements
        ]
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(this_year, this_year), (this_year - 1, this_year - 1)]
        self.fields["year"].initial = this_year
        self.fields["document"].widget.attrs["accept"] = "application/pdf,image/jpeg,image/png"

    def clean_engagement(self):
        return self.engagements[self.cleaned_data["engagement"]]
