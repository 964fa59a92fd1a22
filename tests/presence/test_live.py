"""The live board: what a team lead sees on the floor right now, as a page that refreshes itself and as
an API; agents set their own state from the top bar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.services import team_ensure
from gezien.accounts.tokens import token_create
from gezien.contacts.models import Contact, Status
from gezien.contacts.services import contact_open, contact_take, message_add
from gezien.insights.facts import facts_refresh
from gezien.planning.live import DEFAULT_AHT_SECONDS, MIN_AHT_SAMPLES, LiveScope, live_board
from gezien.presence.models import StateSpan
from gezien.presence.selectors import current_state
from gezien.presence.services import signed_in, state_set
from gezien.routing.models import RoutingProfile
from gezien.workforce import erlang_a_metrics, required_agents
from tests.conftest import ApiClient, clock_from

# A Wednesday afternoon: the day's calls of the last hours lie on the same day.
AMS = ZoneInfo("Europe/Amsterdam")
AFTERNOON = datetime(2026, 11, 18, 15, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))

Maker = Callable[..., User]


def call(minutes_ago: float, *, phone: str = "0612345678", channel: str = "phone") -> Contact:
    text = "" if channel == "phone" else "Goedemiddag, mijn internet doet het niet."
    opened = timezone.now() - timedelta(minutes=minutes_ago)
    return contact_open(channel=channel, identities=[("phone", phone)], text=text, at=opened).contact


def present(user: User, state: str = "available", kind: str = "", minutes_ago: float = 0) -> None:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    signed_in(user=user, now=at)
    if state != "available":
        state_set(user=user, state=state, break_kind=kind, actor=user, now=at)
    RoutingProfile.objects.update_or_create(user=user, defaults={"last_seen_at": timezone.now()})


@pytest.fixture
def lead(make_user: Maker) -> User:
    return make_user("karin", "teamlead", first_name="Karin", last_name="Postma")


def test_the_board_shows_the_queue_the_service_level_and_who_is_doing_what(
    make_user: Maker, lead: User, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock_from(monkeypatch, AFTERNOON)  # the contacts of minutes ago fall on today
    sanne, bram, eva = make_user("sanne"), make_user("bram"), make_user("eva")
    present(sanne, minutes_ago=50)
    present(bram, "break", "lunch", minutes_ago=20)
    present(eva, minutes_ago=30)
    RoutingProfile.objects.filter(user=eva).update(capacity={"phone": 0})
    # Today: one call answered at once, one answered after 2 minutes, two waiting (one for 100 s: within
    # the phone target's patience of 120 s, so still on the line).
    with django_capture_on_commit_callbacks(execute=True):
        answered = call(0.1)
        contact_take(contact=answered, actor=sanne)
    late = call(6, phone="0687654321")
    message_add(
        contact=late,
        author="agent",
        text="Goedemiddag, u spreekt met Sanne.",
        agent=sanne,
        at=late.opened_at + timedelta(minutes=2),
    )
    call(100 / 60, phone="0611111111")
    call(0.1, phone="0622222222")
    board = live_board(LiveScope(None))
    phone = next(c for c in board.channels if c.channel == "phone")
    assert phone.waiting == 2
    assert 100 - 2 <= (phone.longest_wait_seconds or 0) <= 100 + 30
    # within 20 s: the first; late: the second and the call waiting 100 s; the newest is not late yet.
    assert (phone.within_target_today, phone.missed_today) == (1, 2)
    assert phone.service_level == pytest.approx(1 / 3)
    assert phone.below_target
    assert phone.agents_by_state.get("in_contact") == 1 and phone.agents_by_state.get("break") == 1
    assert "available" not in phone.agents_by_state  # Eva does not take calls
    chat = next(c for c in board.channels if c.channel == "chat")
    assert chat.agents_by_state.get("available") == 1  # Eva
    states = {row.user.username: row.state for row in board.agents}
    assert states == {"sanne": "in_contact", "bram": "break", "eva": "available", "karin": "offline"}
    bram_row = next(r for r in board.agents if r.user == bram)
    assert 19 * 60 <= bram_row.seconds_in_state <= 21 * 60
    eva_row = next(r for r in board.agents if r.user == eva)
    assert eva_row.occupancy == 0.0


def test_the_live_queue_asks_to_scale_up_with_the_expected_service_levels(
    make_user: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock_from(monkeypatch, AFTERNOON)  # the desk is open (closed, nobody is asked to come in)
    sanne = make_user("sanne")
    present(sanne, minutes_ago=60)
    for i in range(40):
        call(60 - i * 1.5, phone=f"06{20000000 + i}")
    board = live_board(LiveScope(None))
    phone = next(c for c in board.channels if c.channel == "phone")
    assert phone.scale_up is not None
    target = phone.target
    assert target is not None
    arrivals = phone.arrivals_last_hour + phone.waiting
    expected = required_agents(
        arrivals,
        3600,
        phone.aht_seconds,
        target.target_seconds,
        target.service_level,
        patience_s=target.patience_seconds,
        concurrency=target.concurrency,
    )
    assert phone.scale_up.needed == expected.agents and phone.scale_up.present == 1
    assert phone.scale_up.short == expected.agents - 1
    with_them = erlang_a_metrics(
        arrivals, 3600, phone.aht_seconds, target.patience_seconds, expected.agents, target.target_seconds
    )
    assert phone.scale_up.service_level_with == pytest.approx(with_them.service_level_offered)
    assert phone.scale_up.service_level_now < target.service_level <= phone.scale_up.service_level_with
    chat = next(c for c in board.channels if c.channel == "chat")
    assert chat.scale_up is None  # nobody chatting: nothing to ask


def test_the_need_is_read_with_the_last_hours_handling_time(
    make_user: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The calls of the last hour set the handling time the need is computed with; the day's calls only
    when the last hour has too few closed ones, and a default before either says anything."""
    clock_from(monkeypatch, AFTERNOON)  # this morning's calls fall on today

    def closed_calls(n: int, minutes_ago: float, lasting: int, start: int) -> None:
        ids = []
        for i in range(n):
            contact = call(minutes_ago - i, phone=f"06{30000000 + start + i}")
            Contact.objects.filter(pk=contact.pk).update(
                status=Status.CLOSED, closed_at=contact.opened_at + timedelta(minutes=lasting)
            )
            ids.append(contact.pk)
        facts_refresh(ids)

    def aht() -> float:
        board = live_board(LiveScope(None))
        return next(c for c in board.channels if c.channel == "phone").aht_seconds

    present(make_user("sanne"), minutes_ago=60)
    assert aht() == DEFAULT_AHT_SECONDS["phone"]
    closed_calls(MIN_AHT_SAMPLES, 4 * 60, 2, 0)  # this morning: two-minute calls
    assert aht() == 120
    closed_calls(MIN_AHT_SAMPLES - 1, 50, 6, 100)  # the last hour: six-minute calls, one too few
    assert aht() == pytest.approx((10 * 120 + 9 * 360) / 19)
    closed_calls(1, 20, 6, 200)
    assert aht() == 360


