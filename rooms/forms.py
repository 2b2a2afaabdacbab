from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.counter import CounterPerson, clean_phone
from quartier.dates import (
    DateInput,
    TimeInput,
    aware,
    check_clock_change,
    check_form_span,
    validate_plausible,
)
from quartier.forms import offer_compiled, offer_loaded

from .models import BookingSeries, Equipment


class RoomSearchForm(forms.Form):
    """The room finder: "a free room for 12 people on Tuesday 18:00–20:00 with a kitchen, step-free"."""

    date = forms.DateField(label=_("Date"), required=False, widget=DateInput, validators=[validate_plausible])
    start = forms.TimeField(label=_("From"), required=False, widget=TimeInput)
    end = forms.TimeField(label=_("Until"), required=False, widget=TimeInput)
    attendees = forms.IntegerField(label=_("People"), required=False, min_value=1, max_value=10000)
    equipment = forms.ModelMultipleChoiceField(
        label=_("Equipment"),
        required=False,
        queryset=Equipment.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
    )
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_compiled(self.fields["equipment"], "rooms.filter_equipment", Equipment.objects.all)

    def clean(self):
        data = super().clean()
        start, end, day = data.get("start"), data.get("end"), data.get("date")
        if (start or end) and not day:
            self.add_error("date", _("Please choose a date for the time."))
        check_form_span(self, data)
        if bool(start) != bool(end) and day:
            self.add_error("end" if start else "start", _("Please give both a start and an end time."))
        check_clock_change(self, data)
        return data

    def span(self):
        """The wanted time span as aware datetimes, or None."""
        data = getattr(self, "cleaned_data", {})
        if not self.errors and data.get("date") and data.get("start") and data.get("end"):
            return aware(data["date"], data["start"]), aware(data["date"], data["end"])
        return None


