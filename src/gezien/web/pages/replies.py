"""The standaardantwoorden pages: the list with search, the form to write or edit one, and the picker
beside a contact's reply box."""

from __future__ import annotations

from typing import TypedDict

from django.forms import Form

from gezien.accounts.models import User
from gezien.contacts.models import Contact
from gezien.replies import selectors
from gezien.replies.models import Macro
from gezien.replies.selectors import RenderedMacro
from gezien.replies.wording import PLACEHOLDERS

LIST_LIMIT = 200


class ListPage(TypedDict):
    query: str
    archived: bool
    macros: list[Macro]
    editable: set[int]  # the ids of the macros the reader may change
    placeholders: tuple[str, ...]


class FormPage(TypedDict):
    form: Form
    macro: Macro | None  # None for a new one
    placeholders: tuple[str, ...]


class PickerPart(TypedDict):
    contact: Contact
    macros: list[RenderedMacro]
    macro_query: str


def shown_query(query: str) -> str:
    """A search as the page shows it back: one space between words, no NUL, at most 200 characters."""
    return " ".join(query.replace("\x00", " ").split())[:200]


def list_page(user: User, query: str, *, archived: bool) -> ListPage:
    """The macros `user` may see matching `query` (200 at most), and which of them they may change."""
    macros = list(selectors.macros_for(user, query=query, archived=archived)[:LIST_LIMIT])
    return {
        "query": shown_query(query),
        "archived": archived,
        "macros": macros,
        "editable": {m.pk for m in macros if selectors.can_edit(m, user)},
        "placeholders": PLACEHOLDERS,
    }


def form_page(form: Form, macro: Macro | None) -> FormPage:
    return {"form": form, "macro": macro, "placeholders": PLACEHOLDERS}


def picker_part(contact: Contact, user: User, query: str) -> PickerPart:
    """The macros for `contact` (its thread loaded), worded for its customer, searched by `query`."""
    return {
        "contact": contact,
        "macros": selectors.rendered_macros_for_contact(contact, user, query=query),
        "macro_query": shown_query(query),
    }
