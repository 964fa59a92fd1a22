"""What the customer reads: the survey page, the thank-you page, the error pages and the e-mail, in
Dutch and English. The customer's language comes from the invitation, not from the desk's interface
language, and the page must read right without a compiled catalogue, so both live here (the desk's own
texts about surveys go through gettext as usual)."""

from __future__ import annotations

from typing import Final

Texts = dict[str, str]

NL: Final[Texts] = {
    "title": "Hoe hebben wij u geholpen?",
    "intro": "U had onlangs contact met {org}. Wilt u ons laten weten hoe dat ging? "
    "Het kost u een halve minuut.",
    "nps_question": "Hoe waarschijnlijk is het dat u {org} aanbeveelt aan vrienden of familie?",
    "nps_low": "0 = zeer onwaarschijnlijk",
    "nps_high": "10 = zeer waarschijnlijk",
    "csat_question": "Hoe tevreden bent u over hoe wij u hebben geholpen?",
    "csat_low": "1 = zeer ontevreden",
    "csat_high": "5 = zeer tevreden",
    "score_label": "Score {n}",
    "resolved_question": "Is uw vraag helemaal opgelost?",
    "yes": "Ja",
    "no": "Nee",
    "optional": "(niet verplicht)",
    "comment_label": "Wilt u nog iets kwijt?",
    "submit": "Versturen",
    "choose_score": "Kies eerst een score.",
    "comment_too_long": "Uw toelichting is te lang (hoogstens 2000 tekens).",
    "thanks_title": "Dank u wel",
    "thanks": "Dank u wel voor uw antwoord. Wij lezen elke reactie.",
    "tampered_title": "Deze link werkt niet",
    "tampered": "Deze link is ongeldig. Misschien is hij niet helemaal meegekomen; "
    "probeer de link uit de e-mail nog eens te openen.",
    "expired_title": "Deze enquête is verlopen",
    "expired": "Deze link was geldig tot {until}. U kunt de enquête niet meer invullen; "
    "dank u wel voor uw moeite.",
    "answered_title": "Al ingevuld",
    "answered": "Deze enquête is al ingevuld. Dank u wel voor uw antwoord.",
    "language": "Language: English",
    "mail_subject": "Hoe hebben wij u geholpen? ({org})",
    "mail_greeting": "Beste {name},",
    "mail_greeting_anonymous": "Beste klant,",
    "mail_body": "U had onlangs contact met onze klantenservice. Wilt u ons laten weten hoe dat ging? "
    "Het is één vraag en kost u een halve minuut.",
    "mail_button": "Geef uw mening",
    "mail_valid": "De link werkt tot {until}.",
    "mail_regards": "Met vriendelijke groet,",
    "mail_signature": "De klantenservice van {org}",
}

EN: Final[Texts] = {
    "title": "How did we help you?",
    "intro": "You were recently in touch with {org}. Would you tell us how it went? It takes half a minute.",
    "nps_question": "How likely is it that you would recommend {org} to a friend or family member?",
    "nps_low": "0 = not at all likely",
    "nps_high": "10 = extremely likely",
    "csat_question": "How satisfied are you with how we helped you?",
    "csat_low": "1 = very dissatisfied",
    "csat_high": "5 = very satisfied",
    "score_label": "Score {n}",
    "resolved_question": "Has your question been fully resolved?",
    "yes": "Yes",
    "no": "No",
    "optional": "(optional)",
    "comment_label": "Anything else you would like to tell us?",
    "submit": "Send",
    "choose_score": "Please choose a score first.",
    "comment_too_long": "Your comment is too long (2000 characters at most).",
    "thanks_title": "Thank you",
    "thanks": "Thank you for your answer. We read every response.",
    "tampered_title": "This link does not work",
    "tampered": "This link is not valid. Perhaps it was cut short; "
    "please try opening the link from the e-mail again.",
    "expired_title": "This survey has expired",
    "expired": "This link was valid until {until}. The survey can no longer be filled in; "
    "thank you for your trouble.",
    "answered_title": "Already answered",
    "answered": "This survey has already been answered. Thank you for your answer.",
    "language": "Taal: Nederlands",
    "mail_subject": "How did we help you? ({org})",
    "mail_greeting": "Dear {name},",
    "mail_greeting_anonymous": "Dear customer,",
    "mail_body": "You were recently in touch with our customer service. Would you tell us how it went? "
    "It is one question and takes half a minute.",
    "mail_button": "Give your opinion",
    "mail_valid": "The link works until {until}.",
    "mail_regards": "Kind regards,",
    "mail_signature": "Customer service, {org}",
}

LANGUAGES: Final[dict[str, Texts]] = {"nl": NL, "en": EN}


def texts(language: str | None) -> Texts:
    """The texts for `language` (Dutch for anything else)."""
    return LANGUAGES.get(language or "nl", NL)
