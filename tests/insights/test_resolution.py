"""Honest resolution: matters across channels, the naive "no callback" figure next to honest FCR."""

from __future__ import annotations

import pytest

from gezien.contacts.models import ContactEvent, Matter
from gezien.insights.models import ContactFact
from gezien.insights.resolution.rules import window_end
from gezien.insights.resolution.services import matter_confirm, resolution_tick
from gezien.insights.rollups import insights_catch_up
from tests.insights.resolution_helpers import annie, at, committed, contact, family, weekdays

pytestmark = pytest.mark.django_db
_fixtures = (annie, family, weekdays)


def fact(c):
    return ContactFact.objects.get(pk=c.pk)


def tick(now):
    with committed():
        return resolution_tick(now)


def test_late_delivery_call_then_chat_two_working_days_later(annie, family, weekdays):
    # Friday before Koningsdag (Monday 27 April 2026): the weekend and the holiday are not working days.
    call = contact(
        "phone", at(2026, 4, 24, 10), family["vertraagd"], closed=at(2026, 4, 24, 10, 8), seconds=420
    )
    # Tuesday 28 is working day 1, Wednesday 29 working day 2: the customer chats about the same parcel.
    chat = contact("chat", at(2026, 4, 29, 14), family["levering"], closed=at(2026, 4, 29, 14, 20))
    assert call.matter_id is not None and chat.matter_id == call.matter_id
    matter = Matter.objects.get(pk=call.matter_id)
    assert matter.state == "open"

    assert tick(at(2026, 5, 20)).settled == [matter.pk]
    matter.refresh_from_db()
    assert matter.resolution == "no_return"
    # Five working days after Wednesday 29 April: 30 April, 1, 4, (5 May Bevrijdingsdag), 6, 7 May.
    assert matter.resolved_at == at(2026, 5, 8, 0)

    insights_catch_up()
    call_fact, chat_fact = fact(call), fact(chat)
    assert call_fact.naive_resolved == "yes"  # no second phone call: the naive figure says solved
    assert call_fact.honest_resolved == "no"  # but the customer came back by chat
    assert call_fact.first_of_matter and not call_fact.is_repeat
    assert chat_fact.is_repeat and not chat_fact.first_of_matter
    assert call_fact.handling_seconds == 420


def test_the_window_skips_the_weekend_and_koningsdag(weekdays):
    closed = at(2026, 4, 24, 16)  # Friday
    # 28, 29, 30 April, 1 May, 4 May: the window ends at midnight after Monday 4 May.
    assert window_end(closed) == at(2026, 5, 5, 0)


def test_saturday_counts_when_the_desk_opens_on_saturday(settings):
    from gezien.core.calendar import default_calendar

    settings.GEZIEN_OPENING_HOURS = "ma-vr 08:00-18:00; za 09:00-13:00"
    default_calendar.cache_clear()
    try:
        # Friday 5 June 2026: Saturday 6, Monday 8 ... Thursday 11 are the five working days.
        assert window_end(at(2026, 6, 5, 16)) == at(2026, 6, 12, 0)
    finally:
        default_calendar.cache_clear()


def test_a_call_back_on_the_same_channel_is_what_the_naive_figure_sees(annie, family, weekdays):
    first = contact("phone", at(2026, 6, 1, 9), family["vertraagd"], closed=at(2026, 6, 1, 9, 10))
    contact("phone", at(2026, 6, 3, 9), family["factuur"], closed=at(2026, 6, 3, 9, 5))
    tick(at(2026, 7, 1))
    insights_catch_up()
    assert fact(first).naive_resolved == "no"  # any reason counts for "no callback"
    assert fact(first).honest_resolved == "yes"  # the delivery matter needed only this call


def test_the_naive_figure_waits_for_its_window(annie, family, weekdays):
    from gezien.insights.facts import facts_refresh

    # Monday 1 March 2027 (after today): the five working days are 2-5 and Monday 8 March.
    first = contact("chat", at(2027, 3, 1, 9), family["vertraagd"], closed=at(2027, 3, 1, 9, 10))
    insights_catch_up()
    assert fact(first).naive_resolved == "pending"
    assert tick(at(2027, 3, 8, 23)).naive_stale == 0
    # The tick notices the window passed and marks the fact for rebuilding.
    assert tick(at(2027, 3, 9, 1)).naive_stale == 1
    facts_refresh([first.pk], now=at(2027, 3, 9, 1))
    assert fact(first).naive_resolved == "yes"


