"""The contact page (`GET /desk/contacts/<id>/`): everything its template shows, gathered in one place.

`contact_page` reads what the page needs once (the thread, the gezien-kaart, the assist, routing, the
solutions, the matter, the root-cause signals, the survey) and prepares the forms' choices, so the
template only lays it out: no template tag on this page runs a query of its own. The view checks the
request and renders; the refused-form paths pass their bound form in `forms`.

Queries do not grow with the customer's history (`tests/web/test_desk.py` checks 2 against 200 earlier
contacts). The transfer forms' colleagues and teams come from `web.choices` (a cache of a minute,
forgotten when people or teams change); the reasons from the assist's reason cache.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.forms import Form, ModelChoiceField
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from gezien.assist.selectors import Assist, contact_assist
from gezien.assist.situation import reasons_by_id
from gezien.contacts.models import Channel, Contact, ContactEvent, Status
from gezien.contacts.selectors import Card, customer_card_kept
from gezien.customers.models import Customer
from gezien.customers.selectors import customer_search
from gezien.insights.resolution import selectors as resolution
from gezien.insights.rootcause.proposal import loaded_features, propose_reason
from gezien.insights.rootcause.selectors import open_problems_for_contact
from gezien.insights.surveys.selectors import ContactSurvey, contact_survey
from gezien.knowledge.selectors import articles_for_contact
from gezien.mail.selectors import MailView, mail_views, sender_of
from gezien.routing.selectors import Routing, routing_for_contact
from gezien.web.choices import transfer_people
from gezien.web.forms import CustomerForm, NoteForm, ReplyForm, SummaryForm, TranscriptForm, TransferForm
from gezien.web.pages.recordings import RecordingsBlock, recordings_block
from gezien.web.signal_display import MessageSignalsView, correctable_choices, message_view

if TYPE_CHECKING:
    from gezien.accounts.models import User

# How the analysis' pseudo-words read in the "why" of a reason proposal.
_FEATURE_WORDS = {"_churn": "opzeggen", "_event_bereavement": "overlijden", "_event_moving": "verhuizing"}


def options_html(
    choices: Iterable[tuple[object, object]], selected: object = None, empty: object = None
) -> SafeString:
    """The <option>s of a <select>, `selected` marked, an empty first choice when `empty` is given: what
    Django's Select widget writes, without a template per option (labels escaped)."""
    chosen = "" if selected is None else str(selected)
    rows = [("", empty), *choices] if empty is not None else list(choices)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, SafeString(" selected") if str(value) == chosen else "", text) for value, text in rows),
    )


def correcting(user: User) -> dict[str, Any]:
    """Whether `user` may correct a message's signals, and the <option>s of the signal picker (the
    same for every message: built once per page)."""
    if not user.has_perm("contacts.add_signalcorrection"):
        return {"can_correct": False, "correctable_options": ""}
    groups = format_html_join(
        "",
        '<optgroup label="{}">{}</optgroup>',
        ((group, options_html(choices)) for group, choices in correctable_choices()),
    )
    return {"can_correct": True, "correctable_options": groups}


@dataclass
class SignalsBlock:
    """The root-cause block beside the thread: open problems about the contact's reason and a proposed
    reason (`show` False: the person may not see problems)."""

    show: bool = False
    problems: list[Any] = field(default_factory=list)
    can_link: bool = False
    can_create: bool = False
    proposal: dict[str, Any] | None = None


def _signals_block(user: User, contact: Contact) -> SignalsBlock:
    if not user.has_perm("rootcause.view_problem"):
        return SignalsBlock()
    block = SignalsBlock(
        show=True,
        problems=open_problems_for_contact(contact),
        can_link=user.has_perm("rootcause.link_problem"),
        can_create=user.has_perm("rootcause.add_problem"),
    )
    proposal = propose_reason(contact.pk, words=loaded_features(contact))
    if proposal is not None and proposal.reason_id != contact.reason_id:
        reason = reasons_by_id().get(proposal.reason_id)
        if reason is not None and reason.active:
            block.proposal = {
                "reason": reason,
                "percent": round(100 * proposal.probability),
                "words": [_FEATURE_WORDS.get(w, w) for w in proposal.words],
            }
    return block


@dataclass
class MatterBlock:
    """The matter (kwestie) this contact belongs to, the other contacts in it, and proposed links."""

    matter: Any
    others: list[Contact]
    settles_at: Any
    proposals: list[Any]
    days: int
    can_handle: bool


def _matter_block(user: User, contact: Contact) -> MatterBlock:
    matter = resolution.matter_detail(contact.matter_id) if contact.matter_id else None
    return MatterBlock(
        matter=matter,
        others=[c for c in matter.contacts.all() if c.pk != contact.pk] if matter else [],
        settles_at=resolution.settles_at(matter) if matter else None,
        proposals=resolution.link_proposals(contact),
        days=settings.GEZIEN_RESOLUTION_WORKING_DAYS,
        can_handle=user.has_perm("contacts.handle_contact"),
    )


@dataclass
class Unlinked:
    """For a contact without a customer: the candidates, the agent's search and the new-customer form."""

    query: str
    hits: list[Any]
    candidates: list[Customer]
    customer_form: Form


