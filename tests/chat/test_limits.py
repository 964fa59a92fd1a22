"""Rate limits per session and per client address answer 429 with Retry-After in the error body."""

from __future__ import annotations

from gezien.chat.limits import TooMany, rate_check
from gezien.chat.models import ChatWidget
from gezien.contacts.models import Message
from tests.chat.conftest import Visitor


def test_a_session_over_its_rate_gets_429_with_retry_after(visitor: Visitor, widget: ChatWidget) -> None:
    widget.session_rate = 3
    widget.save()
    visitor.start()
    for n in range(3):
        assert visitor.say(f"bericht {n}").status_code == 201
    refused = visitor.say("nog een")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert refused.body["detail"][0]["type"] == "TooMany"
    assert refused["Access-Control-Allow-Origin"]  # the widget can read it
    assert Message.objects.count() == 3
    # Another visitor (another address) is not held back by this one.
    other = Visitor(widget, address="198.51.100.7")
    other.start()
    assert other.say("hallo").status_code == 201


def test_one_address_opening_many_sessions_is_held_back(widget: ChatWidget) -> None:
    widget.address_rate = 2
    widget.save()
    visitor = Visitor(widget, address="203.0.113.5")
    assert visitor.start().status_code == 201
    assert visitor.start().status_code == 201
    refused = visitor.start()
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1


def test_the_window_ends_after_a_minute() -> None:
    for _ in range(2):
        rate_check("test", "x", 2, now=120.0)
    try:
        rate_check("test", "x", 2, now=150.0)
    except TooMany as exc:
        assert exc.retry_after == 31
    else:
        raise AssertionError("a third request in the window passed")
    rate_check("test", "x", 2, now=180.0)  # a new window