def test_coming_back_after_the_window_starts_a_new_matter(annie, family, weekdays):
    first = contact("email", at(2026, 6, 1, 9), family["vertraagd"], closed=at(2026, 6, 1, 11))
    later = contact("chat", at(2026, 6, 15, 9), family["vertraagd"], closed=at(2026, 6, 15, 9, 30))
    assert later.matter_id != first.matter_id
    old = Matter.objects.get(pk=first.matter_id)
    assert old.state == "resolved" and old.resolution == "no_return"
    assert old.resolved_at == at(2026, 6, 9, 0)  # 2, 3, 4, 5, 8 June


def test_another_reason_family_is_another_matter(annie, family, weekdays):
    delivery = contact("email", at(2026, 6, 1, 9), family["vertraagd"])
    invoice = contact("email", at(2026, 6, 2, 9), family["factuur"])
    assert delivery.matter_id != invoice.matter_id


def test_an_open_contact_keeps_its_matter_open(annie, family, weekdays):
    first = contact("email", at(2026, 6, 1, 9), family["vertraagd"])
    tick(at(2026, 7, 1))
    assert Matter.objects.get(pk=first.matter_id).state == "open"


def test_confirmation_resolves_and_nee_reopens(annie, family, weekdays):
    call = contact("phone", at(2026, 6, 1, 9), family["vertraagd"], closed=at(2026, 6, 1, 9, 10))
    matter = Matter.objects.get(pk=call.matter_id)
    with committed():
        matter_confirm(matter=matter, resolved=True, contact=call, at=at(2026, 6, 1, 9, 10))
    matter.refresh_from_db()
    assert (matter.state, matter.resolution) == ("resolved", "confirmed")
    insights_catch_up()
    assert fact(call).honest_resolved == "yes"

    with committed():
        matter_confirm(matter=matter, resolved=False, contact=call, at=at(2026, 6, 3, 12))
    matter.refresh_from_db()
    assert matter.state == "open" and matter.resolved_at is None
    insights_catch_up()
    assert fact(call).honest_resolved == "no"
    # The "nee" restarts the no-return clock: five working days after 3 June, not after the call.
    assert tick(at(2026, 6, 9, 12)).settled == []
    assert tick(at(2026, 6, 11, 12)).settled == [matter.pk]
    insights_catch_up()
    assert fact(call).honest_resolved == "no"  # the customer said "nee": not solved the first time
    actions = list(
        ContactEvent.objects.filter(contact=call, kind="matter").values_list("data__action", flat=True)
    )
    assert actions == ["auto", "confirmed", "not_resolved"]


def test_unidentified_callers_are_matched_on_their_number_for_the_naive_figure(family, weekdays):
    stranger = ("phone", "06-23456789")
    first = contact(
        "phone", at(2026, 6, 1, 9), family["vertraagd"], closed=at(2026, 6, 1, 9, 5), identity=stranger
    )
    contact("phone", at(2026, 6, 2, 9), family["vertraagd"], closed=at(2026, 6, 2, 9, 5), identity=stranger)
    lone = contact(
        "phone", at(2026, 6, 1, 11), None, closed=at(2026, 6, 1, 11, 5), identity=("phone", "06-34567890")
    )
    insights_catch_up()
    assert first.matter_id is None  # no customer, no matter: honest FCR does not count it
    assert fact(first).naive_resolved == "no"
    assert fact(first).honest_resolved == "pending" and not fact(first).first_of_matter
    assert fact(lone).naive_resolved == "yes"


def test_the_fact_contributor_costs_the_same_queries_for_2_and_12_contacts(
    annie, family, weekdays, django_assert_num_queries
):
    from gezien.contacts.models import Contact
    from gezien.insights.resolution.facts import resolution_facts

    for day in range(1, 13):
        contact("chat", at(2026, 6, day, 9), family["vertraagd"], closed=at(2026, 6, day, 9, 5))
    contacts = list(Contact.objects.order_by("pk"))
    with django_assert_num_queries(5):
        resolution_facts(contacts[:2], at(2026, 7, 1))
    with django_assert_num_queries(5):
        out = resolution_facts(contacts, at(2026, 7, 1))
    assert len(out) == 12