class BookingForm(forms.Form):
    """A booking request: time, purpose, the responsible adult, and how it repeats."""

    REPEAT_NONE = "none"

    date = forms.DateField(label=_("Date"), widget=DateInput, validators=[validate_plausible])
    start = forms.TimeField(label=_("Start"), widget=TimeInput)
    end = forms.TimeField(label=_("End"), widget=TimeInput)
    initiative = forms.ModelChoiceField(
        label=_("On behalf of my initiative"),
        queryset=None,
        required=False,
        empty_label=_("no, for myself"),
        help_text=_("Non-profit initiatives use the rooms free of charge."),
    )
    title = forms.CharField(
        label=_("Purpose"),
        max_length=120,
        help_text=_("For example: meeting of the tenants' initiative, birthday party."),
    )
    attendees = forms.IntegerField(label=_("Expected attendees"), min_value=1, max_value=10000)
    responsible_name = forms.CharField(
        label=_("Responsible adult (18 or older)"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    responsible_phone = forms.CharField(
        label=_("Phone of the responsible adult"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    responsible_email = forms.EmailField(
        label=_("E-mail of the responsible adult"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    show_title = forms.BooleanField(
        label=_("Show the purpose in the public calendar"),
        required=False,
        help_text=_("Otherwise the calendar only shows “booked”."),
    )
    private_use = forms.BooleanField(
        label=_("Private use (for example a family party)"),
        required=False,
        help_text=_("Private use costs a fee and a deposit. Non-profit groups and initiatives use rooms free."),
    )
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        initial=REPEAT_NONE,
        widget=forms.RadioSelect,
        choices=[(REPEAT_NONE, _("once")), *BookingSeries.Frequency.choices],
    )
    until = forms.DateField(
        label=_("Repeat until (date)"), required=False, widget=DateInput, validators=[validate_plausible]
    )
    count = forms.IntegerField(label=_("or number of dates"), required=False, min_value=2, max_value=52)
    accept_rules = forms.BooleanField(
        label=_("I have read the house rules and accept them. I am responsible for the room during the booking."),
        error_messages={"required": _("Please accept the house rules.")},
    )

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Please describe the purpose."))
        return title

    def clean_responsible_name(self):
        name = " ".join(self.cleaned_data["responsible_name"].split())
        if not name:
            raise forms.ValidationError(_("Please name the responsible adult."))
        return name

    def clean_responsible_phone(self):
        return clean_phone(self.cleaned_data["responsible_phone"])

    def clean(self):
        data = super().clean()
        if data.get("initiative") and data.get("private_use"):
            self.add_error("private_use", _("A booking for an initiative is not private use."))
        day, start, end = data.get("date"), data.get("start"), data.get("end")
        check_clock_change(self, data)
        if day and start and end and check_form_span(self, data):
            if "start" not in self.errors and "end" not in self.errors:
                data["starts_at"], data["ends_at"] = aware(day, start), aware(day, end)
        if data.get("repeat") not in (None, self.REPEAT_NONE):
            if not data.get("until") and not data.get("count"):
                self.add_error("until", _("Please give an end date or a number of dates for the series."))
            elif data.get("until") and day and data["until"] <= day:
                self.add_error("until", _("The series must end after the first date."))
            elif data.get("until") and day and data["until"] > day + timedelta(days=366):
                self.add_error("until", _("A series can run for at most one year."))
        return data

    @property
    def is_series(self) -> bool:
        return self.cleaned_data.get("repeat", self.REPEAT_NONE) != self.REPEAT_NONE

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        initiatives = None
        if user is not None and user.is_authenticated:
            from initiatives.models import Initiative  # at form creation, not import time

            initiatives = Initiative.objects.may_book_for(user).order_by("name")
        offered = list(initiatives.only("pk", "name")) if initiatives is not None else []
        if offered:  # one query: whether to ask, and the options
            self.fields["initiative"].queryset = initiatives
            offer_loaded(self.fields["initiative"], offered)
        else:
            del self.fields["initiative"]

    def costs(self, room, starts_at=None, ends_at=None):
        """(fee, deposit) this booking would cost, as the booking service charges them; None if free.
        Private use and businesses pay, non-profit initiatives don't."""
        data = self.cleaned_data
        if room.is_free_of_charge_for(room.is_private_use(data.get("private_use"), data.get("initiative"))):
            return None
        _private_use, fee, deposit = room.charges(
            starts_at or data["starts_at"],
            ends_at or data["ends_at"],
            private_use=data.get("private_use"),
            initiative=data.get("initiative"),
        )
        return fee, deposit

    def booking_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "title",
                "attendees",
                "responsible_name",
                "responsible_phone",
                "responsible_email",
                "show_title",
                "private_use",
            )
        }
        fields["initiative"] = data.get("initiative")
        return fields


class CounterBookingForm(BookingForm):
    """Office staff book at the counter for someone without an account: the booking form's fields and checks (a
    series too), the room chosen here, an e-mail address optional; the person accepts the house rules on paper."""

    room = forms.ModelChoiceField(label=_("Room"), queryset=None, empty_label=None)
    field_order = ["room", "date", "start", "end", "title", "attendees", "responsible_name", "responsible_phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # no user: no initiative to book for
        from .models import Room

        self.fields["room"].queryset = Room.objects.active().select_related("location")
        del self.fields["accept_rules"]
        self.fields["repeat"].required = False  # a single date unless a series is chosen
        self.fields["responsible_name"].label = _("Name of the person")
        self.fields["responsible_phone"].label = _("Phone of the person")
        email = self.fields["responsible_email"]
        email.label, email.required = _("E-mail address (optional)"), False
        email.help_text = _(
            "With an address, the confirmation goes by mail, and the booking appears in the person's account once "
            "she signs up with it. Without one, print the confirmation."
        )

    def clean_repeat(self):
        return self.cleaned_data.get("repeat") or self.REPEAT_NONE

    def counter_person(self):
        data = self.cleaned_data
        return CounterPerson(data["responsible_name"], data["responsible_phone"], data.get("responsible_email", ""))


class CounterDayForm(forms.Form):
    """The counter's day list: one day's bookings of every room."""

    datum = forms.DateField(label=_("Day"), required=False, widget=DateInput, validators=[validate_plausible])


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the booker)"), widget=forms.Textarea(attrs={"rows": 3}))


class WaitlistForm(forms.Form):
    """A wish for a taken time: the time (from the week view's link), the purpose and who is responsible."""

    date = forms.DateField(label=_("Date"), widget=DateInput, validators=[validate_plausible])
    start = forms.TimeField(label=_("Start"), widget=TimeInput)
    end = forms.TimeField(label=_("End"), widget=TimeInput)
    title = forms.CharField(label=_("Purpose"), max_length=120)
    attendees = forms.IntegerField(label=_("Expected attendees"), min_value=1, max_value=10000)
    responsible_name = forms.CharField(label=_("Responsible adult (18 or older)"), max_length=120)
    responsible_phone = forms.CharField(
        label=_("Phone of the responsible adult"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    private_use = forms.BooleanField(label=_("private use (fee applies)"), required=False)

    def clean(self):
        data = super().clean()
        check_form_span(self, data)
        check_clock_change(self, data)
        return data

    def span(self):
        data = self.cleaned_data
        return aware(data["date"], data["start"]), aware(data["date"], data["end"])
