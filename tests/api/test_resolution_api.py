"""API of honest resolution: matters across channels, the customer's word, links, and the figures."""

from __future__ import annotations

from typing import Any

import pytest

from gezien.contacts.models import Matter
from gezien.insights.resolution.services import resolution_tick
from tests.insights.resolution_helpers import annie, at, committed, contact, family, weekdays

pytestmark = pytest.mark.django_db
_fixtures = (annie, family, weekdays)


def _call(client, method, path, body=None):
    with committed():
        return client.call(method, path, body)


def test_a_matter_across_channels_and_the_customers_matters(api, annie, family, weekdays):
    call = contact("phone", at(2026, 4, 24, 10), family["vertraagd"], closed=at(2026, 4, 24, 10, 8))
    chat = contact("chat", at(2026, 4, 29, 14), family["levering"], closed=at(2026, 4, 29, 14, 20))
    matter = api.get(f"/api/matters/{call.matter_id}").json_body
    assert [c["id"] for c in matter["contacts"]] == [call.pk, chat.pk]
    assert [c["channel"] for c in matter["contacts"]] == ["phone", "chat"]
    assert matter["state"] == "open" and matter["reason"] == "levering_vertraagd"
    assert matter["settles_at"].startswith("2026-05-08T00:00:00")  # Bevrijdingsdag skipped
    listed = api.get(f"/api/customers/{annie.pk}/matters").json_body
    assert [m["id"] for m in listed] == [call.matter_id]
    assert api.get("/api/matters/999999").status_code == 404
    assert api.get("/api/customers/999999/matters").status_code == 404


def test_confirm_and_say_nee(api, annie, family, weekdays):
    call = contact("phone", at(2026, 6, 1, 9), family["vertraagd"], closed=at(2026, 6, 1, 9, 10))
    done = _call(api, "post", f"/api/matters/{call.matter_id}/confirm", {"resolved": True})
    assert done.status_code == 200
    assert (done.json_body["state"], done.json_body["resolution"]) == ("resolved", "confirmed")
    again = _call(api, "post", f"/api/matters/{call.matter_id}/confirm", {"resolved": False})
    assert again.json_body["state"] == "open" and again.json_body["resolved_at"] is None
    bad = _call(api, "post", f"/api/matters/{call.matter_id}/confirm", {"resolved": "misschien"})
    assert bad.status_code == 422


def test_link_unlink_and_proposals(api, annie, family, weekdays):
    call = contact("phone", at(2026, 6, 1, 9), family["vertraagd"], closed=at(2026, 6, 1, 9, 10))
    mail = contact("email", at(2026, 6, 22, 9), family["vertraagd"])  # after the window: its own matter
    proposals = api.get(f"/api/contacts/{mail.pk}/matter/proposals").json_body
    assert proposals == [
        {
            "contact_id": call.pk,
            "channel": "phone",
            "opened_at": proposals[0]["opened_at"],
            "reason": "levering_vertraagd",
            "matter_id": call.matter_id,
        }
    ]
    linked = _call(api, "post", f"/api/contacts/{mail.pk}/matter", {"matter_id": call.matter_id})
    assert linked.status_code == 200 and linked.json_body["id"] == call.matter_id
    assert len(linked.json_body["contacts"]) == 2
    assert api.get(f"/api/contacts/{mail.pk}/matter/proposals").json_body == []
    own = _call(api, "post", f"/api/contacts/{mail.pk}/matter", {"matter_id": None})
    assert own.json_body["id"] != call.matter_id and [c["id"] for c in own.json_body["contacts"]] == [mail.pk]
    # The only contact of a matter cannot leave it for a matter of its own.
    assert _call(api, "post", f"/api/contacts/{mail.pk}/matter", {"matter_id": None}).status_code == 409
    assert _call(api, "post", f"/api/contacts/{mail.pk}/matter", {"matter_id": 999999}).status_code == 404


def test_another_customers_matter_is_refused(api, annie, family, weekdays):
    from gezien.customers.services import customer_create

    mine = contact("email", at(2026, 6, 1, 9), family["vertraagd"])
    customer_create(first_name="Piet", last_name="Bakker", identities=[("email", "piet@example.nl")])
    theirs = contact("email", at(2026, 6, 1, 10), family["vertraagd"], identity=("email", "piet@example.nl"))
    answer = _call(api, "post", f"/api/contacts/{mine.pk}/matter", {"matter_id": theirs.matter_id})
    assert answer.status_code == 409
    assert "andere klant" in answer.json_body["detail"][0]["msg"]
    assert Matter.objects.get(pk=mine.matter_id).contacts.count() == 1


def test_the_figures_are_scoped_and_export_csv(api, api_as, annie, family, weekdays):
    contact("phone", at(2026, 4, 24, 10), family["vertraagd"], closed=at(2026, 4, 24, 10, 8), seconds=300)
    contact("chat", at(2026, 4, 29, 14), family["levering"], closed=at(2026, 4, 29, 14, 20))
    with committed():
        resolution_tick(at(2026, 5, 20))
    manager = api_as("manager")
    report = manager.get("/api/insights/resolution?from=2026-04-20&to=2026-05-10&dim=channel").json_body
    phone = next(g for g in report["groups"] if g["key"] == "phone")["figures"]
    assert phone["naive_resolution"] == 1.0 and phone["honest_fcr"] == 0.0 and phone["resolution_gap"] == 1.0
    assert phone["handling_minutes"] == 5.0
    assert report["working_days"] == 5
    overall = manager.get("/api/insights/resolution?from=2026-04-20&to=2026-05-10").json_body["groups"][0]
    assert overall["figures"]["repeat_rate"] == 0.5
    csv = manager.get("/api/insights/resolution?from=2026-04-20&to=2026-05-10&dim=reason&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Levering vertraagd" in csv.content.decode("utf-8-sig")
    assert manager.get("/api/insights/resolution?dim=planeet").status_code == 422
    assert manager.get("/api/insights/resolution?from=2026-13-01").status_code == 422
    assert api.get("/api/insights/resolution").status_code == 403  # an agent sees no insights


@pytest.fixture(autouse=True)
def _analyse_inline(settings: Any) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = True  # insights read signals; with DATABASE_URL the default is a task
