"""The kennisbank in the desk: list with live search and filters, article, write, edit, review, archive,
and the proposals partial with "heeft geholpen"; who may do what."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.contacts.models import Contact, ContactReason
from gezien.knowledge.models import Article, ArticleFeedback
from tests.conftest import ApiClient


@pytest.fixture
def lead_desk(teamlead: User) -> Client:
    client = Client()
    client.force_login(teamlead)
    return client


def test_the_nav_links_to_the_kennisbank(desk: Client) -> None:
    page = desk.get(reverse("desk:queue")).content.decode()
    assert 'href="/knowledge/"' in page and "Kennisbank" in page


def test_list_search_and_filters(
    desk: Client, make_article: Callable[..., Article], reasons: dict[str, ContactReason], settings: object
) -> None:
    settings.GEZIEN_KB_REVIEW_DAYS = 180  # type: ignore[attr-defined]
    make_article("Modem herstarten", "Stekker eruit.", reasons=[reasons["storing_internet"]], tags=["modem"])
    make_article(
        "Dubbele afschrijving",
        "Terugboeken.",
        reasons=[reasons["factuur_dubbel_afgeschreven"]],
        reviewed_at=timezone.now() - timedelta(days=365),
    )
    page = desk.get("/knowledge/").content.decode()
    assert "Modem herstarten" in page and "Dubbele afschrijving" in page
    assert "al lang niet nagekeken" in page
    found = desk.get("/knowledge/?q=modems").content.decode()
    assert "Modem herstarten" in found and "Dubbele afschrijving" not in found
    assert "<html" in found
    live = desk.get("/knowledge/?q=afschrijvingen", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in live and "Dubbele afschrijving" in live and "Modem herstarten" not in live
    by_reason = desk.get("/knowledge/?reason=storing").content.decode()
    assert "Modem herstarten" in by_reason and "Dubbele afschrijving" not in by_reason
    stale = desk.get("/knowledge/?stale=1").content.decode()
    assert "Dubbele afschrijving" in stale and "Modem herstarten" not in stale
    assert "Dubbele afschrijving" not in desk.get("/knowledge/?tag=modem").content.decode()
    assert desk.get("/knowledge/?q=%22NEAR(*&page=abc&reason=x&stale=maybe").status_code == 200


def test_write_edit_and_review_an_article(
    desk: Client, agent: User, reasons: dict[str, ContactReason], settings: object
) -> None:
    assert desk.get("/knowledge/new/").status_code == 200
    response = desk.post(
        "/knowledge/new/",
        {
            "title": "Verhuizen",
            "body": "Drie weken vooraf doorgeven.",
            "customer_text_u": "Wij verhuizen uw internet mee.",
            "customer_text_je": "We verhuizen je internet mee.",
            "tags": "verhuizen, Dekking",
            "reasons": [reasons["storing"].pk],
            "owner": agent.pk,
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/knowledge/{article.pk}/"
    assert sorted(article.tags.values_list("name", flat=True)) == ["dekking", "verhuizen"]
    detail = desk.get(f"/knowledge/{article.pk}/").content.decode()
    assert "Wij verhuizen uw internet mee." in detail and "We verhuizen je internet mee." in detail

    refused = desk.post(f"/knowledge/{article.pk}/edit/", {"title": "", "body": "x"})
    assert refused.status_code == 422
    assert desk.get(f"/knowledge/{article.pk}/edit/").status_code == 200
    desk.post(
        f"/knowledge/{article.pk}/edit/", {"title": "Verhuizing", "body": "Vier weken vooraf.", "tags": ""}
    )
    article.refresh_from_db()
    assert article.title == "Verhuizing" and not article.tags.exists()

    settings.GEZIEN_KB_REVIEW_DAYS = 30  # type: ignore[attr-defined]
    Article.objects.filter(pk=article.pk).update(last_reviewed_at=timezone.now() - timedelta(days=60))
    assert "al lang niet nagekeken" in desk.get(f"/knowledge/{article.pk}/").content.decode()
    desk.post(f"/knowledge/{article.pk}/reviewed/")
    assert "al lang niet nagekeken" not in desk.get(f"/knowledge/{article.pk}/").content.decode()


def test_only_team_leads_archive(
    desk: Client, lead_desk: Client, make_article: Callable[..., Article]
) -> None:
    article = make_article("Oude actie", "Verlopen.")
    assert "Archiveren" not in desk.get(f"/knowledge/{article.pk}/").content.decode()
    assert desk.post(f"/knowledge/{article.pk}/archive/").status_code == 403
    assert "Archiveren" in lead_desk.get(f"/knowledge/{article.pk}/").content.decode()
    lead_desk.post(f"/knowledge/{article.pk}/archive/")
    assert Article.objects.get(pk=article.pk).archived
    assert "Oude actie" not in desk.get("/knowledge/").content.decode()
    assert "Oude actie" in desk.get("/knowledge/?archived=1").content.decode()
    lead_desk.post(f"/knowledge/{article.pk}/restore/")
    assert not Article.objects.get(pk=article.pk).archived


def test_the_proposals_partial_and_feedback(
    desk: Client,
    make_article: Callable[..., Article],
    make_contact: Callable[..., Contact],
    reasons: dict[str, ContactReason],
) -> None:
    article = make_article(
        "Modem herstarten",
        "Stekker eruit.",
        customer_text_u="Wilt u de stekker eruit halen?",
        customer_text_je="Wil je de stekker eruit halen?",
        reasons=[reasons["storing_internet"]],
    )
    contact = make_contact("Het lampje van mijn modem knippert", reason=reasons["storing_internet"])
    partial = desk.get(f"/desk/contacts/{contact.pk}/articles/?address=je").content.decode()
    assert "Modem herstarten" in partial and "Wil je de stekker eruit halen?" in partial
    assert "Wilt u de stekker" not in partial
    assert "zelfde contactreden: Storing internet" in partial
    assert "Heeft geholpen" in partial
    default = desk.get(f"/desk/contacts/{contact.pk}/articles/").content.decode()
    assert "Wilt u de stekker eruit halen?" in default  # nothing known: the desk's default "u"

    url = f"/knowledge/{article.pk}/feedback/"
    plain = desk.post(url, {"contact": contact.pk, "helped": "1"})
    assert plain.status_code == 302 and plain["Location"] == f"/desk/contacts/{contact.pk}/"
    htmx = desk.post(url, {"contact": contact.pk, "helped": "0", "address": "je"}, HTTP_HX_REQUEST="true")
    body = htmx.content.decode()
    assert htmx.status_code == 200 and "<html" not in body and 'id="kb-suggestions-' in body
    assert "Wil je de stekker" in body
    assert ArticleFeedback.objects.get().helped is False
    assert desk.post(url, {"contact": 999999, "helped": "1"}).status_code == 404
    assert desk.post(url, {"contact": contact.pk, "helped": "misschien"}).status_code == 422
    assert desk.get(url).status_code == 405


def test_the_partial_renders_for_another_view(
    rf: object, agent: User, make_article: Callable[..., Article], make_contact: Callable[..., Contact]
) -> None:
    """Other desk pages include the partial with `contact`, `proposals` and `address` in their context."""
    from django.template.loader import render_to_string

    from gezien.knowledge.selectors import articles_for_contact

    make_article("Modem herstarten", "Stekker eruit.", customer_text_u="U-tekst", customer_text_je="")
    contact = make_contact("modem kapot")
    html = render_to_string(
        "web/_article_suggestions.html",
        {"contact": contact, "proposals": articles_for_contact(contact), "address": "je"},
    )
    assert "Modem herstarten" in html and "U-tekst" in html and "Alleen in de u-vorm beschikbaar." in html


def test_article_text_is_escaped(
    desk: Client, make_article: Callable[..., Article], make_contact: Callable[..., Contact]
) -> None:
    evil = "<script>alert('kb')</script><img src=x onerror=alert(1)>"
    article = make_article(f"Modem {evil}", f"Body {evil}", customer_text_u=evil, tags=[evil[:40]])
    contact = make_contact(f"modem {evil}")
    for url in [
        "/knowledge/",
        f"/knowledge/{article.pk}/",
        f"/desk/contacts/{contact.pk}/articles/",
        "/knowledge/?q=modem",
    ]:
        page = desk.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url


def test_csrf_is_enforced(
    agent: User, make_article: Callable[..., Article], make_contact: Callable[..., Contact]
) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(agent)
    article = make_article("Modem", "Stekker.")
    contact = make_contact("modem")
    assert (
        strict.post(f"/knowledge/{article.pk}/feedback/", {"contact": contact.pk, "helped": "1"}).status_code
        == 403
    )
    assert strict.post("/knowledge/new/", {"title": "x", "body": "y"}).status_code == 403


def test_unknown_ids_are_404(desk: Client) -> None:
    for url in ["/knowledge/999999/", "/knowledge/999999/edit/", "/desk/contacts/999999/articles/"]:
        assert desk.get(url).status_code == 404, url


def test_people_without_a_role_or_login_are_refused(
    client: Client, db: None, make_article: Callable[..., Article], make_contact: Callable[..., Contact]
) -> None:
    article = make_article("Modem", "Stekker.")
    contact = make_contact("modem")
    pages = [
        "/knowledge/",
        "/knowledge/new/",
        f"/knowledge/{article.pk}/",
        f"/knowledge/{article.pk}/edit/",
        f"/desk/contacts/{contact.pk}/articles/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    nobody = User.objects.create_user("nobody", password="geheim-wachtwoord-1")
    client.force_login(nobody)
    for url in pages:
        assert client.get(url).status_code == 403, url
    for url in [f"/knowledge/{article.pk}/reviewed/", f"/knowledge/{article.pk}/archive/"]:
        assert client.post(url).status_code == 403, url
    assert (
        client.post(f"/knowledge/{article.pk}/feedback/", {"contact": contact.pk, "helped": "1"}).status_code
        == 403
    )

    api = ApiClient(token_create(user=nobody)[1])
    assert api.get("/api/articles").status_code == 403
    assert api.post("/api/articles", {"title": "T", "body": "B"}).status_code == 403
    assert api.get(f"/api/contacts/{contact.pk}/articles").status_code == 403
    assert (
        api.post(
            f"/api/articles/{article.pk}/feedback", {"contact_id": contact.pk, "helped": True}
        ).status_code
        == 403
    )
    assert ApiClient(None).get("/api/articles").status_code == 401
    assert ApiClient("nonsense").get(f"/api/articles/{article.pk}").status_code == 401
    assert not ArticleFeedback.objects.exists() and Article.objects.count() == 1
