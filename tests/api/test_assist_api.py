"""The agent assist in the API: hints with the customer's words, the draft check, what agents do with
hints, protocols, incidents and breaks, notifications, promises, and warm transfers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from ninja import Schema

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.assist.models import ContactProtocol, HintAction, Incident, WarmTransfer
from gezien.contacts.handling import contact_set_reason, contact_take
from gezien.contacts.models import Contact, ContactReason, Message
from gezien.contacts.services import contact_open, message_add
from gezien.customers.models import Customer, DetailKind, RememberedDetail
from gezien.customers.services import customer_create, detail_add
from gezien.notifications.models import Notification
from tests.conftest import ApiClient

PHONE = ("phone", "06-12345678")
ANGRY_REPEAT = "Ik ben woedend! Dit is al de derde keer dat ik bel over mijn pakket."
BEREAVEMENT = "Mijn man is vorige week overleden, ik wil zijn abonnement opzeggen"
FORMAL = "Geachte heer, kunt u mij helpen? Met vriendelijke groet"
ACKNOWLEDGING = "Wat vervelend dat u dit opnieuw moet uitleggen, dat begrijp ik."
CALM = "Waar blijft mijn pakket?"


@pytest.fixture(autouse=True)
def _inline(settings: Any) -> None:
    """Analyse messages right after their commit, in this process, on every database."""
    settings.GEZIEN_ANALYSIS_INLINE = True


@pytest.fixture
def opened(django_capture_on_commit_callbacks: Any) -> Callable[..., Contact]:
    """Open a contact and run what its commit sets off (the analysis, then protocols and incidents)."""

    def open_(text: str, *, channel: str = "chat", identity: tuple[str, str] | None = PHONE) -> Contact:
        with django_capture_on_commit_callbacks(execute=True):
            result = contact_open(channel=channel, identities=[identity] if identity else [], text=text)
        return result.contact

    return open_


@pytest.fixture
def says(django_capture_on_commit_callbacks: Any) -> Callable[..., Message]:
    """The customer (or an agent) adds a message to a contact, analysed as it is stored."""

    def say(contact: Contact, text: str, *, author: str = "customer", agent: User | None = None) -> Message:
        with django_capture_on_commit_callbacks(execute=True):
            return message_add(contact=contact, author=author, text=text, agent=agent)

    return say


@pytest.fixture
def colleague(make_user: Callable[..., User]) -> User:
    return make_user("bram", "agent", first_name="Bram")


@pytest.fixture
def lead(make_user: Callable[..., User]) -> User:
    return make_user("lotte", "teamlead", first_name="Lotte")


def client_for(user: User) -> ApiClient:
    return ApiClient(token_create(user=user, name="test")[1])


def keys(body: dict[str, Any]) -> list[str]:
    return [hint["key"] for hint in body["hints"]]


def hint(body: dict[str, Any], key: str) -> dict[str, Any]:
    return next(h for h in body["hints"] if h["key"] == key)


def nothing_stored() -> dict[str, int]:
    return {
        "hint actions": HintAction.objects.count(),
        "protocols": ContactProtocol.objects.count(),
        "incidents": Incident.objects.count(),
        "notifications": Notification.objects.count(),
        "transfers": WarmTransfer.objects.count(),
        "details": RememberedDetail.objects.count(),
    }


# --- the assist beside a contact ------------------------------------------------------------------------


def test_an_angry_repeat_customer_gets_listen_first_and_repeat_hints_with_their_words(
    api: ApiClient,
    agent: User,
    customer: Customer,
    reason: ContactReason,
    opened: Callable[..., Contact],
    says: Callable[..., Message],
) -> None:
    earlier = []
    for reply in ("We sturen het pakket morgen opnieuw.", "Ik heb de vervoerder gebeld, het komt vrijdag."):
        contact = opened(CALM)
        contact_set_reason(contact=contact, reason=reason)
        says(contact, reply, author="agent", agent=agent)
        earlier.append(contact)
    now = opened(ANGRY_REPEAT)
    contact_set_reason(contact=now, reason=reason)
    message = now.messages.get()

    response = api.get(f"/api/contacts/{now.pk}/assist")

    assert response.status_code == 200
    body = response.json_body
    assert {"listen_first", "repeat"} <= set(keys(body))
    assert {"signal": "anger", "words": "woedend", "message_id": message.pk} in [
        {k: c[k] for k in ("signal", "words", "message_id")} for c in hint(body, "listen_first")["because"]
    ]
    repeat = hint(body, "repeat")
    assert repeat["title"].startswith("3e contact over Levering")
    assert [c["words"] for c in repeat["because"]] == ["derde keer dat ik bel"]
    assert repeat["actions"] == ["take_ownership"]
    matter = body["matter"]
    assert (matter["reason"]["code"], matter["count"]) == ("levering", 3)
    assert [e["id"] for e in matter["earlier"]] == [c.pk for c in earlier]
    assert matter["earlier"][-1]["last_agent_words"] == "Ik heb de vervoerder gebeld, het komt vrijdag."
    assert matter["earlier"][0] == {
        "id": earlier[0].pk,
        "channel": earlier[0].channel,
        "opened_at": matter["earlier"][0]["opened_at"],
        "summary": earlier[0].summary,
        "last_agent_words": "We sturen het pakket morgen opnieuw.",
    }
    assert matter["reason"] == {"code": "levering", "name": "Levering"}
    assert all(set(c) == {"signal", "words", "message_id", "rule"} for c in matter["claim"])
    assert set(body["address"]) == {"address", "source", "name", "evidence"}
    assert body["listen_first"] is True
    assert body["solutions_open"] is False
    assert body["phone"] is None  # a chat
    assert all("because" in h for h in body["hints"])


def test_a_bereavement_starts_the_protocol_with_condolences(
    api: ApiClient, customer: Customer, opened: Callable[..., Contact]
) -> None:
    contact = opened(BEREAVEMENT)
    message = contact.messages.get()

    body = api.get(f"/api/contacts/{contact.pk}/assist").json_body

    assert body["protocols"] == ["bereavement"]
    protocol = hint(body, "protocol:bereavement")
    assert protocol["severity"] == "alert"
    assert any("Gecondoleerd" in s for s in protocol["suggestions"])
    assert {"signal": "bereavement", "words": "overleden", "message_id": message.pk} in [
        {k: c[k] for k in ("signal", "words", "message_id")} for c in protocol["because"]
    ]
    assert "remember_event" in protocol["actions"]
    stored = ContactProtocol.objects.get(contact=contact)
    assert (stored.protocol, stored.started_by) == ("bereavement", None)
    assert ["bereavement", "overleden", message.pk] in stored.evidence

    # Remembered on the card: the hint stops proposing it, and nobody asks again.
    remembered = api.post(f"/api/contacts/{contact.pk}/remember-event", {"text": protocol["proposal"]})
    assert remembered.status_code == 201
    assert remembered.json_body["kind"] == "life_event"
    again = api.get(f"/api/contacts/{contact.pk}/assist").json_body
    assert "remember_event" not in hint(again, "protocol:bereavement")["actions"]


def test_a_phone_contact_gets_a_greeting_and_an_opening_checklist(
    api: ApiClient, customer: Customer, opened: Callable[..., Contact]
) -> None:
    contact = opened("", channel="phone")

    phone = api.get(f"/api/contacts/{contact.pk}/assist").json_body["phone"]

    assert "Sanne" in phone["greeting"]
    assert phone["greeting"].startswith("Goede")
    steps = {step["key"]: step["done"] for step in phone["steps"]}
    assert steps["recognised"] is True
    assert steps["greeting"] is False


def test_an_open_problem_about_what_the_customer_had_is_a_known_problem(
    api: ApiClient, customer: Customer, reason: ContactReason, opened: Callable[..., Contact]
) -> None:
    from gezien.insights.rootcause.services import problem_create, problem_link_contacts

    problem = problem_create(title="Pakketten vast in Tilburg", reasons=[reason])
    others = []
    for n in range(5):
        other = customer_create(first_name=f"Klant {n}", identities=[("phone", f"06-1111222{n}")])
        assert other.pk
        others.append(opened(CALM, identity=("phone", f"06-1111222{n}")))
    problem_link_contacts(problem=problem, contacts=others)
    contact = opened(CALM)
    contact_set_reason(contact=contact, reason=reason)

    body = api.get(f"/api/contacts/{contact.pk}/assist").json_body

    known = body["known_problems"]
    assert [(p["reason"]["code"], p["customers"], p["problem_id"]) for p in known] == [
        ("levering", 5, problem.pk)
    ]
    assert known[0]["status"] == "nieuw" and known[0]["title"] == "Pakketten vast in Tilburg"
    problem_hint = hint(body, "known_problem:levering")
    assert "levering" in problem_hint["suggestions"][0]


# --- the draft check ------------------------------------------------------------------------------------


def test_an_informal_draft_to_a_formal_customer_gets_a_register_mismatch(
    api: ApiClient, customer: Customer, opened: Callable[..., Contact]
) -> None:
    contact = opened(FORMAL)
    message = contact.messages.get()

    response = api.post(
        f"/api/contacts/{contact.pk}/draft-check", {"text": "Hoi! Kun je je postcode even sturen?"}
    )

    assert response.status_code == 200
    body = response.json_body
    assert body["register"] == "informal"
    mismatch = next(f for f in body["findings"] if f["key"] == "register_mismatch")
    assert "je" in mismatch["draft_words"]
    assert {"signal": "formal", "words": "Geachte heer", "message_id": message.pk} in mismatch["because"]
    # The customer is recognised: asking for the postcode again is flagged too.
    assert "data_already_known" in [f["key"] for f in body["findings"]]


def test_an_acknowledging_draft_opens_the_solutions(
    api: ApiClient, customer: Customer, opened: Callable[..., Contact]
) -> None:
    contact = opened(ANGRY_REPEAT)
    url = f"/api/contacts/{contact.pk}/draft-check"

    asking = api.post(url, {"text": "Wat is uw postcode?"}).json_body
    acknowledging = api.post(url, {"text": ACKNOWLEDGING}).json_body

    assert (asking["acknowledges"], asking["solutions_open"]) == (False, False)
    assert "data_before_acknowledgement" in [f["key"] for f in asking["findings"]]
    assert (acknowledging["acknowledges"], acknowledging["solutions_open"]) == (True, True)
    assert "acknowledgement" in acknowledging["acts"]
    assert api.get(f"/api/contacts/{contact.pk}/assist").json_body["solutions_open"] is False  # only a draft
    assert contact.messages.count() == 1


def test_the_draft_check_costs_one_query_per_keystroke_until_the_contact_changes(
    api: ApiClient,
    agent: User,
    customer: Customer,
    opened: Callable[..., Contact],
    says: Callable[..., Message],
    settings: Any,
) -> None:
    # The token and its permissions are kept for a few seconds; a loaded machine may take longer than
    # that between the keystrokes below, which is not what this test is about.
    settings.GEZIEN_TOKEN_CACHE_SECONDS = settings.GEZIEN_PERMISSION_CACHE_SECONDS = 600
    contact = opened(ANGRY_REPEAT)
    url = f"/api/contacts/{contact.pk}/draft-check"
    api.post(url, {"text": "Dag"})  # the token, the permissions and the contact's context are kept from here
    with CaptureQueriesContext(connection) as typing:
        assert api.post(url, {"text": ACKNOWLEDGING}).status_code == 200
    assert len(typing) == 1, [q["sql"] for q in typing.captured_queries]  # "has the contact changed?"
    for n in range(10):
        says(contact, f"Nog steeds niets ontvangen ({n}).")
    with CaptureQueriesContext(connection) as changed:
        body = api.post(url, {"text": "Mag ik uw postcode?"}).json_body
    assert len(changed) > 1  # a new message: the context is read again, once
    assert "data_before_acknowledgement" in [f["key"] for f in body["findings"]]
    with CaptureQueriesContext(connection) as again:
        assert api.post(url, {"text": "Mag ik uw postcode?"}).status_code == 200
    assert len(again) == 1


# --- what agents do with hints --------------------------------------------------------------------------


def test_dismissing_a_hint_leaves_it_out_of_the_next_assist_and_is_stored(
    api: ApiClient,
    agent: User,
    colleague: User,
    lead: User,
    customer: Customer,
    opened: Callable[..., Contact],
) -> None:
    contact = opened(ANGRY_REPEAT)
    url = f"/api/contacts/{contact.pk}/hints/listen_first/actions"

    first = api.post(url, {"action": "dismissed", "note": "niet nuttig"})
    again = api.post(url, {"action": "dismissed", "note": "echt niet"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json_body["shown"]["key"] == "listen_first"
    assert first.json_body["shown"]["because"][0]["words"] == "woedend"
    stored = HintAction.objects.get()
    assert (stored.hint, stored.action, stored.note, stored.user) == (
        "listen_first",
        "dismissed",
        "echt niet",
        agent,
    )
    body = api.get(f"/api/contacts/{contact.pk}/assist").json_body
    assert "listen_first" not in keys(body)
    assert body["dismissed"] == 1
    theirs = client_for(colleague).get(f"/api/contacts/{contact.pk}/assist").json_body
    assert "listen_first" in keys(theirs)  # a dismissal is one person's

    mine = api.get(f"/api/contacts/{contact.pk}/hint-actions").json_body
    assert [(a["hint"], a["action"], a["user"]) for a in mine] == [("listen_first", "dismissed", "sanne")]
    assert client_for(colleague).get(f"/api/contacts/{contact.pk}/hint-actions").json_body == []
    assert len(client_for(lead).get(f"/api/contacts/{contact.pk}/hint-actions").json_body) == 1


def test_unfolding_the_solutions_opens_them_before_acknowledging(
    api: ApiClient, customer: Customer, opened: Callable[..., Contact]
) -> None:
    contact = opened(ANGRY_REPEAT)
    response = api.post(f"/api/contacts/{contact.pk}/hints/listen_first/actions", {"action": "unfolded"})
    assert response.status_code == 201
    assert api.get(f"/api/contacts/{contact.pk}/assist").json_body["solutions_open"] is True


# --- protocols, promises --------------------------------------------------------------------------------


def test_an_agent_starts_a_protocol_once(
    api: ApiClient, customer: Customer, opened: Callable[..., Contact]
) -> None:
    contact = opened(CALM)
    url = f"/api/contacts/{contact.pk}/protocols"

    first = api.post(url, {"protocol": "illness"})
    second = api.post(url, {"protocol": "illness"})

    assert (first.status_code, second.status_code) == (201, 200)
    assert (first.json_body["protocol"], first.json_body["started_by"]) == ("illness", "sanne")
    assert ContactProtocol.objects.filter(contact=contact).count() == 1
    assert "protocol:illness" in keys(api.get(f"/api/contacts/{contact.pk}/assist").json_body)
    assert api.post(url, {"protocol": "verdriet"}).status_code == 422


def test_taking_ownership_sets_a_promise_listed_until_it_is_kept(
    api: ApiClient, agent: User, colleague: User, customer: Customer, opened: Callable[..., Contact]
) -> None:
    contact = opened(CALM)
    due = timezone.now() + timedelta(days=1)
    overdue = detail_add(
        customer=customer,
        kind=DetailKind.PROMISE,
        text="Terugbellen over de factuur",
        due_at=timezone.now() - timedelta(hours=2),
        actor=colleague,
    )

    response = api.post(
        f"/api/contacts/{contact.pk}/ownership",
        {"text": "Terugkoppelen over de levering", "due_at": due.isoformat()},
    )

    assert response.status_code == 201
    promise = response.json_body
    assert (promise["kind"], promise["created_by"]) == ("promise", "sanne")
    contact.refresh_from_db()
    assert contact.assigned_agent == agent
    listed = api.get("/api/promises").json_body
    assert [(p["id"], p["overdue"]) for p in listed["items"]] == [(overdue.pk, True), (promise["id"], False)]
    assert listed["items"][0]["customer"]["full_name"] == "Annie Jansen"
    assert [p["id"] for p in api.get("/api/promises?mine=true").json_body["items"]] == [promise["id"]]
    assert [p["id"] for p in api.get("/api/promises?overdue=true").json_body["items"]] == [overdue.pk]

    kept = api.post(f"/api/promises/{promise['id']}/done")
    assert kept.status_code == 200
    assert kept.json_body["done_at"] is not None
    assert [p["id"] for p in api.get("/api/promises").json_body["items"]] == [overdue.pk]


def test_a_promise_needs_a_customer_and_a_moment_ahead(
    api: ApiClient, customer: Customer, opened: Callable[..., Contact]
) -> None:
    unknown = opened(CALM, identity=None)
    known = opened(CALM)
    future = (timezone.now() + timedelta(days=1)).isoformat()
    past = (timezone.now() - timedelta(days=1)).isoformat()

    no_customer = api.post(f"/api/contacts/{unknown.pk}/ownership", {"text": "Bellen", "due_at": future})
    too_late = api.post(f"/api/contacts/{known.pk}/ownership", {"text": "Bellen", "due_at": past})
    nobody_to_remember = api.post(f"/api/contacts/{unknown.pk}/remember-event", {"text": "Overleden"})

    assert (no_customer.status_code, too_late.status_code, nobody_to_remember.status_code) == (422, 422, 422)
    assert too_late.json_body["detail"][0]["loc"] == ["body", "due_at"]
    assert RememberedDetail.objects.count() == 0
    known.refresh_from_db()
    assert known.assigned_agent is None  # a refused promise takes nothing either


def test_only_promises_can_be_kept(api: ApiClient, customer: Customer) -> None:
    note = detail_add(customer=customer, kind=DetailKind.NOTE, text="Slechthorend")
    assert api.post(f"/api/promises/{note.pk}/done").status_code == 404


# --- abuse: incidents, team leads, breaks ---------------------------------------------------------------


def test_two_abusive_messages_log_one_incident_and_tell_the_team_lead(
    api: ApiClient,
    agent: User,
    lead: User,
    customer: Customer,
    opened: Callable[..., Contact],
    says: Callable[..., Message],
) -> None:
    contact = opened(CALM)
    contact_take(contact=contact, actor=agent)
    first = says(contact, "Jij bent een vuile klootzak")
    assert Incident.objects.count() == 0  # the first time: a warning
    says(contact, "Rot op, idioot!")
    says(contact, "Idioot!")

    incident = Incident.objects.get()
    assert (incident.source, incident.agent, incident.contact) == ("detected", agent, contact)
    assert ["abuse", "klootzak", first.pk] in incident.evidence
    assert ContactProtocol.objects.filter(contact=contact, protocol="abuse").exists()

    boss = client_for(lead)
    unread = boss.get("/api/notifications?unread=true").json_body
    # The incident, and (issue 6) that wellbeing now protects the agent from heavy contacts for a while.
    assert sorted(n["kind"] for n in unread["items"]) == ["incident", "wellbeing"]
    note = next(n for n in unread["items"] if n["kind"] == "incident")
    assert (note["contact_id"], note["incident_id"]) == (contact.pk, incident.pk)
    told = api.get("/api/notifications").json_body["items"]
    assert [n["kind"] for n in told] == ["wellbeing"]  # the agent hears of the protection, not the incident
    assert api.post(f"/api/notifications/{note['id']}/read").status_code == 404  # nor can read the lead's
    for item in unread["items"]:
        assert boss.post(f"/api/notifications/{item['id']}/read").json_body["read_at"] is not None
    assert boss.get("/api/notifications?unread=true").json_body["count"] == 0
    assert boss.get("/api/incidents").json_body["items"][0]["id"] == incident.pk

    body = api.get(f"/api/contacts/{contact.pk}/assist").json_body
    assert "abuse_close" in keys(body)
    assert [i["id"] for i in body["incidents"]] == [incident.pk]
    assert body["break_until"] is None
    taken = api.post(f"/api/incidents/{incident.pk}/break", {})
    assert taken.status_code == 200
    assert taken.json_body["break_minutes"] == 10
    assert api.get(f"/api/contacts/{contact.pk}/assist").json_body["break_until"] is not None


def test_an_agent_reports_abuse_and_takes_a_break_of_their_own_length(
    api: ApiClient, lead: User, customer: Customer, opened: Callable[..., Contact]
) -> None:
    contact = opened(CALM)

    response = api.post(f"/api/contacts/{contact.pk}/incidents", {"note": "Schreeuwde aan de telefoon"})

    assert response.status_code == 201
    incident = response.json_body
    assert (incident["source"], incident["reported_by"]["username"]) == ("reported", "sanne")
    assert Notification.objects.filter(recipient=lead, incident_id=incident["id"]).count() == 1
    assert api.post(f"/api/incidents/{incident['id']}/break", {"minutes": 5}).json_body["break_minutes"] == 5
    assert api.post(f"/api/incidents/{incident['id']}/break", {"minutes": 500}).status_code == 422


def test_an_agent_cannot_read_another_agents_incidents(
    api: ApiClient, colleague: User, lead: User, customer: Customer, opened: Callable[..., Contact]
) -> None:
    contact = opened(CALM)
    incident_id = api.post(f"/api/contacts/{contact.pk}/incidents", {"note": "Dreigde"}).json_body["id"]
    other = client_for(colleague)

    assert other.get("/api/incidents").json_body == {"items": [], "count": 0}
    assert other.post(f"/api/incidents/{incident_id}/break", {}).status_code == 404
    assert other.get(f"/api/contacts/{contact.pk}/assist").json_body["incidents"] == []
    assert api.get("/api/incidents").json_body["count"] == 1
    assert client_for(lead).get("/api/incidents").json_body["count"] == 1
    assert Incident.objects.get().break_taken_at is None


# --- warm transfer --------------------------------------------------------------------------------------


def test_a_warm_transfer_connects_only_after_the_colleague_acknowledged(
    api: ApiClient, agent: User, colleague: User, customer: Customer, opened: Callable[..., Contact]
) -> None:
    contact = opened(CALM, channel="phone")
    contact_take(contact=contact, actor=agent)
    other = client_for(colleague)

    announced = api.post(
        f"/api/contacts/{contact.pk}/warm-transfers",
        {"to_agent_id": colleague.pk, "note": "Mevrouw Jansen, pakket kwijt, al 3 keer gebeld"},
    )
    assert announced.status_code == 201
    transfer = announced.json_body
    assert (transfer["state"], transfer["to_agent"]["username"]) == ("announced", "bram")
    assert [t["id"] for t in other.get("/api/warm-transfers").json_body] == [transfer["id"]]
    told = other.get("/api/notifications?unread=true").json_body["items"]
    assert [(n["kind"], n["contact_id"]) for n in told] == [("transfer", contact.pk)]
    assert api.get(f"/api/contacts/{contact.pk}/assist").json_body["transfer"]["id"] == transfer["id"]

    url = f"/api/warm-transfers/{transfer['id']}"
    early = api.post(f"{url}/connect")
    assert early.status_code == 409
    contact.refresh_from_db()
    assert contact.assigned_agent == agent
    assert api.post(f"{url}/acknowledge").status_code == 403  # only the colleague says they are ready

    assert other.post(f"{url}/acknowledge").json_body["state"] == "acknowledged"
    connected = api.post(f"{url}/connect")

    assert connected.status_code == 200
    assert connected.json_body["state"] == "connected"
    contact.refresh_from_db()
    assert contact.assigned_agent == colleague
    assert api.get("/api/warm-transfers").json_body == []
    assert api.post(f"{url}/cancel").status_code == 409


def test_a_warm_transfer_is_for_its_two_people_only(
    api: ApiClient,
    colleague: User,
    make_user: Callable[..., User],
    customer: Customer,
    opened: Callable[..., Contact],
) -> None:
    contact = opened(CALM)
    transfer = api.post(
        f"/api/contacts/{contact.pk}/warm-transfers", {"to_agent_id": colleague.pk, "note": "Pakket"}
    ).json_body
    stranger = client_for(make_user("kees", "agent"))

    assert stranger.post(f"/api/warm-transfers/{transfer['id']}/cancel").status_code == 404
    assert stranger.get("/api/warm-transfers").json_body == []
    second = api.post(
        f"/api/contacts/{contact.pk}/warm-transfers", {"to_agent_id": colleague.pk, "note": "Nog eens"}
    )
    assert second.status_code == 409  # one live transfer per contact
    assert api.post(f"/api/warm-transfers/{transfer['id']}/cancel").json_body["state"] == "cancelled"


# --- bad input, people without a token or a role ------------------------------------------------------


BAD = [
    ("post", "/api/contacts/{c}/draft-check", None, "{not json", 400),
    ("post", "/api/contacts/{c}/draft-check", {"text": "a" * 1_000_000}, None, 422),
    ("post", "/api/contacts/{c}/draft-check", {"text": "a" * 20_001}, None, 422),
    ("post", "/api/contacts/{c}/draft-check", {"text": "Dag\x00"}, None, 422),
    ("post", "/api/contacts/{c}/draft-check", {"text": 12}, None, 422),
    ("post", "/api/contacts/{c}/draft-check", {"text": "Dag", "extra": 1}, None, 422),
    ("post", "/api/contacts/999999/draft-check", {"text": "Dag"}, None, 404),
    ("get", "/api/contacts/999999/assist", None, None, 404),
    ("get", "/api/contacts/99999999999999999999999/assist", None, None, 404),
    ("post", "/api/contacts/{c}/hints/listen_first/actions", None, "{not json", 400),
    ("post", "/api/contacts/{c}/hints/listen_first/actions", {"action": "liked"}, None, 422),
    ("post", "/api/contacts/{c}/hints/listen_first/actions", {"action": ["dismissed"]}, None, 422),
    ("post", "/api/contacts/{c}/hints/listen_first/actions", {"action": "used", "note": "x\x00"}, None, 422),
    (
        "post",
        "/api/contacts/{c}/hints/listen_first/actions",
        {"action": "used", "note": "a" * 1_000_000},
        None,
        422,
    ),
    ("post", "/api/contacts/{c}/hints/" + "h" * 500 + "/actions", {"action": "dismissed"}, None, 422),
    ("post", "/api/contacts/999999/hints/listen_first/actions", {"action": "dismissed"}, None, 404),
    ("post", "/api/contacts/{c}/protocols", {"protocol": 1}, None, 422),
    ("post", "/api/contacts/{c}/protocols", {}, None, 422),
    ("post", "/api/contacts/{c}/ownership", {"text": "Bellen", "due_at": "morgen"}, None, 422),
    (
        "post",
        "/api/contacts/{c}/ownership",
        {"text": "a" * 1_000_000, "due_at": "2099-01-01T10:00:00+01:00"},
        None,
        422,
    ),
    ("post", "/api/contacts/{c}/ownership", {"text": "Bellen", "due_at": "0001-01-01T00:00:00"}, None, 422),
    ("post", "/api/contacts/{c}/remember-event", {"text": "\x00"}, None, 422),
    ("post", "/api/contacts/{c}/incidents", {"note": "a" * 1_000_000}, None, 422),
    ("post", "/api/contacts/{c}/incidents", {"note": "x", "source": "detected"}, None, 422),
    ("post", "/api/contacts/999999/incidents", {"note": "x"}, None, 404),
    ("post", "/api/incidents/999999/break", {}, None, 404),
    ("post", "/api/contacts/{c}/warm-transfers", {"to_agent_id": 999999, "note": "Pakket"}, None, 422),
    ("post", "/api/contacts/{c}/warm-transfers", {"to_agent_id": "bram", "note": "Pakket"}, None, 422),
    ("post", "/api/contacts/{c}/warm-transfers", {"to_agent_id": 1, "note": ""}, None, 422),
    ("post", "/api/warm-transfers/999999/connect", None, None, 404),
    ("post", "/api/notifications/999999/read", None, None, 404),
    ("post", "/api/promises/999999/done", None, None, 404),
    ("get", "/api/promises?overdue=misschien", None, None, 422),
    ("get", "/api/notifications?unread=%00", None, None, 422),
]


@pytest.mark.parametrize(("method", "path", "body", "raw", "status"), BAD)
def test_bad_input_gets_a_4xx_and_stores_nothing(
    api: ApiClient,
    customer: Customer,
    opened: Callable[..., Contact],
    method: str,
    path: str,
    body: Any,
    raw: str | None,
    status: int,
) -> None:
    contact = opened(CALM)
    before = nothing_stored()

    response = api.call(method, path.format(c=contact.pk), body, raw)

    assert response.status_code == status, response.content[:300]
    assert response.json_body["detail"]
    assert nothing_stored() == before


ENDPOINTS = [
    ("get", "/api/contacts/{c}/assist"),
    ("post", "/api/contacts/{c}/draft-check"),
    ("post", "/api/contacts/{c}/hints/listen_first/actions"),
    ("get", "/api/contacts/{c}/hint-actions"),
    ("post", "/api/contacts/{c}/protocols"),
    ("post", "/api/contacts/{c}/ownership"),
    ("post", "/api/contacts/{c}/remember-event"),
    ("post", "/api/contacts/{c}/incidents"),
    ("post", "/api/contacts/{c}/warm-transfers"),
    ("get", "/api/promises"),
    ("post", "/api/promises/1/done"),
    ("get", "/api/incidents"),
    ("post", "/api/incidents/1/break"),
    ("get", "/api/notifications"),
    ("post", "/api/notifications/1/read"),
    ("get", "/api/warm-transfers"),
    ("post", "/api/warm-transfers/1/acknowledge"),
    ("post", "/api/warm-transfers/1/connect"),
    ("post", "/api/warm-transfers/1/cancel"),
]
VALID_BODIES = {
    "draft-check": {"text": "Dag"},
    "actions": {"action": "dismissed"},
    "protocols": {"protocol": "illness"},
    "ownership": {"text": "Bellen", "due_at": "2099-01-01T10:00:00+01:00"},
    "remember-event": {"text": "Overleden"},
    "incidents": {"note": "Schold"},
    "warm-transfers": {"to_agent_id": 1, "note": "Pakket"},
    "break": {},
}


def _valid_body(method: str, path: str) -> Any:
    return VALID_BODIES.get(path.rsplit("/", 1)[-1]) if method == "post" else None


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_without_a_token_every_endpoint_answers_401(
    customer: Customer, opened: Callable[..., Contact], method: str, path: str
) -> None:
    contact = opened(CALM)
    response = ApiClient(None).call(method, path.format(c=contact.pk), _valid_body(method, path))
    assert response.status_code == 401
    assert nothing_stored()["protocols"] == 0


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_a_user_without_a_role_gets_403(
    customer: Customer, opened: Callable[..., Contact], method: str, path: str
) -> None:
    contact = opened(CALM)
    nobody = User.objects.create_user("niemand", password="geheim-wachtwoord-1")
    before = nothing_stored()
    response = client_for(nobody).call(method, path.format(c=contact.pk), _valid_body(method, path))
    assert response.status_code == 403
    assert nothing_stored() == before


def test_every_api_schema_has_a_name_of_its_own() -> None:
    """The OpenAPI schema names its components after the schema classes: two classes of one name in
    different routers would silently share one description, and clients would read the wrong fields."""
    import gezien.api.main  # noqa: F401 -- every router, with its schemas

    def subclasses(cls: type) -> list[type]:
        return [sub for direct in cls.__subclasses__() for sub in (direct, *subclasses(direct))]

    mine = {c for c in subclasses(Schema) if c.__module__.startswith("gezien.api.")}
    names = Counter(c.__name__ for c in mine)
    assert [name for name, n in names.items() if n > 1] == []
