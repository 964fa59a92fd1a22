"""Standaardantwoorden for the demo organisation (Voorbeeld Telecom): shared ones in a u and a je
variant, and a few agents' own. Written to sound like a person: listen first, say what happens next,
no "wij betreuren het ten zeerste". Words in [square brackets] are for the agent to fill in. The replies
are data: `data/replies.toml`."""

from __future__ import annotations

from gezien.accounts.models import User
from gezien.demo import content
from gezien.demo.content import DemoMacro
from gezien.replies.models import Macro
from gezien.replies.services import macro_create

SHARED: tuple[DemoMacro, ...] = content.replies().shared
PERSONAL: dict[str, tuple[DemoMacro, ...]] = content.replies().personal


def load_demo_macros(users: dict[str, User]) -> int:
    """The shared macros (made by the team lead) and the agents' own; what is already there is kept."""
    made = 0
    lead = users.get("teamlead")
    if lead is not None:
        made += _load(lead, SHARED, shared=True)
    for username, macros in PERSONAL.items():
        if username in users:
            made += _load(users[username], macros, shared=False)
    return made


def _load(actor: User, macros: tuple[DemoMacro, ...], *, shared: bool) -> int:
    existing = Macro.objects.filter(owner=None if shared else actor)
    have = set(existing.values_list("title", flat=True))
    for item in macros:
        if item.title not in have:
            macro_create(
                actor=actor,
                title=item.title,
                body_u=item.body_u,
                body_je=item.body_je,
                tags=item.tags,
                reasons=item.reasons,
                shared=shared,
            )
    return len([item for item in macros if item.title not in have])
