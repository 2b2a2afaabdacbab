from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from quartier import content_languages
from quartier.content_languages import ContentFormMixin, form_columns
from quartier.counter import CounterPersonForm
from quartier.dates import DateInput, TimeInput, aware, check_form_span, validate_plausible
from quartier.forms import offer_compiled
from quartier.staff import is_office_staff

from .models import Category, Event


class EventFilterForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("all categories"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput, validators=[validate_plausible])
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput, validators=[validate_plausible])

    def clean(self):
        data = super().clean()
        check_form_span(self, data, "date_from", "date_to")
        return data

    def filters(self) -> dict:
        """The valid filters as `EventQuerySet.matching` takes them (short names and dates)."""
        data = self.cleaned_data
        return {
            "category": data["category"].slug if data.get("category") else None,
            "initiative": data.get("initiative") or None,
            "room": data.get("room") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class EventFeedFilterForm(EventFilterForm):
    """The feeds take the list's filters and, as the open-data API, an initiative's and a room's short name."""

    initiative = forms.SlugField(required=False)
    room = forms.SlugField(required=False)


class RegistrationForm(forms.Form):
    companions = forms.IntegerField(
        label=_("Companions"), min_value=0, initial=0, help_text=_("How many people come with you?")
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["companions"].validators.append(MaxValueValidator(event.max_companions))
        self.fields["companions"].widget.attrs["max"] = event.max_companions


class CounterRegistrationForm(CounterPersonForm):
    """Office staff register a person without an account for an event (or put her on its waiting list)."""

    event = forms.ModelChoiceField(label=_("Event"), queryset=None, empty_label=None)
    companions = forms.IntegerField(
        label=_("Companions"), min_value=0, max_value=100, initial=0, help_text=_("How many people come with her?")
    )
    field_order = ["event", "name", "phone", "email", "companions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.open_for_registration().order_by("starts_at")
        self.fields["email"].help_text = _(
            "With an address, the confirmation goes by mail, and the registration appears in the person's account "
            "once she signs up with it. Without one, print the confirmation."
        )

    def clean(self):
        data = super().clean()
        event, companions = data.get("event"), data.get("companions")
        if event is not None and companions is not None and companions > event.max_companions:
            n = event.max_companions
            text = ngettext(
                "At most {n} companion can come to this event.", "At most {n} companions can come to this event.", n
            )
            self.add_error("companions", text.format(n=n))
        return data


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(
        label=_("Why it matters"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences: what is the problem, what should the conference discuss?"),
    )


class DecisionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    conference = forms.ModelChoiceField(
        label=_("Conference"), queryset=None, required=False, empty_label=_("all conferences")
    )

    def __init__(self, *args, **kwargs):
        from .models import DecisionStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all"))] + list(DecisionStatus.choices)
        conference = self.fields["conference"]
        conference.queryset = published_conferences()
        offer_compiled(conference, "events.filter_conferences", published_conferences)
        # what str(conference) gives: its event's title
        conference.label_from_instance = content_languages.related_text(Event, "title", EVENT_TITLE)


# The title of a conference's event in each language, as the conference's own values (`published_conferences`)
EVENT_TITLE = content_languages.related_versions("event", "title")


def published_conferences():
    """The decision filter's conferences with their event's title (EVENT_TITLE) only: not the whole event, room
    and location of each, nor an instance of the event beside each conference."""
    from .models import Conference

    return Conference.objects.filter(event__is_published=True).only("id").annotate(**EVENT_TITLE)


class EventForm(ContentFormMixin, forms.ModelForm):
    """Leads of an initiative create and edit its events; times are entered as a date with start and end."""

    date = forms.DateField(label=_("Date"), widget=DateInput, validators=[validate_plausible])
    start = forms.TimeField(label=_("Start"), widget=TimeInput)
    end = forms.TimeField(label=_("End"), widget=TimeInput)

    class Meta:
        model = Event
        fields = [
            "initiative",
            *form_columns("title", "description"),
            "category",
            "place",
            "room",
            "address",
            "online_url",
            "accessibility_notes",
            "languages",
            "capacity",
            "registration_required",
            "max_companions",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from initiatives.models import Initiative
        from rooms.models import Room

        self.fields["initiative"].queryset = Initiative.objects.editable_by(user)
        self.fields["initiative"].required = not is_office_staff(user)
        self.fields["room"].queryset = Room.objects.active().select_related("location")
        if self.instance.pk:
            start, end = timezone.localtime(self.instance.starts_at), timezone.localtime(self.instance.ends_at)
            self.initial.update(date=start.date(), start=start.time(), end=end.time())

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("start") and data.get("end") and check_form_span(self, data):
            self.instance.starts_at = aware(data["date"], data["start"])
            self.instance.ends_at = aware(data["date"], data["end"])
        return data
