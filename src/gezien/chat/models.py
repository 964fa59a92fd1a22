"""Chat as a channel: the widgets websites embed, and each visitor's chat session (its token, who they
said or proved they are, and how far each side has read)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.accounts.models import Team
from gezien.contacts.models import Contact
from gezien.mail.models import Mailbox

LANGUAGES = ("nl", "en")


class ChatWidget(models.Model):
    """A chat a website embeds with one tag: `<script src="DESK/widget/chat.js" data-gezien-widget="KEY">`.

    `key` is public (it is in the website's HTML); `secret` signs the website's identified customers
    (HMAC-SHA256, `gezien.chat.identity`): shown once when made, or read from the environment
    (`GEZIEN_CHAT_SECRET_<KEY>`) so that it never has to be stored."""

    key = models.CharField(_("sleutel"), max_length=40, unique=True)
    secret = models.CharField(max_length=128, blank=True)  # "" when the environment holds it
    name = models.CharField(_("naam"), max_length=100)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="chat_widgets",
        verbose_name=_("team"),
    )  # fmt: skip
    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="chat_widgets",
        verbose_name=_("mailbox voor transcripten"),
    )  # fmt: skip
    allowed_origins = models.JSONField(default=list, blank=True)  # ["https://www.example.nl", ...]
    greeting = models.CharField(_("begroeting"), max_length=300, blank=True)
    greeting_en = models.CharField(_("begroeting (Engels)"), max_length=300, blank=True)
    languages = models.JSONField(default=list)  # a subset of LANGUAGES, the first the default
    session_rate = models.PositiveIntegerField(_("berichten per minuut per sessie"), default=20)
    address_rate = models.PositiveIntegerField(_("verzoeken per minuut per adres"), default=120)
    max_message_chars = models.PositiveIntegerField(_("maximale berichtlengte (tekens)"), default=4000)
    max_file_bytes = models.PositiveBigIntegerField(_("maximale bestandsgrootte (bytes)"), default=10_000_000)
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("chatwidget")
        verbose_name_plural = _("chatwidgets")

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class ChatSession(models.Model):
    """One visitor's conversation through a widget. The token is given once and kept only as its
    SHA-256; the contact exists from the first message on."""

    widget = models.ForeignKey(ChatWidget, on_delete=models.CASCADE, related_name="sessions")
    token_hash = models.CharField(max_length=64, unique=True)
    contact = models.OneToOneField(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="chat_session"
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.CharField(
        max_length=320, blank=True
    )  # as given (normalised); verified only with `verified`
    language = models.CharField(max_length=2, default="nl")
    page_url = models.CharField(max_length=1000, blank=True)
    # A signed identity (the website vouched for it): kind "chat" (its customer id) or "email".
    verified = models.BooleanField(default=False)
    identity_kind = models.CharField(max_length=20, blank=True)
    identity_value = models.CharField(max_length=320, blank=True)
    customer_read_up_to = models.BigIntegerField(default=0)
    agent_read_up_to = models.BigIntegerField(default=0)
    # What the widget was last told of the contact (so a change is published once).
    told_status = models.CharField(max_length=20, blank=True)
    told_agent_id = models.BigIntegerField(null=True, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("chatsessie")
        constraints = [
            models.CheckConstraint(condition=Q(language__in=LANGUAGES), name="chat_session_language_valid"),
        ]

    def __str__(self) -> str:
        return f"chat session {self.pk} of widget {self.widget_id}"
