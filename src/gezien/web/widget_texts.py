"""The chat widget's own words, through gettext (Dutch source, English in the en catalogue): the desk
puts them into chat.js when it serves it (`web.views.widget`), both languages, so the widget chooses
by its page's language without asking the desk first. `{name}`-style fields are filled by the script."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

WIDGET_TEXTS = {
    "open": _("Chat met ons"),
    "close": _("Chat sluiten"),
    "title": _("Klantenservice"),
    "unread": _("{n} nieuw"),
    "log": _("Berichten"),
    "online": _("We zijn online"),
    "offline": _("Laat een bericht achter"),
    "helping": _("{name} helpt u"),
    "placeholder": _("Typ uw bericht…"),
    "send": _("Versturen"),
    "sendOffline": _("Bericht versturen"),
    "attach": _("Bestand of foto toevoegen"),
    "name": _("Naam"),
    "email": _("E-mailadres"),
    "optional": _(" (optioneel)"),
    "offlineIntro": _(
        "Er is nu niemand om mee te chatten, maar laat gerust een bericht achter: we antwoorden u per e-mail."
    ),
    "needWho": _("Vul uw naam en e-mailadres in, dan kunnen we u antwoorden."),
    "badEmail": _("Dit e-mailadres klopt nog niet helemaal."),
    "you": _("U"),
    "agent": _("Medewerker"),
    "typing": _("{name} typt…"),
    "read": _("Gelezen"),
    "failed": _("Versturen lukte niet. Probeer het zo opnieuw."),
    "tooBig": _("Dit bestand is te groot: hoogstens {size}."),
    "tooLong": _("Dit bericht is te lang: hoogstens {n} tekens."),
    "tooFast": _("Dat gaat wat snel. Probeer het over een minuutje opnieuw."),
    "noType": _("Dit soort bestand kunnen we niet ontvangen."),
    "down": _("De chat is nu niet bereikbaar. Probeer het later nog eens."),
    "transcript": _("Stuur mij het gesprek per e-mail"),
    "mailSend": _("Sturen"),
    "mailDone": _("Het gesprek is onderweg naar {email}."),
    "end": _("Gesprek beëindigen"),
    "closed": _("Dit gesprek is afgesloten. Bedankt voor uw bericht!"),
    "survey": _("Hoe hebben we u geholpen? Laat het ons weten"),
    "fresh": _("Nieuw gesprek beginnen"),
    "received": _("Bedankt, we hebben uw bericht ontvangen."),
    "attachment": _("Bijlage"),
}
