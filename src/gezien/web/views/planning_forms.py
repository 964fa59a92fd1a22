"""The forms of the staffing plan's desk pages (web.views.planning): edits of the forecast, shifts, the
service-level targets and CSV uploads. They check shape; the planning services check meaning."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.accounts.models import User
from gezien.contacts.models import Channel
from gezien.core.errors import Invalid
from gezien.core.period import date_in_range
from gezien.planning.models import AdjustmentKind
from gezien.web.forms import DayInput

MAX_UPLOAD = 2 * 1024 * 1024


class DayField(forms.DateField):
    """A day the desk plans for: within the years the API takes too (a form error, not a crash further on)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            try:
                date_in_range(value, "day")
            except Invalid as error:
                raise forms.ValidationError(error.message) from None


class AdjustmentForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=gettext_lazy("Soort"), choices=AdjustmentKind.choices)
    day = DayField(label=gettext_lazy("Vanaf dag"), widget=DayInput())
    start_time = forms.TimeField(
        label=gettext_lazy("Vanaf"), widget=forms.TimeInput(attrs={"type": "time", "step": 900})
    )
    end_day = DayField(label=gettext_lazy("Tot en met dag"), required=False, widget=DayInput())
    end_time = forms.TimeField(
        label=gettext_lazy("Tot"), widget=forms.TimeInput(attrs={"type": "time", "step": 900})
    )
    value = forms.FloatField(
        label=gettext_lazy("Waarde"),
        help_text=gettext_lazy("+40 voor 40 % meer; aantal contacten; of seconden"),
    )
    note = forms.CharField(label=gettext_lazy("Toelichting"), max_length=200, required=False)


class PersonField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class ShiftForm(forms.Form):
    user = PersonField(
        label=gettext_lazy("Medewerker"),
        queryset=User.objects.none(),
        empty_label=gettext_lazy("Kies iemand"),
    )
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("Kanalen"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    day = DayField(label=gettext_lazy("Dag"), widget=DayInput())
    start_time = forms.TimeField(label=gettext_lazy("Begin"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(
        label=gettext_lazy("Einde"),
        help_text=gettext_lazy("Voor het begin: de volgende ochtend (nachtdienst)."),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    note = forms.CharField(label=gettext_lazy("Toelichting"), max_length=200, required=False)

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, PersonField)
        field.queryset = User.objects.filter(pk__in=[p.pk for p in people]).order_by(
            "first_name", "last_name", "username"
        )


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV-bestand"))


def read_upload(form: UploadForm) -> str:
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        raise Invalid(_("Het bestand is te groot (hoogstens 2 MB)."), field="file")
    try:
        return str(upload.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Invalid(_("Het bestand is geen UTF-8-tekst."), field="file") from None


class TargetForm(forms.Form):
    service_level = forms.IntegerField(label=gettext_lazy("Servicelevel (%)"), min_value=1, max_value=99)
    target_seconds = forms.IntegerField(
        label=gettext_lazy("Binnen (seconden)"), min_value=1, max_value=604_800
    )
    patience_seconds = forms.IntegerField(
        label=gettext_lazy("Geduld (seconden)"), min_value=1, max_value=86_400, required=False
    )
    max_abandon = forms.IntegerField(
        label=gettext_lazy("Hoogstens opgehangen (%)"), min_value=0, max_value=99, required=False
    )
    max_occupancy = forms.IntegerField(
        label=gettext_lazy("Hoogstens bezetting (%)"), min_value=1, max_value=100, required=False
    )
    shrinkage = forms.IntegerField(label=gettext_lazy("Uitval (%)"), min_value=0, max_value=90)
    concurrency = forms.IntegerField(label=gettext_lazy("Tegelijk per medewerker"), min_value=1, max_value=20)
