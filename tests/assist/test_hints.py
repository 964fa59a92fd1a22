"""The hints a contact gets when it opens: each rule, each citing the customer's words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from gezien.analysis import Analyzer
from gezien.assist import phrases
from gezien.assist.hints import matter_title
from gezien.assist.models import ContactProtocol, HintAction, Incident
from gezien.assist.phone import greeting, part_of_day
from gezien.assist.situation import Matter
from gezien.contacts.models import Contact, ContactReason
from gezien.customers.services import detail_add


def _keys(assist) -> list[str]:
    return [h.key for h in assist.hints]


def _hint(assist, key):
    return next(h for h in assist.hints if h.key == key)


def test_an_angry_customer_gets_listen_first_with_their_words_and_acknowledgements_in_their_register(
    open_contact, assist_of
) -> None:
    contact = open_contact("Ik ben echt woedend! Kunt u mij uitleggen waarom mijn internet er weer uitligt?")
    assist = assist_of(contact)
    hint = _hint(assist, "listen_first")
    assert any("woedend" in c.words for c in hint.because)
    assert hint.suggestions[0] == phrases.ACKNOWLEDGE["anger"]["u"][0]
    assert not assist.solutions_open


def test_an_acknowledging_reply_opens_the_solutions_and_ends_listen_first(
    open_contact, assist_of, agent, say
) -> None:
    contact = open_contact("Ik ben echt woedend, dit is belachelijk!")
    say(contact, "Ik begrijp dat u hier boos over bent.", author="agent", agent=agent)
    assist = assist_of(contact)
    assert "listen_first" not in _keys(assist)
    assert assist.solutions_open


def test_a_calm_question_gets_no_listen_first(open_contact, assist_of) -> None:
    assist = assist_of(open_contact("Goedemorgen, kunt u mij vertellen wanneer mijn factuur komt?"))
    assert "listen_first" not in _keys(assist)
    assert assist.solutions_open


def test_every_acknowledgement_sentence_is_read_as_one_in_its_register() -> None:
    analyser = Analyzer()
    for sentences in phrases.ACKNOWLEDGE.values():
        for voice, texts in sentences.items():
            for text in texts:
                result = analyser.analyze(text, role="agent")
                assert "acknowledgement" in result.acts, text
                if voice != "en":
                    assert result.register == {"u": "formal", "je": "informal"}[voice], text


def test_the_days_of_a_matter_are_counted_on_the_desks_calendar(db: None) -> None:
    """Ten past midnight in Amsterdam is still yesterday in UTC: the count follows the desk's days."""
    reason = ContactReason.objects.create(code="levering", name="Levering")
    amsterdam = ZoneInfo("Europe/Amsterdam")
    since = datetime(2026, 11, 20, 9, 0, tzinfo=amsterdam)  # Friday morning
    matter = Matter(reason, (), since, False, ())
    for now, days in (
        (datetime(2026, 11, 28, 23, 50, tzinfo=amsterdam), 9),  # Saturday evening
        (datetime(2026, 11, 29, 0, 10, tzinfo=amsterdam), 10),  # Sunday, ten past midnight
    ):
        assert matter.days(now.astimezone(UTC)) == days
        assert matter_title(matter, now.astimezone(UTC)) == f"1e contact over Levering in {days} dagen"


def test_the_address_is_remembered_or_detected_with_the_words(open_contact, assist_of, customer) -> None:
    contact = open_contact("hoi, kun je me helpen met mijn bestelling?")
    hint = _hint(assist_of(contact), "address")
    assert hint.title.startswith("Spreek aan met “je”")
    assert any(c.words.lower() == "kun je" for c in hint.because)
    detail_add(customer=customer, kind="addressing", text="Mevrouw Jansen", register="u")
    hint = _hint(assist_of(contact), "address")
    assert "“u”" in hint.title and "Mevrouw Jansen" in hint.title


