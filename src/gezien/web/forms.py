"""Forms of the desk. They check shape; the services check meaning."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gezien.accounts.models import Team, User
from gezien.contacts.models import ContactReason, Status
from gezien.contacts.vocabulary import CORRECTABLE
from gezien.customers.models import AddressForm, DetailKind, IdentityKind

_TEXTAREA = {"rows": 4}


class DayInput(forms.DateInput):
    """`<input type="date">`, filled as the browser needs it (YYYY-MM-DD): in the Dutch format the
    browser showed an empty field, so an edited form lost its day."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Bericht"), widget=forms.Textarea(attrs=_TEXTAREA), strip=False)
    status_after = forms.ChoiceField(
        label=_("Daarna"), choices=Status.choices, initial=Status.WAITING_CUSTOMER
    )
    # E-mail only (the template shows it there): addresses separated by commas, semicolons or spaces.
    cc = forms.CharField(label=_("CC"), required=False, max_length=2000)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Gespreksnotitie"), widget=forms.Textarea(attrs=_TEXTAREA), strip=False)
    status_after = forms.ChoiceField(label=_("Daarna"), choices=Status.choices, initial=Status.OPEN)


class TranscriptForm(forms.Form):
    transcript = forms.CharField(
        label=_("Transcript plakken"),
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": "[00:00-00:06] Klant: …\n[00:06-00:10] Medewerker: …"}
        ),
    )


class SignalCorrectionForm(forms.Form):
    """ "niet boos", "wel teleurgesteld": a signal on one message, and whether it is there."""

    signal = forms.ChoiceField(label=_("Signaal"), choices=list(CORRECTABLE.items()))
    value = forms.ChoiceField(label=_("Klopt"), choices=[("wel", _("wel")), ("niet", _("niet"))])
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class ReasonForm(forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Contactreden"),
        queryset=ContactReason.objects.filter(active=True),
        required=False,
        to_field_name="code",
        empty_label=_("Nog geen reden"),
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(label=_("Samenvatting (één regel)"), max_length=300, required=False)


class TransferForm(forms.Form):
    to_agent = forms.ModelChoiceField(
        label=_("Collega"),
        queryset=User.objects.filter(is_active=True).order_by("first_name", "last_name"),
        required=False,
        empty_label=_("Kies een collega"),
    )
    to_team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("Kies een team")
    )
    note = forms.CharField(
        label=_("Overdrachtsnotitie"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class IncomingCallForm(forms.Form):
    number = forms.CharField(label=_("Nummer van de beller"), max_length=40, required=False)
    call = forms.IntegerField(widget=forms.HiddenInput, required=False)  # a ringing call (its pop-up)
    note = forms.CharField(
        label=_("Eerste notitie"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CustomerForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    phone = forms.CharField(label=_("Telefoon"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=8, required=False)
    house_number = forms.CharField(label=_("Huisnummer"), max_length=6, required=False)
    suffix = forms.CharField(label=_("Toevoeging"), max_length=10, required=False)

    def identities(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        items = []
        if data.get("phone"):
            items.append((IdentityKind.PHONE.value, data["phone"]))
        if data.get("email"):
            items.append((IdentityKind.EMAIL.value, data["email"]))
        if data.get("postcode") or data.get("house_number"):
            items.append(
                (
                    IdentityKind.ADDRESS.value,
                    f"{data['postcode']}|{data['house_number']}|{data.get('suffix', '')}",
                )
            )
        return items


class CustomerNameForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)


class IdentityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=IdentityKind.choices)
    value = forms.CharField(
        label=_("Waarde"), max_length=320, help_text=_("Postcode + huisnummer als 1234 AB 12 of 1234 AB|12|A")
    )


class DetailForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=DetailKind.choices)
    text = forms.CharField(
        label=_("Wat onthouden we?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    register = forms.ChoiceField(
        label=_("Aanspreekvorm"), choices=[("", "—"), *AddressForm.choices], required=False
    )
    due_at = forms.DateTimeField(
        label=_("Uiterlijk (toezegging)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%d"],
    )
    done = forms.BooleanField(label=_("Nagekomen"), required=False)
