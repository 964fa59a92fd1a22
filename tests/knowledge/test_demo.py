"""The demo kennisbank of Voorbeeld Telecom: written through the services, with stale articles on purpose."""

from collections.abc import Callable

from gezien.accounts.models import User
from gezien.contacts.models import Contact, ContactReason
from gezien.demo.generator import REASONS
from gezien.demo.knowledge import ARTICLES, load_knowledge
from gezien.knowledge.models import Article
from gezien.knowledge.selectors import articles_for_contact


def test_the_demo_articles(make_user: Callable[..., User], make_contact: Callable[..., Contact]) -> None:
    reasons: dict[str, ContactReason] = {}
    for plan in REASONS:
        reasons[plan.code] = ContactReason.objects.create(
            code=plan.code, name=plan.name, parent=reasons.get(plan.parent or "")
        )
    users = {name: make_user(name, role) for name, role in (("agent", "agent"), ("teamlead", "teamlead"))}
    assert load_knowledge(users=users, reasons=reasons) == len(ARTICLES) + 1
    live = Article.objects.filter(archived=False)
    assert live.count() == len(ARTICLES) >= 40
    assert Article.objects.filter(archived=True).count() == 1
    assert all(a.reasons.exists() and a.customer_text_u and a.customer_text_je for a in live)
    stale = [a.title for a in live if a.is_stale]
    assert 4 <= len(stale) <= 12, stale

    widow = make_contact(
        "Goedemiddag. Ik bel om het abonnement van mijn man op te zeggen. Hij is vorige week overleden.",
        reason=reasons["abonnement_opzeggen"],
    )
    assert articles_for_contact(widow)[0].article.title == "Opzeggen na overlijden: zonder onnodige controles"
    modem = make_contact("Mijn internet doet het niet, het lampje op het modem knippert oranje.")
    assert articles_for_contact(modem)[0].article.title == "Lampje op het modem knippert oranje of rood"
