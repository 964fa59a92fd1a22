"""Writes for macros. Every function is atomic and checks who may do it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from gezien.contacts.models import ContactReason
from gezien.core.errors import Forbidden, Invalid
from gezien.replies.models import Macro
from gezien.replies.selectors import can_edit, can_share
from gezien.replies.wording import PLACEHOLDERS, unknown_placeholders

if TYPE_CHECKING:
    from gezien.accounts.models import User

TITLE_CHARS = 120
BODY_CHARS = 10_000
TAG_CHARS = 40
MAX_TAGS = 12
MAX_REASONS = 30


def _no_control(text: str, field: str) -> None:
    if "\x00" in text:
        raise Invalid(_("De tekst bevat een ongeldig teken (NUL)."), field=field)


def _clean_title(title: Any) -> str:
    if not isinstance(title, str):
        raise Invalid(_("Een titel is tekst."), field="title")
    cleaned = " ".join(title.split())
    if not cleaned:
        raise Invalid(_("Geef het standaardantwoord een titel."), field="title")
    if len(cleaned) > TITLE_CHARS:
        raise Invalid(_("De titel is te lang (maximaal %(n)d tekens).") % {"n": TITLE_CHARS}, field="title")
    if any(ord(ch) < 32 for ch in cleaned):
        raise Invalid(_("De titel bevat onzichtbare tekens."), field="title")
    return cleaned


def _clean_body(body: Any, field: str) -> str:
    if not isinstance(body, str):
        raise Invalid(_("De tekst moet tekst zijn."), field=field)
    _no_control(body, field)
    cleaned = body.strip()
    if len(cleaned) > BODY_CHARS:
        raise Invalid(
            _("Deze tekst is te lang: %(n)d tekens, maximaal %(max)d.")
            % {"n": len(cleaned), "max": BODY_CHARS},
            field=field,
        )
    unknown = unknown_placeholders(cleaned)
    if unknown:
        raise Invalid(
            _("Onbekende plaatshouder {%(name)s}. Gebruik %(known)s.")
            % {"name": unknown[0], "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)},
            field=field,
        )
    return cleaned


def _clean_tags(tags: Any) -> list[str]:
    if isinstance(tags, str) or not isinstance(tags, Iterable):
        raise Invalid(_("Labels zijn een lijst."), field="tags")
    cleaned: dict[str, None] = {}
    for tag in tags:
        if not isinstance(tag, str):
            raise Invalid(_("Een label is tekst."), field="tags")
        _no_control(tag, "tags")
        word = " ".join(tag.split()).casefold()
        if not word:
            continue
        if len(word) > TAG_CHARS or any(ord(ch) < 32 for ch in word):
            raise Invalid(_("Een label is hooguit %(n)d zichtbare tekens.") % {"n": TAG_CHARS}, field="tags")
        cleaned[word] = None
    if len(cleaned) > MAX_TAGS:
        raise Invalid(_("Hooguit %(n)d labels.") % {"n": MAX_TAGS}, field="tags")
    return list(cleaned)


def _reasons(codes: Iterable[str]) -> list[ContactReason]:
    wanted = list(dict.fromkeys(codes))
    if len(wanted) > MAX_REASONS:
        raise Invalid(_("Hooguit %(n)d contactredenen.") % {"n": MAX_REASONS}, field="reasons")
    found = {r.code: r for r in ContactReason.objects.filter(code__in=wanted, active=True)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise Invalid(_("Onbekende contactreden: %(r)s") % {"r": str(unknown[0])[:60]}, field="reasons")
    return [found[code] for code in wanted]


def _search_text(macro: Macro) -> str:
    return "\n".join([macro.title, " ".join(macro.tags), macro.body_u, macro.body_je]).casefold()


def _check_texts(body_u: str, body_je: str) -> None:
    if not body_u and not body_je:
        raise Invalid(_("Schrijf minstens één tekst: met u of met je."), field="body_u")


@transaction.atomic
def macro_create(
    *,
    actor: User,
    title: str,
    body_u: str = "",
    body_je: str = "",
    tags: Iterable[str] = (),
    reasons: Iterable[str] = (),
    shared: bool = False,
) -> Macro:
    """A new macro: the actor's own, or (`shared`, team leads and up) one for everyone."""
    if not actor.has_perm("replies.add_macro"):
        raise Forbidden(_("Uw rol mag geen standaardantwoorden maken."))
    if shared and not can_share(actor):
        raise Forbidden(_("Alleen teamleiders en hoger maken gedeelde standaardantwoorden."), field="shared")
    macro = Macro(
        title=_clean_title(title),
        body_u=_clean_body(body_u, "body_u"),
        body_je=_clean_body(body_je, "body_je"),
        tags=_clean_tags(tags),
        owner=None if shared else actor,
        created_by=actor,
        updated_by=actor,
    )
    _check_texts(macro.body_u, macro.body_je)
    linked = _reasons(reasons)
    macro.search_text = _search_text(macro)
    macro.save()
    macro.reasons.set(linked)
    return macro


def _require_edit(macro: Macro, actor: User) -> None:
    if not can_edit(macro, actor):
        if macro.owner_id is None:
            raise Forbidden(_("Alleen teamleiders en hoger wijzigen gedeelde standaardantwoorden."))
        raise Forbidden(_("Dit standaardantwoord is van een collega; maak er zelf een."))


@transaction.atomic
def macro_update(
    *,
    macro: Macro,
    actor: User,
    title: str | None = None,
    body_u: str | None = None,
    body_je: str | None = None,
    tags: Iterable[str] | None = None,
    reasons: Iterable[str] | None = None,
    shared: bool | None = None,
) -> Macro:
    """Change what is given; a macro can be made shared (or taken back as one's own) by team leads."""
    _require_edit(macro, actor)
    if title is not None:
        macro.title = _clean_title(title)
    if body_u is not None:
        macro.body_u = _clean_body(body_u, "body_u")
    if body_je is not None:
        macro.body_je = _clean_body(body_je, "body_je")
    _check_texts(macro.body_u, macro.body_je)
    if tags is not None:
        macro.tags = _clean_tags(tags)
    if shared is not None and shared != macro.shared:
        if not can_share(actor):
            raise Forbidden(_("Alleen teamleiders en hoger delen standaardantwoorden."), field="shared")
        macro.owner = None if shared else actor
    linked = _reasons(reasons) if reasons is not None else None
    macro.updated_by = actor
    macro.search_text = _search_text(macro)
    macro.save(
        update_fields=[
            "title",
            "body_u",
            "body_je",
            "tags",
            "owner",
            "updated_by",
            "search_text",
            "updated_at",
        ]
    )
    if linked is not None:
        macro.reasons.set(linked)
    return macro


@transaction.atomic
def macro_archive(*, macro: Macro, actor: User, archived: bool = True) -> Macro:
    """Put a macro away (it leaves every list and picker) or, with `archived=False`, bring it back."""
    _require_edit(macro, actor)
    macro.archived = archived
    macro.updated_by = actor
    macro.save(update_fields=["archived", "updated_by", "updated_at"])
    return macro
