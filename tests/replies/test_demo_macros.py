"""The demo's standaardantwoorden: shared ones in both variants, some agents' own, loaded once."""

from __future__ import annotations

from collections.abc import Callable

from gezien.accounts.models import User
from gezien.contacts.models import Contact, ContactReason
from gezien.customers.models import Customer
from gezien.demo.generator import REASONS
from gezien.demo.replies import PERSONAL, SHARED, load_demo_macros
from gezien.replies.models import Macro
from gezien.replies.selectors import render_for_contact


def _reasons() -> None:
    made: dict[str, ContactReason] = {}
    for plan in REASONS:
        made[plan.code] = ContactReason.objects.create(
            code=plan.code, name=plan.name, parent=made.get(plan.parent or "")
        )


def test_the_demo_macros_load_once_in_both_variants(
    make_user: Callable[..., User], formal_contact: Contact, informal_contact: Contact, customer: Customer
) -> None:
    _reasons()
    users = {name: make_user(name, role) for name, role in [("teamlead", "teamlead"), ("agent", "agent"),
                                                            ("lotte.brouwer", "agent")]}  # fmt: skip
    made = load_demo_macros(users)
    assert made == len(SHARED) + len(PERSONAL["agent"]) + len(PERSONAL["lotte.brouwer"])
    assert load_demo_macros(users) == 0  # a second run keeps what is there
    shared = list(Macro.objects.filter(owner=None))
    assert 18 <= len(shared) <= 25
    assert all(m.body_u and m.body_je for m in shared)
    assert Macro.objects.filter(owner__username="lotte.brouwer", body_u="").count() == 1
    condolence = Macro.objects.get(title__startswith="Condoleance")
    assert {r.code for r in condolence.reasons.all()} == {"abonnement_opzeggen", "abonnement_overzetten"}
    delivery = Macro.objects.get(title="Bevestiging levering")
    agent = users["agent"]
    formal = render_for_contact(delivery, formal_contact, agent)
    assert formal.text.startswith("Beste Annie Jansen,\n\nGoed nieuws: uw bestelling VT1514680 is onderweg.")
    informal = render_for_contact(delivery, informal_contact, agent)
    assert informal.text.startswith("Hoi Samira,\n\nGoed nieuws: je bestelling VT2345678 is onderweg!")
    assert informal.text.endswith("Groetjes,\nAgent\nVoorbeeld Telecom")
