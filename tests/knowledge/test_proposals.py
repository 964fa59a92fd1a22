"""Proposals for a contact: from its words and its reason, with why, stale flags, how often an article
helped, and never an archived article."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts.models import Contact, ContactReason
from gezien.contacts.services import message_add
from gezien.core.errors import Conflict
from gezien.knowledge import services
from gezien.knowledge.models import Article, ArticleFeedback
from gezien.knowledge.selectors import articles_for_contact


def test_the_matching_article_comes_first_with_the_words_that_matched(
    make_article: Callable[..., Article], make_contact: Callable[..., Contact]
) -> None:
    make_article("Modem herstarten", "Stekker 30 seconden uit het stopcontact. Het lampje wordt wit.")
    make_article("Dubbele afschrijving", "Boek het dubbele bedrag terug.")
    contact = make_contact("Mijn internet doet het niet, het lampje op de modem knippert oranje.")
    first, *_rest = articles_for_contact(contact)
    assert first.article.title == "Modem herstarten"
    assert set(first.matched) >= {"lampje", "modem"}
    assert "woorden uit het contact" in first.why and "lampje" in first.why


def test_newest_customer_words_count_and_agent_words_do_not(
    make_article: Callable[..., Article], make_contact: Callable[..., Contact], agent: User
) -> None:
    make_article("Verhuizen", "Internet en tv mee naar het nieuwe adres.")
    make_article("Betalingsregeling", "Termijnen afspreken.")
    contact = make_contact("Goedemiddag, ik heb een vraag.")
    message_add(contact=contact, author="agent", text="Wilt u een betalingsregeling?", agent=agent)
    assert articles_for_contact(contact) == []
    message_add(contact=contact, author="customer", text="We gaan verhuizen naar Almere.")
    assert [p.article.title for p in articles_for_contact(contact)] == ["Verhuizen"]


def test_the_contact_reason_and_its_parent_weigh_in(
    make_article: Callable[..., Article],
    make_contact: Callable[..., Contact],
    reasons: dict[str, ContactReason],
) -> None:
    # The same words in all three; only their reasons differ.
    make_article("Factuur uitleg A", "Een hogere factuur door kosten buiten de bundel.")
    make_article(
        "Factuur uitleg B", "Een hogere factuur door kosten buiten de bundel.", reasons=[reasons["factuur"]]
    )
    make_article(
        "Factuur uitleg C",
        "Een hogere factuur door kosten buiten de bundel.",
        reasons=[reasons["factuur_hoger"]],
    )
    contact = make_contact("Waarom is mijn factuur hoger?", reason=reasons["factuur_hoger"])
    proposals = articles_for_contact(contact)
    assert [p.article.title for p in proposals] == [
        "Factuur uitleg C",
        "Factuur uitleg B",
        "Factuur uitleg A",
    ]
    assert [p.reason_match for p in proposals] == ["reason", "parent", ""]
    assert "zelfde contactreden: Hogere factuur dan verwacht" in proposals[0].why
    assert "hoort bij contactreden Factuur en betaling" in proposals[1].why
    assert proposals[0].score > proposals[1].score > proposals[2].score


def test_a_contact_without_words_gets_the_articles_of_its_reason(
    make_article: Callable[..., Article],
    make_contact: Callable[..., Contact],
    reasons: dict[str, ContactReason],
) -> None:
    make_article(
        "Opzeggen na overlijden", "Geen opzegtermijn, geen kosten.", reasons=[reasons["abonnement_opzeggen"]]
    )
    make_article("Modem herstarten", "Stekker eruit.", reasons=[reasons["storing_internet"]])
    call = make_contact("", channel="phone", reason=reasons["abonnement_opzeggen"])
    (proposal,) = articles_for_contact(call)
    assert proposal.article.title == "Opzeggen na overlijden"
    assert proposal.matched == ()
    assert proposal.why == "zelfde contactreden: Opzeggen"


def test_a_reason_article_beats_a_weak_word_match(
    make_article: Callable[..., Article],
    make_contact: Callable[..., Contact],
    reasons: dict[str, ContactReason],
) -> None:
    make_article("Eenvoudige telefoon", "Een telefoon met grote knoppen.")
    make_article("Modem herstarten", "Stekker eruit.", reasons=[reasons["storing_internet"]])
    contact = make_contact("Mijn vaste telefoon heeft geen kiestoon", reason=reasons["storing_internet"])
    assert [p.article.title for p in articles_for_contact(contact)] == [
        "Modem herstarten",
        "Eenvoudige telefoon",
    ]


def test_archived_articles_are_never_proposed(
    make_article: Callable[..., Article],
    make_contact: Callable[..., Contact],
    reasons: dict[str, ContactReason],
    teamlead: User,
) -> None:
    old = make_article(
        "Actie tv-box", "Gratis tv-box bij overstappen.", reasons=[reasons["abonnement_opzeggen"]]
    )
    services.article_archive(article=old, actor=teamlead)
    contact = make_contact(
        "Krijg ik een gratis tv-box als ik overstap?", reason=reasons["abonnement_opzeggen"]
    )
    assert articles_for_contact(contact) == []


def test_stale_articles_are_flagged(
    make_article: Callable[..., Article], make_contact: Callable[..., Contact], settings: object
) -> None:
    settings.GEZIEN_KB_REVIEW_DAYS = 180  # type: ignore[attr-defined]
    make_article("Roaming buiten de EU", "Per MB.", reviewed_at=timezone.now() - timedelta(days=181))
    make_article("Roaming binnen de EU", "Bundel geldt.", reviewed_at=timezone.now() - timedelta(days=179))
    proposals = articles_for_contact(make_contact("Hoe zit het met roaming?"), limit=5)
    assert {p.article.title: p.stale for p in proposals} == {
        "Roaming buiten de EU": True,
        "Roaming binnen de EU": False,
    }


def test_marking_reviewed_clears_the_flag(
    make_article: Callable[..., Article], agent: User, settings: object
) -> None:
    settings.GEZIEN_KB_REVIEW_DAYS = 30  # type: ignore[attr-defined]
    article = make_article("Oud artikel", "Tekst.", reviewed_at=timezone.now() - timedelta(days=400))
    assert article.is_stale
    services.article_mark_reviewed(article=article, actor=agent)
    article.refresh_from_db()
    assert not article.is_stale and article.last_reviewed_by == agent


def test_feedback_is_counted_once_per_person_and_can_be_changed(
    make_article: Callable[..., Article],
    make_contact: Callable[..., Contact],
    agent: User,
    teamlead: User,
) -> None:
    article = make_article("Dubbele afschrijving terugboeken", "Terugboeken via Terugbetaling.")
    contact = make_contact("Er is twee keer afgeschreven")
    services.article_feedback(article=article, contact=contact, user=agent, helped=True)
    services.article_feedback(article=article, contact=contact, user=agent, helped=True)
    services.article_feedback(article=article, contact=contact, user=teamlead, helped=False)
    assert ArticleFeedback.objects.count() == 2
    (proposal,) = articles_for_contact(contact, user=agent)
    assert (proposal.helped, proposal.not_helped, proposal.feedback) == (1, 1, True)
    services.article_feedback(article=article, contact=contact, user=agent, helped=False)
    (proposal,) = articles_for_contact(contact, user=agent)
    assert (proposal.helped, proposal.not_helped, proposal.feedback) == (0, 2, False)
    assert articles_for_contact(contact, user=teamlead)[0].feedback is False


def test_feedback_on_an_archived_article_is_refused(
    make_article: Callable[..., Article], make_contact: Callable[..., Contact], teamlead: User
) -> None:
    article = make_article("Oude actie", "Verlopen.")
    services.article_archive(article=article, actor=teamlead)
    with pytest.raises(Conflict):
        services.article_feedback(article=article, contact=make_contact("Actie?"), user=teamlead, helped=True)


HOSTILE_MESSAGES = [
    '"modem" NEAR(lampje) * OR AND NOT',
    "modem\x00lampje".replace("\x00", " "),
    "🙂" * 2_000,
    "x" * 100_000,
    "\u202e\u200b ﬁ mode\u0301m",
    "'; DROP TABLE knowledge_article; --",
]


@pytest.mark.parametrize("text", HOSTILE_MESSAGES)
def test_no_customer_text_breaks_the_proposals(
    make_article: Callable[..., Article], make_contact: Callable[..., Contact], text: str
) -> None:
    make_article("Modem herstarten", "Het lampje wordt wit.")
    proposals = articles_for_contact(make_contact(text, subject=text[:300]))
    assert isinstance(proposals, list)


def test_proposals_cost_the_same_queries_for_few_or_many_articles(
    make_article: Callable[..., Article],
    make_contact: Callable[..., Contact],
    reasons: dict[str, ContactReason],
    agent: User,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    contact = make_contact("Het lampje op mijn modem knippert", reason=reasons["storing_internet"])
    make_article("Modem herstarten", "Het lampje wordt wit.", reasons=[reasons["storing_internet"]])
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        assert len(articles_for_contact(contact, user=agent)) == 1
    for i in range(30):
        make_article(f"Modem {i}", "Lampje knippert oranje.", reasons=[reasons["storing"]])
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        assert len(articles_for_contact(contact, limit=10, user=agent)) == 10


def test_the_organisations_own_name_and_configured_stop_words_are_never_matched(
    make_article: Callable[..., Article], make_contact: Callable[..., Contact], settings: object
) -> None:
    """Every customer may write the organisation's name (and the words an organisation configures as
    saying nothing): an article holding them is not proposed for them, only for what the question is."""
    settings.GEZIEN_ORGANISATION_NAME = "Noordzee Energie"  # type: ignore[attr-defined]
    settings.GEZIEN_KNOWLEDGE_STOP_WORDS = ["klantenservice", "Mijn Noordzee"]  # type: ignore[attr-defined]
    make_article("Over Noordzee Energie", "Noordzee Energie levert energie. Bel de klantenservice.")
    make_article("Meterstand doorgeven", "Geef uw meterstand door in de app.")
    contact = make_contact("Hallo Noordzee Energie klantenservice, ik heb een vraag over Mijn Noordzee.")
    assert articles_for_contact(contact) == []
    message_add(
        contact=contact, author="customer", text="Noordzee Energie: hoe geef ik mijn meterstand door?"
    )
    proposals = articles_for_contact(contact)
    assert [p.article.title for p in proposals] == ["Meterstand doorgeven"]
    assert "noordzee" not in proposals[0].matched and "energie" not in proposals[0].matched
