"""Who may make and change which macro, and what a macro must hold."""

from __future__ import annotations

import pytest

from gezien.accounts.models import User
from gezien.contacts.models import ContactReason
from gezien.core.errors import Forbidden, Invalid
from gezien.replies.models import Macro
from gezien.replies.selectors import can_edit, can_see
from gezien.replies.services import macro_archive, macro_create, macro_update


def test_an_agent_keeps_their_own_macros(agent: User, reason: ContactReason) -> None:
    macro = macro_create(
        actor=agent,
        title="  Mijn   afsluiting ",
        body_je="Fijne dag nog, {naam}!",
        tags=["Afsluiting", "afsluiting", " chat "],
        reasons=["levering"],
    )
    assert (macro.title, macro.owner, macro.created_by, macro.shared) == (
        "Mijn afsluiting",
        agent,
        agent,
        False,
    )
    assert macro.tags == ["afsluiting", "chat"]
    assert list(macro.reasons.all()) == [reason]
    changed = macro_update(macro=macro, actor=agent, body_u="Een fijne dag nog, {naam}.", tags=[])
    assert (changed.body_u, changed.body_je, changed.tags) == (
        "Een fijne dag nog, {naam}.",
        "Fijne dag nog, {naam}!",
        [],
    )
    macro_archive(macro=macro, actor=agent)
    assert Macro.objects.get(pk=macro.pk).archived


def test_an_agent_cannot_make_or_touch_shared_ones_or_a_colleagues(
    agent: User, colleague: User, teamlead: User, shared_macro: Macro
) -> None:
    with pytest.raises(Forbidden):
        macro_create(actor=agent, title="Voor iedereen", body_u="Dag.", shared=True)
    theirs = macro_create(actor=colleague, title="Van Mark", body_u="Dag.")
    for macro in (shared_macro, theirs):
        assert not can_edit(macro, agent)
        with pytest.raises(Forbidden):
            macro_update(macro=macro, actor=agent, title="Overgenomen")
        with pytest.raises(Forbidden):
            macro_archive(macro=macro, actor=agent)
    mine = macro_create(actor=agent, title="Eigen", body_u="Dag.")
    with pytest.raises(Forbidden):
        macro_update(macro=mine, actor=agent, shared=True)
    assert Macro.objects.get(pk=shared_macro.pk).title == "Bevestiging levering"
    assert can_see(shared_macro, agent) and not can_see(theirs, agent)


def test_team_leads_keep_the_shared_ones_but_not_an_agents_own(
    teamlead: User, colleague: User, shared_macro: Macro, make_user
) -> None:
    macro_update(macro=shared_macro, actor=teamlead, title="Levering bevestigd")
    macro_archive(macro=shared_macro, actor=teamlead)
    macro_archive(macro=shared_macro, actor=teamlead, archived=False)
    assert not Macro.objects.get(pk=shared_macro.pk).archived
    theirs = macro_create(actor=colleague, title="Van Mark", body_u="Dag.")
    with pytest.raises(Forbidden):
        macro_update(macro=theirs, actor=teamlead, title="Van Karin")
    own = macro_create(actor=teamlead, title="Eerst van mij", body_u="Dag.")
    assert macro_update(macro=own, actor=teamlead, shared=True).owner is None
    manager = make_user("hans", "manager")
    macro_update(macro=shared_macro, actor=manager, title="Door de manager")


def test_a_user_without_a_role_cannot_make_macros(make_user) -> None:
    nobody = make_user("gast", "agent")
    nobody.groups.clear()
    with pytest.raises(Forbidden):
        macro_create(actor=User.objects.get(pk=nobody.pk), title="Hoi", body_u="Dag.")


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": " ", "body_u": "Dag."}, "title", "titel"),
        ({"title": "x" * 121, "body_u": "Dag."}, "title", "te lang"),
        ({"title": "Leeg"}, "body_u", "minstens één tekst"),
        ({"title": "Leeg", "body_u": "  ", "body_je": "\n"}, "body_u", "minstens één tekst"),
        ({"title": "Typfout", "body_u": "Beste {nam},"}, "body_u", "{nam}"),
        ({"title": "Typfout", "body_je": "Hoi {voornaam}!"}, "body_je", "{voornaam}"),
        ({"title": "NUL", "body_u": "Dag\x00."}, "body_u", "NUL"),
        ({"title": "Lang", "body_u": "x" * 10_001}, "body_u", "te lang"),
        ({"title": "Labels", "body_u": "Dag.", "tags": ["x" * 41]}, "tags", "label"),
        ({"title": "Labels", "body_u": "Dag.", "tags": [f"t{n}" for n in range(13)]}, "tags", "labels"),
        ({"title": "Labels", "body_u": "Dag.", "tags": "afsluiting"}, "tags", "lijst"),
        ({"title": "Reden", "body_u": "Dag.", "reasons": ["bestaat-niet"]}, "reasons", "bestaat-niet"),
    ],
)
def test_bad_input_is_refused_in_dutch_and_nothing_is_written(
    agent: User, reason: ContactReason, fields: dict, field: str, words: str
) -> None:
    with pytest.raises(Invalid) as refused:
        macro_create(actor=agent, **fields)
    assert refused.value.field == field
    assert words in refused.value.message
    assert not Macro.objects.exists()


def test_the_unknown_placeholder_error_names_the_ones_that_exist(agent: User) -> None:
    with pytest.raises(Invalid) as refused:
        macro_create(actor=agent, title="Typfout", body_u="Beste {Klantnaam},")
    assert refused.value.message == (
        "Onbekende plaatshouder {klantnaam}. "
        "Gebruik {naam}, {ordernummer}, {datum}, {medewerker}, {klantnummer}."
    )


def test_braces_that_are_not_placeholders_can_be_saved(agent: User) -> None:
    macro = macro_create(actor=agent, title="Accolades", body_u='Stuur {"code": 1} of { twee woorden } {}')
    assert macro.body_u == 'Stuur {"code": 1} of { twee woorden } {}'


def test_a_refused_update_changes_nothing(agent: User, reason: ContactReason) -> None:
    macro = macro_create(actor=agent, title="Eigen", body_u="Dag.", reasons=["levering"])
    with pytest.raises(Invalid):
        macro_update(macro=macro, actor=agent, title="Nieuw", reasons=["levering", "bestaat-niet"])
    with pytest.raises(Invalid):
        macro_update(macro=macro, actor=agent, body_u="")
    stored = Macro.objects.get(pk=macro.pk)
    assert (stored.title, stored.body_u, list(stored.reasons.all())) == ("Eigen", "Dag.", [reason])
