from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.content_languages import ContentFormMixin, form_columns
from quartier.dates import DateInput, check_form_span, validate_plausible
from quartier.forms import offer_compiled
from quartier.images import LOGO_MAX_PIXELS, clean_image, clean_image_field

from .models import Audience, Initiative, Membership, Offer, Project, Topic


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("all topics"),
    )
    audience = forms.ModelChoiceField(
        label=_("For"), queryset=Audience.objects.all(), required=False, to_field_name="slug", empty_label=_("everyone")
    )
    language = forms.CharField(label=_("Language"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all kinds"))] + list(Initiative.Kind.choices)
        for name, model in (("topic", Topic), ("audience", Audience)):
            offer_compiled(self.fields[name], f"initiatives.filter.{name}", model.objects.all)


class InitiativeForm(ContentFormMixin, forms.ModelForm):
    class Meta:
        model = Initiative
        fields = [
            "name",
            "kind",
            *form_columns("short_description", "description"),
            "logo",
            "logo_alt",
            "topics",
            "audiences",
            "languages",
            "meets_where",
            "meets_when",
            "website",
            "contact_email",
        ]
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "audiences": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.is_verified:
            # Staff checked the kind when verifying; a public body pays tax-free allowances, so it stays as checked.
            del self.fields["kind"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        cleaned = clean_image_field(logo, max_edge=800, max_pixels=LOGO_MAX_PIXELS)
        if cleaned is not logo:  # a new upload: also a small version for the directory cards, from the clean one
            self.instance.logo_thumbnail = clean_image(cleaned, max_edge=160, max_pixels=LOGO_MAX_PIXELS)
            cleaned.seek(0)
        return cleaned

    def clean(self):
        data = super().clean()
        if data.get("logo") and not (data.get("logo_alt") or "").strip():
            self.add_error("logo_alt", _("Describe the logo for people who cannot see it."))
        return data


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("A few words to the leads (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person you invite"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100)
    email = forms.EmailField(label=_("Your e-mail address (for the answer)"))
    message = forms.CharField(label=_("Message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))


class ProjectForm(ContentFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            *form_columns("title", "summary", "description"),
            "image",
            "image_alt",
            "status",
            "starts_on",
            "ends_on",
            "place",
            "topics",
            "helpers_wanted",
        ]
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "starts_on": DateInput,
            "ends_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_image(self):
        return clean_image_field(self.cleaned_data.get("image"))

    def clean(self):
        data = super().clean()
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        check_form_span(self, data, "starts_on", "ends_on")
        return data


class NewsForm(forms.Form):
    text = forms.CharField(label=_("News"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class OfferForm(ContentFormMixin, forms.ModelForm):
    class Meta:
        model = Offer
        fields = [
            *form_columns("title", "description"),
            "when",
            "time_needed",
            "skills",
            "helpers_needed",
            "until",
            "allowance",
            "is_open",
        ]
        widgets = {"until": DateInput, "description": forms.Textarea(attrs={"rows": 5})}

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(_("The date must not be in the past."))
        validate_plausible(until)
        return until


class OfferFilterForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("all topics"),
    )
    allowance = forms.ChoiceField(label=_("Allowance"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allowance"].choices = [("", _("any"))] + Offer.ALLOWANCE_CHOICES


class ResponseForm(forms.Form):
    message = forms.CharField(
        label=_("A short message (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