def test_repeat_contacts_about_the_same_matter_are_counted_across_channels(open_contact, assist_of) -> None:
    parent = ContactReason.objects.create(code="levering", name="Levering")
    late = ContactReason.objects.create(code="levering_vertraagd", name="Levering vertraagd", parent=parent)
    now = timezone.now()
    for days, channel in ((9, "phone"), (6, "email"), (3, "chat")):
        open_contact(
            "Waar blijft mijn bestelling?",
            channel=channel,
            at=now - timedelta(days=days),
            reason=late,
            status="closed",
        )
    contact = open_contact("Dit is nu de vierde keer dat ik contact opneem!", reason=parent)
    assist = assist_of(contact)
    hint = _hint(assist, "repeat")
    assert hint.title == "4e contact over Levering in 10 dagen"
    assert hint.severity == "alert" and "take_ownership" in hint.actions
    assert any("vierde keer" in c.words for c in hint.because)
    assert [e.contact.channel for e in assist.situation.matter.earlier] == ["phone", "email", "chat"]
    assert "listen_first" in _keys(assist)  # a repeat contact is heard first too
    assert matter_title(assist.situation.matter, now).startswith("4e contact over Levering")


def test_an_unrecognised_contact_gets_signposting_and_a_recognised_one_never(open_contact, assist_of) -> None:
    hint = _hint(assist_of(open_contact("Mijn factuur klopt niet", known=False)), "signpost")
    assert hint.suggestions == (phrases.SIGNPOST["u"],)
    assert "signpost" not in _keys(assist_of(open_contact("Mijn factuur klopt niet")))


def test_bereavement_switches_to_the_protocol_with_condolence_and_the_simplest_path(
    open_contact, assist_of
) -> None:
    contact = open_contact(
        "Mijn man is vorige week overleden. Ik wil zijn abonnement opzeggen.", channel="email"
    )
    assert ContactProtocol.objects.filter(contact=contact, protocol="bereavement").exists()
    hint = _hint(assist_of(contact), "protocol:bereavement")
    assert any("overleden" in c.words for c in hint.because)
    assert hint.suggestions[0].startswith("Gecondoleerd")
    assert any("overlijdensakte" in step for step in hint.steps)
    assert hint.actions == ("remember_event",) and "overleden" in hint.proposal


def test_abuse_gets_the_warning_then_the_closing_script_and_an_incident(open_contact, assist_of, say) -> None:
    contact = open_contact("Jullie zijn echt een kutbedrijf.")
    assist = assist_of(contact)
    assert "abuse_warning" in _keys(assist) and not Incident.objects.exists()
    say(contact, "Regel het nou gewoon, sukkel. Klootzakken.")
    assist = assist_of(contact)
    hint = _hint(assist, "abuse_close")
    assert hint.suggestions[0] in phrases.ABUSE_CLOSE.values()
    incident = Incident.objects.get(contact=contact)
    assert incident.source == "detected" and any("kutbedrijf" in e[1] for e in incident.evidence)


def test_churn_intent_is_shown_with_the_words(open_contact, assist_of) -> None:
    hint = _hint(assist_of(open_contact("Als dit niet vandaag geregeld is, zeg ik alles op.")), "churn")
    assert hint.because and hint.severity == "warn"


def test_a_dismissed_hint_stays_away_for_that_agent_and_is_stored(open_contact, assist_of, agent) -> None:
    contact = open_contact("Ik ben echt woedend!")
    HintAction.objects.create(contact=contact, hint="listen_first", action="dismissed", user=agent)
    assist = assist_of(contact)
    assert "listen_first" not in _keys(assist) and assist.dismissed == 1


