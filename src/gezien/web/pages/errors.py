"""The desk's error pages (403, 404, and the 422 page of a refused input): a title, the reason and
what to do, in the reader's language."""

from __future__ import annotations

from typing import TypedDict

from django.utils.translation import gettext as _


class ErrorPage(TypedDict):
    title: str
    reason: str
    hint: str


class InvalidPage(TypedDict):
    message: str  # why the input (a date, a period, a week) was refused


def forbidden_page(reason: str) -> ErrorPage:
    """403, with the view's reason (or the general one)."""
    return {
        "title": _("Geen toegang"),
        "reason": reason or _("Uw rol mag deze pagina niet openen."),
        "hint": _("Denkt u dat u hier wel bij zou moeten kunnen? Vraag het uw teamleider of de beheerder."),
    }


def not_found_page(reason: str) -> ErrorPage:
    """404, with the view's reason (or the general one)."""
    return {
        "title": _("Niet gevonden"),
        "reason": reason or _("Deze pagina bestaat niet (meer)."),
        "hint": _("Controleer het adres, of ga terug naar de startpagina."),
    }


def invalid_page(message: str) -> InvalidPage:
    return {"message": message}
