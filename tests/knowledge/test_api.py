"""The kennisbank through the API: write, search, review, archive, proposals, feedback, and bad input."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts.models import Contact, ContactReason
from gezien.customers.models import AddressForm, Customer
from gezien.customers.services import detail_add
from gezien.knowledge.models import Article, ArticleFeedback
from tests.conftest import ApiClient

ARTICLE = {
    "title": "Dubbele afschrijving terugboeken",
    "body": "Controleer het betaaloverzicht en boek het dubbele bedrag terug.",
    "customer_text_u": "Ik heb het dubbele bedrag voor u teruggeboekt.",
    "customer_text_je": "Ik heb het dubbele bedrag voor je teruggeboekt.",
    "tags": ["Factuur", "terugbetaling"],
    "reasons": ["factuur_dubbel_afgeschreven"],
}


def test_create_read_search_change(api: ApiClient, reasons: dict[str, ContactReason], teamlead: User) -> None:
    created = api.post("/api/articles", ARTICLE)
    assert created.status_code == 201, created.json_body
    body = created.json_body
    assert body["tags"] == ["factuur", "terugbetaling"]
    assert body["reasons"] == ["factuur_dubbel_afgeschreven"]
    assert body["owner"] == "sanne" and body["last_reviewed_by"] == "sanne"
    assert body["stale"] is False and body["archived"] is False and body["helped"] == 0
    article_id = body["id"]

    assert api.get(f"/api/articles/{article_id}").json_body["title"] == ARTICLE["title"]
    found = api.get("/api/articles?q=afschrijvingen").json_body
    assert found["count"] == 1 and found["items"][0]["matched"] == ["afschrijvingen"]
    assert api.get("/api/articles?q=modem").json_body["count"] == 0
    assert api.get("/api/articles?reason=factuur").json_body["count"] == 1  # the parent reason lists it
    assert api.get("/api/articles?tag=terugbetaling").json_body["count"] == 1

    changed = api.patch(
        f"/api/articles/{article_id}", {"title": "Twee keer afgeschreven", "owner": "tom", "reasons": []}
    )
    assert changed.status_code == 200, changed.json_body
    assert changed.json_body["title"] == "Twee keer afgeschreven"
    assert changed.json_body["owner"] == "tom" and changed.json_body["reasons"] == []
    assert changed.json_body["tags"] == ["factuur", "terugbetaling"]  # not given: unchanged
    cleared = api.patch(f"/api/articles/{article_id}", {"owner": None})
    assert cleared.json_body["owner"] is None


def test_review_archive_restore_delete(
    api: ApiClient, api_as: Callable[[str], ApiClient], make_article: Callable[..., Article], settings: object
) -> None:
    settings.GEZIEN_KB_REVIEW_DAYS = 180  # type: ignore[attr-defined]
    article = make_article(
        "Roaming", "Buiten de EU per MB.", reviewed_at=timezone.now() - timedelta(days=365)
    )
    assert api.get(f"/api/articles/{article.pk}").json_body["stale"] is True
    assert api.get("/api/articles?stale=true").json_body["count"] == 1
    reviewed = api.post(f"/api/articles/{article.pk}/reviewed")
    assert reviewed.status_code == 200 and reviewed.json_body["stale"] is False
    assert api.get("/api/articles?stale=true").json_body["count"] == 0

    assert api.post(f"/api/articles/{article.pk}/archive").status_code == 403  # agents do not archive
    lead = api_as("teamlead")
    archived = lead.post(f"/api/articles/{article.pk}/archive")
    assert archived.status_code == 200 and archived.json_body["archived"] is True
    assert api.get("/api/articles?q=roaming").json_body["count"] == 0
    assert api.get("/api/articles?archived=true").json_body["count"] == 1
    refused = api.patch(f"/api/articles/{article.pk}", {"title": "Nieuw"})
    assert refused.status_code == 409
    assert lead.post(f"/api/articles/{article.pk}/restore").json_body["archived"] is False
    assert api.delete(f"/api/articles/{article.pk}").status_code == 403
    assert lead.delete(f"/api/articles/{article.pk}").status_code == 204
    assert api.get(f"/api/articles/{article.pk}").status_code == 404


def test_proposals_and_feedback(
    api: ApiClient,
    make_article: Callable[..., Article],
    make_contact: Callable[..., Contact],
    reasons: dict[str, ContactReason],
    customer: Customer,
) -> None:
    article = make_article(
        "Dubbele afschrijving terugboeken",
        "Boek het dubbele bedrag terug.",
        customer_text_u="Wij boeken het voor u terug.",
        customer_text_je="We boeken het voor je terug.",
        reasons=[reasons["factuur_dubbel_afgeschreven"]],
    )
    contact = make_contact("Er is twee keer afgeschreven!", reason=reasons["factuur_dubbel_afgeschreven"])
    proposals = api.get(f"/api/contacts/{contact.pk}/articles").json_body
    assert [p["article"]["id"] for p in proposals] == [article.pk]
    first = proposals[0]
    assert first["reason_match"] == "reason" and "afgeschreven" in first["matched"]
    assert "zelfde contactreden" in first["why"] and first["similarity"] is None
    assert first["customer_text"] == "Wij boeken het voor u terug."  # the desk's default: u
    assert api.get(f"/api/contacts/{contact.pk}/articles?address=je").json_body[0]["customer_text"] == (
        "We boeken het voor je terug."
    )
    # A customer remembered as "je" gets the je-text without asking.
    Contact.objects.filter(pk=contact.pk).update(customer=customer, recognition="recognised")
    detail_add(customer=customer, kind="addressing", text="Annie", register=AddressForm.JE)
    assert api.get(f"/api/contacts/{contact.pk}/articles").json_body[0]["customer_text"].startswith("We ")

    said = api.post(f"/api/articles/{article.pk}/feedback", {"contact_id": contact.pk, "helped": True})
    assert said.status_code == 200, said.json_body
    assert (said.json_body["helped_count"], said.json_body["not_helped_count"]) == (1, 0)
    again = api.post(f"/api/articles/{article.pk}/feedback", {"contact_id": contact.pk, "helped": False})
    assert (again.json_body["helped_count"], again.json_body["not_helped_count"]) == (0, 1)
    assert ArticleFeedback.objects.count() == 1
    proposal = api.get(f"/api/contacts/{contact.pk}/articles").json_body[0]
    assert (proposal["helped"], proposal["not_helped"], proposal["feedback"]) == (0, 1, False)
    assert api.get(f"/api/articles/{article.pk}").json_body["not_helped"] == 1


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/articles", {"title": "", "body": "x"}),
        ("post", "/api/articles", {"title": "T", "body": "x", "reasons": ["bestaat_niet"]}),
        ("post", "/api/articles", {"title": "T", "body": "x", "owner": "niemand"}),
        ("post", "/api/articles", {"title": "T", "body": "x" * 20_001}),
        ("post", "/api/articles", {"title": "T", "body": "x" * 50_000}),
        ("post", "/api/articles", {"title": "T\x00", "body": "x"}),
        ("post", "/api/articles", {"title": "T", "body": "x", "tags": "niet-een-lijst"}),
        ("post", "/api/articles", {"title": "T", "body": "x", "tags": [f"t{i}" for i in range(30)]}),
        ("post", "/api/articles", {"title": 12, "body": "x"}),
        ("post", "/api/articles", {"body": "x"}),
        ("post", "/api/articles", [1, 2]),
    ],
)
def test_bad_input_is_a_4xx_and_writes_nothing(
    api: ApiClient, reasons: dict[str, ContactReason], method: str, path: str, body: object
) -> None:
    response = getattr(api, method)(path, body)
    assert 400 <= response.status_code < 500, response.json_body
    assert response.status_code == 422
    assert not Article.objects.exists()


def test_malformed_json_unknown_ids_and_bad_params(
    api: ApiClient, make_article: Callable[..., Article], make_contact: Callable[..., Contact]
) -> None:
    article = make_article("Modem", "Herstarten.")
    contact = make_contact("Modem kapot")
    assert api.post("/api/articles", raw="{niet: json").status_code in (400, 422)
    assert api.get("/api/articles/999999").status_code == 404
    assert api.get("/api/articles/99999999999999999999999").status_code == 404
    assert api.get("/api/articles/abc").status_code == 404
    assert api.patch("/api/articles/999999", {"title": "x"}).status_code == 404
    assert api.get("/api/contacts/999999/articles").status_code == 404
    assert api.get(f"/api/contacts/{contact.pk}/articles?limit=0").status_code == 422
    assert api.get(f"/api/contacts/{contact.pk}/articles?address=jij").status_code == 422
    assert api.get("/api/articles?reason=bestaat_niet").status_code == 422
    assert api.get("/api/articles?q=%00").status_code == 422
    assert api.get("/api/articles?limit=100000").status_code == 422
    feedback = f"/api/articles/{article.pk}/feedback"
    assert api.post(feedback, {"contact_id": 999999, "helped": True}).status_code == 404
    assert api.post(feedback, {"contact_id": contact.pk, "helped": "ja"}).status_code == 422
    assert api.post(feedback, {"contact_id": contact.pk}).status_code == 422
    assert (
        api.post("/api/articles/999999/feedback", {"contact_id": contact.pk, "helped": True}).status_code
        == 404
    )
    assert not ArticleFeedback.objects.exists()


@pytest.mark.parametrize("q", ['"', "NEAR(a b)", "*", "a OR", "modem'--", "\u202e", "x" * 2000])
def test_hostile_search_text_is_answered(
    api: ApiClient, make_article: Callable[..., Article], q: str
) -> None:
    make_article("Modem", "Herstarten.")
    response = api.get(f"/api/articles?q={q}")
    assert response.status_code == 200


def test_lists_cost_the_same_queries_for_more_articles(
    api: ApiClient,
    make_article: Callable[..., Article],
    reasons: dict[str, ContactReason],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    make_article("Modem 0", "Lampje.", reasons=[reasons["storing"]], tags=["modem"])
    api.get("/api/articles")  # warm the token cache
    with django_assert_max_num_queries(12) as few:  # type: ignore[operator]
        api.get("/api/articles?q=lampje")
    for i in range(1, 20):
        make_article(f"Modem {i}", "Lampje.", reasons=[reasons["storing"]], tags=["modem"])
    with django_assert_max_num_queries(len(few)):  # type: ignore[operator, arg-type]
        assert api.get("/api/articles?q=lampje").json_body["count"] == 20
    with django_assert_max_num_queries(len(few)):  # type: ignore[operator, arg-type]
        assert api.get("/api/articles").json_body["count"] == 20