def test_known_problems_are_anticipated_for_customers_who_had_them(
    open_contact, assist_of, make_user
) -> None:
    from gezien.contacts.services import contact_open
    from gezien.customers.services import customer_create
    from gezien.insights.rootcause.services import problem_answer, problem_create, problem_link_contacts

    outage = ContactReason.objects.create(code="storing_internet", name="Storing internet")
    problem = problem_create(title="Storing glasvezel Utrecht", reasons=[outage])
    others = []
    for i in range(6):
        customer_create(first_name="Klant", last_name=str(i), identities=[("phone", f"06-2000000{i}")])
        others.append(
            contact_open(
                channel="chat", identities=[("phone", f"06-2000000{i}")], text="Geen internet"
            ).contact
        )
    problem_link_contacts(problem=problem, contacts=others)
    problem_answer(
        problem=problem, actor=make_user("baas", "manager"), text="Monteur is onderweg.", status="erkend"
    )
    contact = open_contact("Goedemiddag", channel="phone", reason=outage)
    hint = _hint(assist_of(contact), "known_problem:storing_internet")
    assert hint.suggestions[0].startswith("Belt u vast over storing internet?")
    assert "Storing glasvezel Utrecht" in hint.text and "6 klanten" in hint.text
    assert "Monteur is onderweg." in hint.text


def test_a_solved_problem_is_no_longer_anticipated(open_contact, assist_of, make_user) -> None:
    from gezien.insights.rootcause.services import problem_answer, problem_create

    outage = ContactReason.objects.create(code="storing_internet", name="Storing internet")
    problem = problem_create(title="Storing glasvezel Utrecht", reasons=[outage])
    problem_answer(problem=problem, actor=make_user("baas", "manager"), status="opgelost")
    contact = open_contact("Goedemiddag", channel="phone", reason=outage)
    assert "known_problem:storing_internet" not in _keys(assist_of(contact))


def test_the_phone_greeting_follows_the_part_of_day_in_amsterdam() -> None:
    from datetime import UTC, datetime

    assert part_of_day(datetime(2026, 11, 23, 8, 0, tzinfo=UTC)) == "goedemorgen"  # 09:00 in Amsterdam
    assert part_of_day(datetime(2026, 11, 23, 11, 30, tzinfo=UTC)) == "goedemiddag"  # 12:30
    assert part_of_day(datetime(2026, 7, 1, 16, 30, tzinfo=UTC)) == "goedenavond"  # 18:30 summer time
    line = greeting(
        at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC), agent_name="Sanne", organisation="Voorbeeld Telecom"
    )
    assert line == "Goedemorgen, u spreekt met Voorbeeld Telecom, met Sanne."


def test_a_phone_contact_gets_the_opening_checklist(open_contact, assist_of) -> None:
    assist = assist_of(open_contact("", channel="phone"))
    assert assist.phone is not None and "u spreekt met" in assist.phone.greeting
    assert [s.key for s in assist.phone.steps][:2] == ["greeting", "listen"]
    assert any(s.key == "recognised" and s.done for s in assist.phone.steps)


def test_a_death_remembered_on_the_card_brings_the_protocol_without_asking_again(
    open_contact, assist_of, customer
) -> None:
    detail_add(customer=customer, kind="life_event", text="Echtgenoot Henk overleden in oktober")
    hint = _hint(
        assist_of(open_contact("Ik begrijp het bedrag op de brief niet.", channel="phone")),
        "protocol:bereavement",
    )
    assert hint.because[0].words == "Echtgenoot Henk overleden in oktober"
    assert hint.actions == ()  # already remembered: nothing to remember again


def test_an_explicit_matter_decides_the_repeat_over_the_reason_family(open_contact, assist_of) -> None:
    from gezien.insights.resolution.services import matter_link, matter_unlink, matters_place

    parent = ContactReason.objects.create(code="levering", name="Levering")
    late = ContactReason.objects.create(code="levering_vertraagd", name="Levering vertraagd", parent=parent)
    now = timezone.now()
    # Seven weeks ago: far outside the repeat window, but an agent says it is the same kwestie.
    old = open_contact("Waar blijft mijn bestelling?", channel="phone", at=now - timedelta(days=49))
    Contact.objects.filter(pk=old.pk).update(reason=late, status="closed", closed_at=now - timedelta(days=48))
    contact = open_contact("Mijn bestelling is er nog steeds niet.")
    Contact.objects.filter(pk=contact.pk).update(reason=late)
    matters_place([old.pk, contact.pk])
    contact.refresh_from_db()
    old.refresh_from_db()
    matter_link(contact=contact, matter=old.matter, actor=None)
    hint = _hint(assist_of(Contact.objects.get(pk=contact.pk)), "repeat")
    assert hint.title.startswith("2e contact over Levering")
    # The agent unlinks it: it is no longer a repeat of that kwestie.
    matter_unlink(contact=Contact.objects.get(pk=contact.pk), actor=None)
    assert "repeat" not in _keys(assist_of(Contact.objects.get(pk=contact.pk)))


