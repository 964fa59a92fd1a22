"""The draft check's fragment on the contact page, asked by htmx as the agent types."""

from __future__ import annotations

from typing import TypedDict

from gezien.accounts.models import User
from gezien.assist import selectors
from gezien.assist.draft import DraftCheck


class DraftCheckPart(TypedDict):
    check: DraftCheck | None
    error: str  # why the draft could not be checked ("" when it was)


def draft_check_part(contact_id: int, user: User, text: str) -> DraftCheckPart:
    """What the draft check says about `text` (nothing for an empty draft). Raises Contact.DoesNotExist."""
    check = selectors.draft_check_cached(contact_id, user, text) if text.strip() else None
    return {"check": check, "error": ""}


def draft_refused_part(error: str) -> DraftCheckPart:
    return {"check": None, "error": error}