def test_the_board_costs_the_same_queries_for_5_or_60_agents(make_user: Maker, lead: User) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            live_board(LiveScope(None))
        return len(captured)

    for i in range(5):
        present(make_user(f"a{i}"), minutes_ago=10)
    call(3)
    few = queries()
    for i in range(5, 60):
        present(make_user(f"a{i}"), "break" if i % 3 else "available", "short" if i % 3 else "", 5)
    assert queries() == few


def test_a_team_lead_sees_their_team_and_a_manager_everyone(make_user: Maker, lead: User) -> None:
    zuid = team_ensure(name="Team Zuid")
    make_user("sanne")
    make_user("emre", team=zuid)
    client = Client()
    client.force_login(lead)
    page = client.get("/desk/live/").content.decode()
    assert "Sanne" in page and "Emre" not in page
    manager = make_user("mo", "manager", team=None)
    client.force_login(manager)
    page = client.get("/desk/live/").content.decode()
    assert "Sanne" in page and "Emre" in page


def test_the_page_refreshes_itself_and_escapes_names(make_user: Maker, lead: User) -> None:
    make_user("x", first_name="<script>alert(1)</script>")
    client = Client()
    client.force_login(lead)
    page = client.get("/desk/live/").content.decode()
    assert 'hx-get="/desk/live/panel/?refresh=1"' in page and 'hx-trigger="every 5s"' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    panel = client.get("/desk/live/panel/")
    assert panel.status_code == 200 and "<html" not in panel.content.decode()
    assert 'data-testid="live-channel-phone"' in panel.content.decode()


def test_agents_do_not_see_the_board(desk: Client) -> None:
    assert desk.get("/desk/live/").status_code == 403
    assert desk.get("/desk/live/panel/").status_code == 403
    assert 'data-testid="live-link"' not in desk.get("/desk/").content.decode()


def test_the_top_bar_sets_ones_own_state(desk: Client, agent: User) -> None:
    page = desk.get("/desk/").content.decode()
    assert 'data-testid="my-state" data-state="available"' in page
    done = desk.post("/desk/presence/state/", {"choice": "break:lunch", "minutes": "30", "next": "/desk/"})
    assert done.status_code == 302 and done["Location"] == "/desk/"
    current = current_state(agent.pk)
    assert current is not None and (current.state, current.break_kind) == ("break", "lunch")
    assert 'data-state="break"' in desk.get("/desk/").content.decode()
    for bad in (
        {"choice": "in_contact"},
        {"choice": "break:nap"},
        {"choice": "break:short", "minutes": "999"},
    ):
        desk.post("/desk/presence/state/", bad)
        assert current_state(agent.pk).break_kind == "lunch"  # type: ignore[union-attr]
    assert StateSpan.objects.filter(user=agent).count() == 2