COMPANY_ONLY = (  # "jullie" addresses the company; these customers address no person
    "Ik ben helemaal niet tevreden over jullie service.",
    "Waarom sturen jullie mij drie keer dezelfde factuur?",
    "Jullie monteur is niet komen opdagen.",
)


def test_jullie_alone_decides_no_register_and_a_u_reply_is_fine(open_contact, assist_of, agent) -> None:
    from gezien.assist.selectors import draft_check_cached

    for text in COMPANY_ONLY:
        contact = open_contact(text)
        hint = _hint(assist_of(contact), "address")
        assert hint.title.startswith("Spreek aan met “u”"), (text, hint.title)
        assert not hint.because, text
        check = draft_check_cached(contact.pk, agent, "Dat begrijp ik. Mag ik u vragen wanneer dit begon?")
        assert not [f.key for f in check.findings if f.key.startswith("register")], (text, check.findings)


def test_the_register_follows_how_the_customer_addresses_a_person(open_contact, assist_of, agent) -> None:
    from gezien.assist.selectors import draft_check_cached

    contact = open_contact("Jullie app doet het niet. Kun jij even kijken?")
    assert _hint(assist_of(contact), "address").title.startswith("Spreek aan met “je”")
    check = draft_check_cached(contact.pk, agent, "Dat begrijp ik. Mag ik u vragen wanneer dit begon?")
    assert "register_mismatch" in [f.key for f in check.findings]


def test_a_cancellation_after_a_death_gets_the_protocol_and_no_churn_hint(open_contact, assist_of) -> None:
    contact = open_contact("Mijn vader is vorige week overleden.", "Ik wil zijn abonnement opzeggen.")
    keys = _keys(assist_of(contact))
    assert "protocol:bereavement" in keys and "churn" not in keys


def test_a_prospect_coming_to_us_gets_no_churn_hint(open_contact, assist_of) -> None:
    for text in (
        "Ik overweeg over te stappen naar Voorbeeld Telecom, wat kost Internet Max?",
        "Ik wil overstappen naar Internet Start.",
        "Wat kost het als ik naar jullie overstap? Nu zit ik bij KPN.",
    ):
        assert "churn" not in _keys(assist_of(open_contact(text, known=False))), text


def test_agent_words_raise_no_customer_signal_or_hint(open_contact, assist_of, agent, say) -> None:
    """An agent's empathetic reply full of customer-signal words: stored with acts and tone only."""
    from gezien.contacts.models import MessageSignals

    contact = open_contact("Goedemorgen, mijn internet doet het niet.")
    reply = say(
        contact,
        "Wat vervelend dat u al vijf keer heeft gebeld en wilt opzeggen, ik begrijp dat u boos en gestrest "
        "bent. Gecondoleerd met uw verlies. Ik help u meteen!",
        author="agent",
        agent=agent,
    )
    row = MessageSignals.objects.get(message=reply)
    assert row.role == "agent" and "acknowledgement" in row.data["acts"]
    assert (row.churn, row.repeat, row.abuse, row.top_emotion, row.life_events) == (0, 0, 0, "", "")
    assert not any(row.data["emotions"].values()) and row.sentiment == 0
    keys = _keys(assist_of(contact))
    assert not {"churn", "repeat", "listen_first", "protocol:bereavement"} & set(keys), keys
