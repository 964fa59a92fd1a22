"""The demo's recorded calls (issue 18): a few synthetic stereo calls (espeak-ng voices, made once by
scripts/demo_recordings.py and committed as Ogg/Opus under data/recordings/) attached to closed phone
contacts of the demo about the same matter, and analysed as any recording is. Idempotent: a file already
on its contact is that recording (`phone.recordings.recording_attach` keeps a file once)."""

from __future__ import annotations

from pathlib import Path

from gezien.contacts.models import Channel, Contact, Status
from gezien.phone.models import Recording, RecordingSource
from gezien.phone.recordings import recording_attach

FOLDER = Path(__file__).resolve().parent / "data" / "recordings"
# Each call, and the reason of the contact it is attached to.
CALLS = {"factuur": "factuur_hoger", "storing": "storing_internet", "levering": "levering_vertraagd"}


def _contact_for(reason: str) -> Contact | None:
    """The newest closed, recognised phone contact about `reason` with an agent (the same every load)."""
    return (
        Contact.objects.filter(
            channel=Channel.PHONE,
            status=Status.CLOSED,
            reason__code=reason,
            customer__isnull=False,
            assigned_agent__isnull=False,
        )
        .select_related("assigned_agent")
        .order_by("-opened_at", "-pk")
        .first()
    )


def load_recordings_demo() -> int:
    """Attach the demo's calls that are not attached yet. Returns how many were attached now."""
    made = 0
    for name, reason in CALLS.items():
        path = FOLDER / f"{name}.opus"
        contact = _contact_for(reason)
        if contact is None or not path.is_file():
            continue
        agent = contact.assigned_agent
        with path.open("rb") as data:
            recording = recording_attach(
                contact=contact,
                data=data,
                filename=f"gesprek-{name}.opus",
                source=RecordingSource.ADAPTER,
                by=agent,
            )
        made += int(recording.created_now)
    return made


def recordings_demo_count() -> int:
    return Recording.objects.count()
