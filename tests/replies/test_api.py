"""/api/macros: list, create, read, change, archive and write out a macro for a contact."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.contacts.models import Contact, ContactReason
from gezien.replies.models import Macro
from gezien.replies.services import macro_create
from tests.conftest import ApiClient


@pytest.fixture
def lead_api(teamlead: User) -> ApiClient:
    return ApiClient(token_create(user=teamlead, name="test")[1])


def test_an_agent_creates_reads_changes_and_archives_their_own(api: ApiClient, reason: ContactReason) -> None:
    created = api.post(
        "/api/macros",
        {
            "title": "Pakket kwijt",
            "body_u": "Beste {naam}, ik zoek bestelling {ordernummer} voor u uit.",
            "body_je": "Hoi {naam}, ik ga {ordernummer} voor je uitzoeken!",
            "tags": ["Levering"],
            "reasons": ["levering"],
        },
    )
    assert created.status_code == 201, created.json_body
    body = created.json_body
    assert (body["owner"], body["shared"], body["tags"], body["reasons"]) == (
        "sanne",
        False,
        ["levering"],
        ["levering"],
    )
    assert body["placeholders"] == ["naam", "ordernummer"]
    macro_id = body["id"]
    assert api.get(f"/api/macros/{macro_id}").json_body["title"] == "Pakket kwijt"
    changed = api.patch(f"/api/macros/{macro_id}", {"title": "Pakket zoek", "reasons": []}).json_body
    assert (changed["title"], changed["reasons"], changed["body_u"]) == ("Pakket zoek", [], body["body_u"])
    assert api.post(f"/api/macros/{macro_id}/archive").json_body["archived"] is True
    assert api.get("/api/macros").json_body["count"] == 0
    assert [m["id"] for m in api.get("/api/macros?archived=true").json_body["items"]] == [macro_id]
    assert api.post(f"/api/macros/{macro_id}/restore").json_body["archived"] is False


def test_the_list_is_own_and_shared_filtered_by_words_and_reason(
    api: ApiClient, agent: User, colleague: User, shared_macro: Macro, reason: ContactReason
) -> None:
    mine = macro_create(actor=agent, title="Eigen levering", body_u="Dag.", reasons=["levering"])
    macro_create(actor=colleague, title="Van Mark", body_u="Dag.")
    listed = api.get("/api/macros").json_body
    assert [m["title"] for m in listed["items"]] == ["Bevestiging levering", "Eigen levering"]
    assert [m["id"] for m in api.get("/api/macros?q=EIGEN").json_body["items"]] == [mine.pk]
    assert [m["id"] for m in api.get("/api/macros?reason=levering").json_body["items"]] == [mine.pk]
    assert api.get("/api/macros?reason=bestaat-niet").status_code == 422
    assert api.get("/api/macros?q=%00").status_code == 422


def test_the_list_costs_the_same_queries_for_2_or_40_macros(api: ApiClient, agent: User, reason) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/macros?limit=100").status_code == 200
        return len(captured)

    for n in range(2):
        macro_create(actor=agent, title=f"Tekst {n}", body_u="Dag {naam}.", reasons=["levering"])
    queries()  # the token and the role's permissions are cached after the first request
    few = queries()
    for n in range(38):
        macro_create(actor=agent, title=f"Meer {n}", body_u="Dag {naam}.", reasons=["levering"])
    assert queries() == few <= 4


def test_other_peoples_macros_are_403_and_unknown_ones_404(
    api: ApiClient, colleague: User, shared_macro: Macro
) -> None:
    theirs = macro_create(actor=colleague, title="Van Mark", body_u="Dag.")
    for path in (f"/api/macros/{theirs.pk}", f"/api/macros/{theirs.pk}/archive"):
        response = api.get(path) if not path.endswith("archive") else api.post(path)
        assert response.status_code == 403, path
    assert api.patch(f"/api/macros/{theirs.pk}", {"title": "Mijn"}).status_code == 403
    # A shared one can be read and used, but an agent cannot change it.
    assert api.get(f"/api/macros/{shared_macro.pk}").status_code == 200
    assert api.patch(f"/api/macros/{shared_macro.pk}", {"title": "Anders"}).status_code == 403
    assert api.post(f"/api/macros/{shared_macro.pk}/archive").status_code == 403
    assert api.post("/api/macros", {"title": "Gedeeld", "body_u": "Dag.", "shared": True}).status_code == 403
    assert Macro.objects.get(pk=shared_macro.pk).title == "Bevestiging levering"
    for path in ("/api/macros/987654", "/api/macros/99999999999999999999", "/api/macros/abc"):
        assert api.get(path).status_code == 404, path
    assert api.post("/api/macros/987654/render", {"contact_id": 1}).status_code == 404


def test_a_team_lead_keeps_the_shared_ones(lead_api: ApiClient, shared_macro: Macro) -> None:
    created = lead_api.post("/api/macros", {"title": "Voor iedereen", "body_je": "Hoi!", "shared": True})
    assert (created.status_code, created.json_body["owner"]) == (201, None)
    assert lead_api.patch(f"/api/macros/{shared_macro.pk}", {"body_u": ""}).json_body["body_u"] == ""
    assert lead_api.post(f"/api/macros/{shared_macro.pk}/archive").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "Typfout", "body_u": "Beste {nam},"}, "body_u"),
        ({"title": "Leeg"}, "body_u"),
        ({"title": "", "body_u": "Dag."}, "title"),
        ({"title": "Reden", "body_u": "Dag.", "reasons": ["bestaat-niet"]}, "reasons"),
        ({"title": "NUL", "body_u": "Dag\x00"}, None),
        ({"title": 12, "body_u": "Dag."}, "title"),
        ({"title": "Lijst", "body_u": "Dag.", "tags": "los"}, "tags"),
        ({"title": "Groot", "body_u": "x" * 60_000}, "body_u"),
        ({"body_u": "Geen titel"}, "title"),
    ],
)
def test_bad_input_is_422_with_the_field_and_nothing_is_written(
    api: ApiClient, reason: ContactReason, body: dict, field: str | None
) -> None:
    response = api.post("/api/macros", body)
    assert response.status_code == 422, response.json_body
    if field is not None:
        assert field in [part for error in response.json_body["detail"] for part in error["loc"]]
    assert not Macro.objects.exists()


def test_malformed_json_is_refused(api: ApiClient, db: None) -> None:
    assert api.post("/api/macros", raw="{not json").status_code in (400, 422)
    assert api.post("/api/macros", raw="[]").status_code == 422
    assert not Macro.objects.exists()


def test_render_for_a_formal_and_an_informal_customer(
    api: ApiClient, shared_macro: Macro, formal_contact: Contact, informal_contact: Contact
) -> None:
    formal = api.post(f"/api/macros/{shared_macro.pk}/render", {"contact_id": formal_contact.pk})
    assert formal.status_code == 200
    assert formal.json_body["variant"] == "u"
    assert formal.json_body["why"] == "klant schrijft 'kunt u'"
    assert formal.json_body["text"].startswith("Beste Annie Jansen, uw bestelling VT1514680 wordt ")
    assert formal.json_body["text"].endswith("bezorgd. Groet, Sanne")
    informal = api.post(
        f"/api/macros/{shared_macro.pk}/render", {"contact_id": informal_contact.pk}
    ).json_body
    assert (informal["variant"], informal["missing"]) == ("je", [])
    assert informal["text"].startswith("Hoi Samira! Je bestelling VT2345678 komt ")


def test_render_refuses_an_unknown_contact_and_bad_ids(api: ApiClient, shared_macro: Macro, db: None) -> None:
    unknown = api.post(f"/api/macros/{shared_macro.pk}/render", {"contact_id": 987654})
    assert unknown.status_code == 422
    assert unknown.json_body["detail"][0]["loc"] == ["body", "contact_id"]
    for bad in ({}, {"contact_id": "een"}, {"contact_id": 0}, {"contact_id": 2**64}):
        assert api.post(f"/api/macros/{shared_macro.pk}/render", bad).status_code == 422, bad


def test_without_a_role_or_token_nothing_is_answered(
    make_user: Callable[..., User], shared_macro: Macro, db: None
) -> None:
    nobody = make_user("gast", "agent")
    nobody.groups.clear()
    no_role = ApiClient(token_create(user=nobody)[1])
    assert no_role.get("/api/macros").status_code == 403
    assert no_role.post("/api/macros", {"title": "x", "body_u": "y"}).status_code == 403
    assert ApiClient(None).get("/api/macros").status_code == 401