def test_a_lead_signs_off_someone_who_left_from_the_board(make_user: Maker, lead: User) -> None:
    sanne = make_user("sanne")
    present(sanne)
    other = make_user("emre", team=team_ensure(name="Team Zuid"))
    present(other)
    client = Client()
    client.force_login(lead)
    client.post(f"/desk/live/agents/{sanne.pk}/state/", {"choice": "offline"})
    assert current_state(sanne.pk).state == "offline"  # type: ignore[union-attr]
    client.post(f"/desk/live/agents/{other.pk}/state/", {"choice": "offline"})
    assert current_state(other.pk).state == "available"  # type: ignore[union-attr]
    assert client.post("/desk/live/agents/987654/state/", {"choice": "offline"}).status_code == 404


def api_for(user: User) -> ApiClient:
    return ApiClient(token_create(user=user, name="test")[1])


def test_the_api_reads_and_sets_states_and_the_board(make_user: Maker, lead: User, agent: User) -> None:
    mine = api_for(agent)
    assert mine.get("/api/me/state").json_body["state"] == "offline"
    done = mine.call("put", "/api/me/state", {"state": "break", "break_kind": "short", "minutes": 10})
    assert done.status_code == 200
    body = done.json_body
    assert (body["state"], body["break_kind"], body["label"], body["set_by"]) == (
        "break",
        "short",
        "Korte pauze",
        "agent",
    )
    for bad in (
        {"state": "in_contact"},
        {"state": "break", "break_kind": "nap"},
        {"state": "break", "minutes": 0},
        {"state": "break", "minutes": "10"},
        {"state": "offline", "minutes": 10},
        [],
    ):
        assert mine.call("put", "/api/me/state", bad).status_code == 422, bad
    assert mine.call("put", "/api/me/state", raw="{not json").status_code in (400, 422)
    assert StateSpan.objects.filter(user=agent).count() == 1
    assert mine.get("/api/live").status_code == 403
    assert mine.call("put", f"/api/agents/{agent.pk}/state", {"state": "offline"}).status_code == 403

    boss = api_for(lead)
    board = boss.get("/api/live")
    assert board.status_code == 200
    channels = {c["channel"]: c for c in board.json_body["channels"]}
    assert set(channels) == {"phone", "chat", "email", "webform"}
    assert channels["phone"]["target_seconds"] == 20
    agents = {a["name"]: a for a in board.json_body["agents"]}
    assert agents["Sanne de Vries"]["state"]["state"] == "break"
    signed_off = boss.call("put", f"/api/agents/{agent.pk}/state", {"state": "offline"})
    assert signed_off.status_code == 200 and signed_off.json_body["set_by"] == "lead"
    assert boss.call("put", "/api/agents/987654/state", {"state": "offline"}).status_code == 404
    elsewhere = make_user("emre", team=team_ensure(name="Team Zuid"))
    assert boss.call("put", f"/api/agents/{elsewhere.pk}/state", {"state": "offline"}).status_code == 403
    assert Contact.objects.filter(status=Status.OPEN).count() == 0


