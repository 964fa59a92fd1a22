"""Small template filters for the desk."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from gezien.contacts.models import Channel, Contact, ContactEvent
from gezien.contacts.selectors import CARD_SECONDS, Feeling
from gezien.contacts.vocabulary import label, strength
from gezien.routing.reasons import routed_note
from gezien.web.navigation import url_allowed
from gezien.web.signal_display import highlight

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed_url(context: template.Context, name: str) -> str | None:
    """The URL of a named page when the person viewing may open it (the view's own rule), else None:
    tabs and links that would answer 403 are left out."""
    request = context.get("request")
    return url_allowed(name, getattr(request, "user", None)) if request is not None else None


@register.simple_tag(takes_context=True)
def card_part(context: template.Context, name: str) -> SafeString:
    """A part of the gezien-kaart drawn from the card's history alone (the last conversation, how the
    customer felt, the timeline), rendered from the template `name`. With a kept card (its `version`:
    `contacts.selectors.customer_card_kept`) the HTML is kept in the cache beside it, per language, and
    drawn again only when the card is built again; a card built for one view is drawn every time. Such a
    part must show nothing that depends on who looks (no permissions, no forms)."""
    card = context.get("card")
    version = getattr(card, "version", "")
    key = f"web:card-part:{version}:{name}:{get_language()}"
    if version:
        kept = cache.get(key)
        if kept is not None:
            return mark_safe(str(kept))  # noqa: S308 - rendered by the template below, escaped there
    assert context.template is not None
    with context.push():
        html = context.template.engine.get_template(name).render(context)
    if version:
        cache.set(key, str(html), CARD_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by a template with autoescape


@register.filter
def timeline_items(contacts: list[Contact]) -> SafeString:
    """The <li>s of the gezien-kaart's timeline (its newest contacts, shown on every contact page): one
    Python loop rather than a template loop with a URL, a date and a few lookups per row. Every text from
    the database is escaped."""
    if not contacts:
        return format_html('<li class="empty">{}</li>', _("Eerste contact met deze klant."))
    head, tail = (escape(part) for part in reverse("desk:contact", args=[987654321]).split("987654321"))
    untitled = _("(geen samenvatting)")
    channels = {value: escape(name) for value, name in Channel.choices}
    rows = []
    for c in contacts:
        channel = escape(c.channel)
        text = escape(c.summary or c.subject or untitled)
        reason = f" <small>{escape(c.reason.name)}</small>" if c.reason else ""
        rows.append(
            f"<li><time>{timezone.localtime(c.opened_at):%d-%m-%Y}</time>"
            f' <span class="chan chan-{channel}">{channels.get(c.channel, channel)}</span>'
            f' <a href="{head}{int(c.pk)}{tail}">{text}</a>{reason}</li>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - built from escaped pieces only


@register.filter
def channel_names(values: list[str]) -> str:
    """Channels as people call them ("Telefoon, Chat"), never the stored values ("phone, chat")."""
    return ", ".join(str(Channel(v).label) if v in Channel.values else v for v in values)


# Below this the customer's distress (the strongest negative emotion, 0..1) reads as calm.
CALM_BELOW = 0.35


@register.filter
def unrest(score: float | None) -> str:
    """A customer's distress as people say it ("rustig", "licht onrustig", "sterk onrustig"), never the
    raw score ("0.00")."""
    if score is None:
        return "–"
    if score < CALM_BELOW:
        return _("rustig")
    return _("%(strength)s onrustig") % {"strength": strength(score)}


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.filter
def duration(value: timedelta | None) -> str:
    """A waiting time as people say it: "4 min", "2 u 05", "3 d"."""
    if value is None:
        return ""
    seconds = max(0, int(value.total_seconds()))
    if seconds < 60:
        return _("%(s)d s") % {"s": seconds}
    minutes = seconds // 60
    if minutes < 60:
        return _("%(m)d min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)d u %(m)02d") % {"h": hours, "m": minutes}
    return _("%(d)d d") % {"d": hours // 24}


@register.filter
def seconds_duration(seconds: float | None) -> str:
    """A number of seconds as `duration` says it ("4 min")."""
    return "" if seconds is None else duration(timedelta(seconds=float(seconds)))


@register.filter
def mmss(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


@register.filter
def signal_label(signal: str) -> str:
    """A signal's name as the desk says it: "anger" -> "boos"."""
    return label(signal)


_TRENDS = {
    "better": gettext_lazy("Gaat beter dan eerder."),
    "worse": gettext_lazy("Wordt ontevredener."),
    "negative": gettext_lazy("De laatste contacten verliepen moeizaam: geef extra aandacht."),
    "positive": gettext_lazy("Doorgaans tevreden."),
    "calm": gettext_lazy("Rustig: geen negatieve signalen."),
    "mixed": gettext_lazy("Wisselend."),
}


@register.filter
def trend_phrase(trend: str) -> str:
    return str(_TRENDS.get(trend, ""))


@register.filter
def feeling_word(feeling: Feeling) -> str:
    """One word for how the customer came across in a contact: the emotion, else the sentiment."""
    if feeling.emotion:
        return label(feeling.emotion)
    return {"neg": _("negatief"), "pos": _("positief")}.get(feeling.valence, _("neutraal"))


@register.filter
def feeling_title(feeling: Feeling) -> str:
    contact = feeling.contact
    parts = [
        f"{timezone.localtime(contact.opened_at):%d-%m-%Y}",
        str(contact.get_channel_display()),
        contact.summary,
    ]
    if feeling.emotion:
        parts.append(f"{label(feeling.emotion)} ({strength(feeling.score)})")
    parts.append(_("stemming %(s)+.1f") % {"s": feeling.sentiment})
    return " · ".join(p for p in parts if p)


@register.filter
def highlighted(text: str, evidence: list[Any]) -> SafeString:
    """A customer's words as HTML with the evidence of their signals marked (escaped piece by piece)."""
    return highlight(text, evidence or [])


@register.filter
def event_note(event: ContactEvent) -> str:
    """What a contact's history says after an event's kind, in the reader's language: a routing (its
    ROUTED event, or the ASSIGNED one routing wrote) worded from its data, any other event its note."""
    if "needs" in event.data:
        return routed_note(event.data)
    return str(event.data.get("note") or "")


# Stand-ins for int arguments when a URL is reversed once per process: no real id is this large.
_URL_STAND_IN = 987_654_300


@lru_cache(maxsize=512)
def _url_parts(name: str, count: int, prefix: str, urlconf: str) -> list[str]:
    """The URL of `name` with `count` int arguments, split around them: reversed once per process."""
    stand_ins = [_URL_STAND_IN + index for index in range(count)]
    url = reverse(name, args=stand_ins, urlconf=urlconf)
    parts = []
    for stand_in in stand_ins:
        head, _found, url = url.partition(str(stand_in))
        parts.append(head)
    return [*parts, url]


@register.simple_tag
def url_for(name: str, *args: Any) -> str:
    """`{% url name arg ... %}` for the pages a screen links many times (a contact's forms): with int
    arguments (ids) the URL is reversed once per process and the ids put in their places; any other
    argument is reversed as `{% url %}` does."""
    if not all(type(arg) is int for arg in args):
        return reverse(name, args=args)
    parts = _url_parts(name, len(args), get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    return "".join(part + str(arg) for part, arg in zip(parts, args, strict=False)) + parts[-1]
