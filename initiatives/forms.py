from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from quartier.images import clean_image

from .models import Audience, Initiative, Membership, Topic


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(), required=False,
                                   to_field_name="slug", empty_label=_("all topics"))
    audience = forms.ModelChoiceField(label=_("For"), queryset=Audience.objects.all(), required=False,
                                      to_field_name="slug", empty_label=_("everyone"))
    language = forms.CharField(label=_("Language"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all kinds"))] + list(Initiative.Kind.choices)


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["name", "kind", "short_description", "description", "logo", "logo_alt", "topics", "audiences",
                  "languages", "meets_where", "meets_when", "website", "contact_email", "is_nonprofit"]
        widgets = {"topics": forms.CheckboxSelectMultiple, "audiences": forms.CheckboxSelectMultiple,
                   "description": forms.Textarea(attrs={"rows": 6})}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):
            try:
                return clean_image(logo, max_edge=800)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return logo

    def clean(self):
        data = super().clean()
        if data.get("logo") and not (data.get("logo_alt") or "").strip():
            self.add_error("logo_alt", _("Describe the logo for people who cannot see it."))
        return data


class JoinForm(forms.Form):
    message = forms.CharField(label=_("A few words to the leads (optional)"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person you invite"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100)
    email = forms.EmailField(label=_("Your e-mail address (for the answer)"))
    message = forms.CharField(label=_("Message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))