def test_team_leads_hear_once_an_hour_when_the_live_queue_needs_more_people(
    make_user: Maker, lead: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock_from(monkeypatch, AFTERNOON)  # the desk is open
    from gezien.notifications.models import Notification
    from gezien.planning.live_alerts import live_scale_up_alerts

    zuid_lead = make_user("bas", "teamlead", team=team_ensure(name="Team Zuid"))
    present(make_user("sanne"), minutes_ago=60)
    for i in range(40):
        call(60 - i * 1.5, phone=f"06{20000000 + i}")
    now = timezone.now()
    assert live_scale_up_alerts(now) >= 1
    (told,) = Notification.objects.filter(recipient=lead, kind="capacity")
    assert told.text.startswith("Live Telefoon: ") and "extra nodig" in told.text
    assert told.link == "/desk/live/"
    live_scale_up_alerts(now + timedelta(minutes=30))  # within the hour: quiet
    assert Notification.objects.filter(recipient=lead, text__startswith="Live Telefoon").count() == 1
    # An hour on, the first hour's callers have hung up (past their patience): a new hour's calls come in.
    for i in range(40):
        call(60 - i * 1.5 - 61, phone=f"06{30000000 + i}")
    live_scale_up_alerts(now + timedelta(minutes=61))
    assert Notification.objects.filter(recipient=lead, text__startswith="Live Telefoon").count() == 2
    # Bas's team has nobody on the phone and the calls are of no team: he hears it too, for his board.
    assert Notification.objects.filter(recipient=zuid_lead, kind="capacity").exists()


def test_a_call_nobody_took_past_its_patience_is_abandoned_not_waiting(
    make_user: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20: "langst 9 u 58" for a waiting call. Past the phone target's patience (120 s) the caller
    has hung up: the call counts as abandoned, not as waiting; a callback request (the caller left a
    message) still waits, and so does a chat."""
    clock_from(monkeypatch, AFTERNOON)
    call(10 * 60, phone="0611111111")  # ten hours ago, nothing said: the caller is long gone
    call(1, phone="0622222222")  # a minute ago: on the line
    callback = call(90, phone="0633333333")
    message_add(contact=callback, author="customer", text="Wilt u mij terugbellen over mijn factuur?")
    call(30, phone="0644444444", channel="chat")
    board = live_board(LiveScope(None))
    phone = next(c for c in board.channels if c.channel == "phone")
    chat = next(c for c in board.channels if c.channel == "chat")
    assert phone.waiting == 2 and phone.abandoned_today == 1
    assert 89 * 60 <= (phone.longest_wait_seconds or 0) <= 91 * 60  # the callback request, not 10 hours
    assert chat.waiting == 1
    # The queue's tabs count what the board counts.
    make_user("sanne")
    desk = Client()
    desk.force_login(User.objects.get(username="sanne"))
    page = desk.get("/desk/")
    assert page.status_code == 200
    assert page.context["counts"]["phone"] == 2 and page.context["counts"]["chat"] == 1


def test_an_agent_on_every_channel_is_counted_once_on_the_floor(
    make_user: Maker, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 20: the same six agents counted on all four channel cards. Each person counts once: someone
    on a call on the phone card, the others apportioned over the channels they take."""
    people = [make_user(f"agent{n}") for n in range(6)]
    for person in people:
        present(person, minutes_ago=30)
    with django_capture_on_commit_callbacks(execute=True):
        contact_take(contact=call(0.5), actor=people[0])
    board = live_board(LiveScope(None))
    for state in ("available", "in_contact"):
        per_card = sum(c.agents_by_state.get(state, 0) for c in board.channels)
        assert per_card == board.states[state]
    phone = next(c for c in board.channels if c.channel == "phone")
    assert phone.agents_by_state.get("in_contact") == 1
    assert sum(c.agents_by_state.get("available", 0) for c in board.channels) == 5


@pytest.mark.parametrize(
    ("moment", "day", "reopens"),
    [  # a Wednesday night; Christmas Day, a Friday: Tweede Kerstdag (Saturday) and Sunday closed too
        (datetime(2026, 11, 18, 22, 30, tzinfo=AMS), "", datetime(2026, 11, 19, 8, 0, tzinfo=AMS)),
        (
            datetime(2026, 12, 25, 11, 0, tzinfo=AMS),
            "Eerste kerstdag",
            datetime(2026, 12, 28, 8, 0, tzinfo=AMS),
        ),
    ],
)
def test_the_board_says_plainly_when_the_desk_is_closed(
    make_user: Maker,
    lead: User,
    monkeypatch: pytest.MonkeyPatch,
    moment: datetime,
    day: str,
    reopens: datetime,
) -> None:
    """Issue 20: at night or on a holiday the board said nothing of it and asked for more people on a
    queue nobody could take. Closed, it says so, when it opens again, and asks nobody to come in; the
    same on the API. Open (the afternoon), it says nothing of it."""
    clock_from(monkeypatch, moment)
    present(make_user("sanne"), minutes_ago=60)
    for i in range(40):
        call(60 - i * 1.5, phone=f"06{20000000 + i}")
    board = live_board(LiveScope(None))
    assert board.closed is not None and board.closed.day_name == day
    assert board.closed.reopens == reopens
    assert all(c.scale_up is None for c in board.channels)
    client = Client()
    client.force_login(lead)
    html = client.get("/desk/live/").content.decode()
    assert 'data-testid="desk-closed"' in html and 'data-testid="scale-up"' not in html
    assert (f"Gesloten: {day}." if day else "Gesloten: buiten de openingstijden.") in html
    boss = ApiClient(token_create(user=make_user("mila", "manager"), name="t")[1])
    answer = boss.get("/api/live").json_body
    assert answer["open_now"] is False and answer["closed_day"] == (day or None)
    assert datetime.fromisoformat(answer["reopens_at"]) == reopens
    clock_from(monkeypatch, AFTERNOON)
    assert live_board(LiveScope(None)).closed is None and boss.get("/api/live").json_body["open_now"]
