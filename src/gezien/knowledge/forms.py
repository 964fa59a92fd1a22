"""Desk forms of the knowledge base. They check shape; the services check meaning."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gezien.accounts.models import User
from gezien.contacts.models import ContactReason
from gezien.knowledge.models import Article


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    body = forms.CharField(
        label=_("Uitleg voor de medewerker"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20_000
    )
    customer_text_u = forms.CharField(
        label=_("Tekst voor de klant (u)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        required=False,
    )
    customer_text_je = forms.CharField(
        label=_("Tekst voor de klant (je)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        required=False,
    )
    tags = forms.CharField(
        label=_("Labels"), max_length=1000, required=False, help_text=_("Gescheiden door komma's")
    )
    reasons = forms.ModelMultipleChoiceField(
        label=_("Contactredenen"),
        queryset=ContactReason.objects.filter(active=True).order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    owner = forms.ModelChoiceField(
        label=_("Eigenaar"),
        queryset=User.objects.filter(is_active=True).order_by("first_name", "last_name"),
        required=False,
        empty_label=_("Geen eigenaar"),
    )
    reviewed = forms.BooleanField(label=_("Inhoud nagekeken: klopt nog"), required=False)

    @classmethod
    def for_article(cls, article: Article) -> ArticleForm:
        return cls(
            initial={
                "title": article.title,
                "body": article.body,
                "customer_text_u": article.customer_text_u,
                "customer_text_je": article.customer_text_je,
                "tags": ", ".join(t.name for t in article.tags.all()),
                "reasons": list(article.reasons.all()),
                "owner": article.owner,
            }
        )


class FeedbackForm(forms.Form):
    contact = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    helped = forms.TypedChoiceField(choices=[("1", "ja"), ("0", "nee")], coerce=lambda v: v == "1")
    address = forms.ChoiceField(choices=[("u", "u"), ("je", "je")], required=False)
