"""Known figures for the CX dashboard and API tests: contacts whose facts are written by hand (no
analysis), then rolled up the way the product does it."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from gezien.contacts.models import Contact
from gezien.contacts.services import contact_open
from gezien.insights.facts import facts_rebuild_all
from gezien.insights.models import ContactFact
from gezien.insights.rollups import rollups_rebuild_all

AMS = ZoneInfo("Europe/Amsterdam")


def seed(rows: list[dict[str, Any]]) -> list[int]:
    """One contact per row: day, channel, team, agent, reason, and the fact columns to force
    (emotion_start, emotion_end, nps, csat, ...). Returns the contact ids."""
    ids = []
    for row in rows:
        at = datetime.combine(row.get("day", date(2026, 11, 10)), time(10, 0), tzinfo=AMS)
        contact = contact_open(channel=row.get("channel", "chat"), text="Een vraag.", at=at).contact
        Contact.objects.filter(pk=contact.pk).update(
            team=row.get("team"), assigned_agent=row.get("agent"), reason=row.get("reason")
        )
        ids.append(contact.pk)
    facts_rebuild_all()
    for contact_id, row in zip(ids, rows, strict=True):
        columns = {k: v for k, v in row.items() if k not in ("day", "channel", "team", "agent", "reason")}
        if "emotion_start" in columns and "emotion_end" in columns:
            columns.setdefault("emotion_gain", columns["emotion_start"] - columns["emotion_end"])
            columns.setdefault("emotion_peak", max(columns["emotion_start"], columns["emotion_end"]))
            columns.setdefault("customer_messages", 2)
        ContactFact.objects.filter(pk=contact_id).update(**columns)
    rollups_rebuild_all()
    return ids