@dataclass
class ContactPage:
    contact: Contact
    is_phone: bool
    is_email: bool  # the reply form takes CC and attachments
    thread: list[MessageSignalsView]
    events: list[ContactEvent]
    card: Card | None
    assist: Assist
    routing: Routing | None
    proposals: list[Any]  # knowledge articles for the solutions panel
    agent_replied: bool  # an agent wrote in the thread (closing without it asks for a confirmation)
    signals_block: SignalsBlock
    matter_block: MatterBlock
    survey: ContactSurvey
    recordings: RecordingsBlock  # a phone contact's recordings and their timelines
    can_correct: bool
    correctable_options: SafeString | str
    # The forms: a refused (bound) one is shown with its errors by Django's own rendering; an empty one
    # by the template from the <option>s below.
    reply_form: Form
    transcript_form: Form
    summary_form: Form
    transfer_form: Form
    status_options: SafeString
    reason_options: SafeString
    status_after_options: SafeString
    colleague_options: SafeString
    team_options: SafeString
    desk_colleague_options: SafeString
    unlinked: Unlinked | None
    mails: dict[int, MailView]  # an e-mail contact: the mail behind each customer message, by message id
    close_confirm: bool = False  # the close was refused for want of a reply: ask again

    def context(self) -> dict[str, Any]:
        """The template's context: the page's parts by name (the shared includes expect `contact`,
        `card`, `assist`, `routing`, `proposals`, `can_correct`). The standard replies are not on the
        page: the composer's picker asks for them (`desk:picker`)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__} | {"routing_partial": True}


def _people_choices(form: Form) -> None:
    """A bound transfer form rendered again: its choices from the cached lists too (the posted value
    was validated against the database by the field's queryset)."""
    people = transfer_people()
    for name, choices in (("to_agent", people.colleagues), ("to_team", people.teams)):
        field_ = form.fields[name]
        assert isinstance(field_, ModelChoiceField)
        field_.choices = [("", field_.empty_label), *choices]


def agent_replied(contact: Contact) -> bool:
    """Whether an agent wrote anything in `contact`'s thread (a reply, a call note, a transcript turn),
    from the messages loaded with it."""
    return any(m.author == "agent" for m in contact.messages.all())


def message_part(user: User, contact: Contact, message: Any) -> dict[str, Any]:
    """The context of `web/_message.html` for one message of `contact` (the live desk renders a new
    message alone): `message` as `contacts.selectors.message_with_signals` loads it."""
    return {
        "v": message_view(message),
        "contact": contact,
        "mails": mail_views([message.pk])
        if contact.channel == Channel.EMAIL and message.author == "customer"
        else {},
        **correcting(user),
    }


def contact_page(
    user: User,
    contact: Contact,
    *,
    query: str = "",
    forms: dict[str, Form] | None = None,
    close_confirm: bool = False,
) -> ContactPage:
    """Everything the contact page shows to `user`, for `contact` as `contacts.selectors.
    contact_with_thread` loaded it. `query`: the agent's customer search (an unlinked contact);
    `forms`: refused forms to show again with their errors, by name; `close_confirm`: a close without
    a reply was refused, the page asks for the confirmation."""
    forms = forms or {}
    is_phone = contact.channel == Channel.PHONE
    card = customer_card_kept(contact.customer, current=contact) if contact.customer else None
    reply_form = forms.get("reply_form") or (NoteForm() if is_phone else ReplyForm())
    transfer_form = forms.get("transfer_form") or TransferForm()
    if transfer_form.is_bound:
        _people_choices(transfer_form)
    people = transfer_people()
    reasons = sorted((r for r in reasons_by_id().values() if r.active), key=lambda r: r.code)
    after = reply_form["status_after"].value()
    return ContactPage(
        contact=contact,
        is_phone=is_phone,
        is_email=contact.channel == Channel.EMAIL,
        thread=[message_view(m) for m in contact.messages.all()],
        events=list(contact.events.all()),
        card=card,
        assist=contact_assist(contact, card, user),
        routing=routing_for_contact(contact),
        proposals=articles_for_contact(contact, limit=3, user=user),
        agent_replied=agent_replied(contact),
        signals_block=_signals_block(user, contact),
        matter_block=_matter_block(user, contact),
        survey=contact_survey(contact),
        recordings=recordings_block(user, contact),
        **correcting(user),
        reply_form=reply_form,
        transcript_form=forms.get("transcript_form") or TranscriptForm(),
        summary_form=forms.get("summary_form") or SummaryForm(initial={"summary": contact.summary}),
        transfer_form=transfer_form,
        status_options=options_html(Status.choices, contact.status),
        reason_options=options_html(
            ((r.code, str(r)) for r in reasons),
            contact.reason.code if contact.reason else "",
            empty=_("Nog geen reden"),
        ),
        status_after_options=options_html(Status.choices, after),
        colleague_options=options_html(people.colleagues, empty=_("Kies een collega")),
        team_options=options_html(people.teams, empty=_("Kies een team")),
        desk_colleague_options=options_html(people.desk_colleagues, empty=_("Kies een collega")),
        unlinked=None if contact.customer is not None else _unlinked(contact, query, forms),
        mails=_mails(contact),
        close_confirm=close_confirm,
    )


def _mails(contact: Contact) -> dict[int, MailView]:
    if contact.channel != Channel.EMAIL:
        return {}
    return mail_views(m.pk for m in contact.messages.all() if m.author == "customer")


def _known_of(contact: Contact) -> dict[str, str]:
    """What the channel already told about an unknown customer: an e-mail's sender name and address."""
    if contact.channel != Channel.EMAIL:
        return {}
    name, address = sender_of(contact)
    first, _space, last = name.partition(" ")
    return {"first_name": first, "last_name": last, "email": address}


def _unlinked(contact: Contact, query: str, forms: dict[str, Form]) -> Unlinked:
    return Unlinked(
        query=query,
        hits=customer_search(query) if query else [],
        candidates=list(Customer.objects.filter(pk__in=contact.candidate_ids)),
        customer_form=forms.get("customer_form") or CustomerForm(initial=_known_of(contact)),
    )
