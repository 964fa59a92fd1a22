"""The knowledge base (kennisbank): articles agents and team leads write and keep current.

The full-text index is not a model field: on SQLite it is an FTS5 table (`knowledge_article_fts`), on
PostgreSQL a `tsvector` column with a GIN index, both created by migration 0002 for their database
only and written by `gezien.knowledge.search` from the services (see docs/knowledge.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gezien.contacts.models import Contact, ContactReason


class Tag(models.Model):
    """A short label ("modem", "glasvezel"), lower-case, shared by articles."""

    name = models.CharField(_("naam"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("label")
        verbose_name_plural = _("labels")

    def __str__(self) -> str:
        return self.name


def review_cutoff(now: datetime | None = None) -> datetime:
    """Articles last reviewed before this moment are overdue for review (`GEZIEN_KB_REVIEW_DAYS`)."""
    return (now or timezone.now()) - timedelta(days=settings.GEZIEN_KB_REVIEW_DAYS)


class Article(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("uitleg voor de medewerker"))
    # What the agent may send or say to the customer, in both registers (either may be empty).
    customer_text_u = models.TextField(_("tekst voor de klant (u)"), blank=True)
    customer_text_je = models.TextField(_("tekst voor de klant (je)"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("labels"))
    reasons = models.ManyToManyField(
        ContactReason, blank=True, related_name="articles", verbose_name=_("contactredenen")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("eigenaar"),
    )
    last_reviewed_at = models.DateTimeField(_("laatst nagekeken"), null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived = models.BooleanField(_("gearchiveerd"), default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("artikel")
        verbose_name_plural = _("artikelen")
        permissions = [("archive_article", "Archive and restore knowledge articles")]
        indexes = [
            models.Index(fields=["archived", "last_reviewed_at"], name="article_review"),
            models.Index(fields=["archived", "updated_at"], name="article_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(archived=True, archived_at__isnull=False)
                | Q(archived=False, archived_at__isnull=True),
                name="article_archived_iff_archived_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_stale(self) -> bool:
        """Nobody has reviewed it for `GEZIEN_KB_REVIEW_DAYS` days ("al lang niet nagekeken")."""
        return self.last_reviewed_at is None or self.last_reviewed_at < review_cutoff()

    def customer_text(self, address: str) -> str:
        """The customer-facing text for `address` ("u" or "je"); the other form when that one is empty."""
        first, second = (
            (self.customer_text_je, self.customer_text_u)
            if address == "je"
            else (self.customer_text_u, self.customer_text_je)
        )
        return first or second


class ArticleFeedback(models.Model):
    """An agent says whether an article helped with a contact; one verdict per (article, contact, person)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    helped = models.BooleanField(_("heeft geholpen"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("artikelfeedback")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "contact", "user"], name="article_feedback_once_per_person"
            ),
        ]
        indexes = [models.Index(fields=["article", "helped"], name="article_feedback_helped")]

    def __str__(self) -> str:
        return f"{self.article_id} {'+' if self.helped else '-'} {self.contact_id}"


class ArticleEmbedding(models.Model):
    """The article's sentence embedding (float32, L2-normalised) when the learned layer is installed."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    vector = models.BinaryField()
    model = models.CharField(max_length=60)
    text_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article"]
        # The per-process matrix checks count and newest updated_at on every search: index-only.
        indexes = [models.Index(fields=["updated_at"], name="article_embedding_version")]

    def __str__(self) -> str:
        return f"{self.article_id} ({self.model})"
