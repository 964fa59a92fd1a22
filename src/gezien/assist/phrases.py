"""Sentences the assist offers the agent to say or write, in the customer's language and register.

These are words for the customer, so they follow the customer (Dutch "u" or "je", or English), not the
language of the agent's screen; that is why they are data here and not gettext strings. The seeds teach
them: acknowledge the feeling before solving, explain why before asking for data, end an abusive call
calmly. A test checks that the analyser reads every acknowledgement as one, in the right register.
"""

from __future__ import annotations

from typing import Literal

Voice = Literal["u", "je", "en"]

ACKNOWLEDGE: dict[str, dict[Voice, tuple[str, ...]]] = {
    "anger": {
        "u": (
            "Ik begrijp dat u hier boos over bent, en dat snap ik ook.",
            "Ik hoor hoe vervelend dit voor u is. Dat had niet zo mogen gaan.",
        ),
        "je": (
            "Ik snap dat je hier boos over bent, en terecht.",
            "Ik hoor hoe vervelend dit voor je is. Dat had niet zo mogen gaan.",
        ),
        "en": ("I understand that you are angry about this, and I can see why.",),
    },
    "stress": {
        "u": ("Ik begrijp dat dit u veel zorgen geeft. Ik help u er graag mee.",),
        "je": ("Ik snap dat dit je veel zorgen geeft. Ik help je er graag mee.",),
        "en": ("I understand this is worrying you. I'm glad to help you with it.",),
    },
    "disappointment": {
        "u": ("Wat vervelend dat het niet is gegaan zoals u had verwacht. Dat begrijp ik goed.",),
        "je": ("Wat vervelend dat het niet is gegaan zoals je had verwacht. Dat begrijp ik goed.",),
        "en": ("I'm sorry it didn't go the way you expected. I understand that.",),
    },
    "repeat": {
        "u": ("Ik begrijp dat het heel vervelend is dat u hier opnieuw over contact moet opnemen.",),
        "je": ("Ik snap dat het heel vervelend is dat je hier opnieuw over contact moet opnemen.",),
        "en": ("I understand how frustrating it is that you have to contact us about this again.",),
    },
}

SIGNPOST: dict[Voice, str] = {
    "u": "Ik wil u graag helpen; daarvoor pak ik uw gegevens erbij. Mag ik uw postcode en huisnummer?",
    "je": "Ik help je graag; daarvoor pak ik je gegevens erbij. Mag ik je postcode en huisnummer?",
    "en": "I'd like to help you; to do that I'll look up your details. May I have your postcode and house number?",
}

CONDOLENCE: dict[Voice, tuple[str, ...]] = {
    "u": (
        "Gecondoleerd met uw verlies. Ik regel dit zo eenvoudig mogelijk voor u.",
        "Wat verdrietig. Neemt u gerust de tijd; ik help u hier verder mee.",
    ),
    "je": (
        "Gecondoleerd met je verlies. Ik regel dit zo eenvoudig mogelijk voor je.",
        "Wat verdrietig. Neem gerust de tijd; ik help je hier verder mee.",
    ),
    "en": ("I'm so sorry for your loss. I'll make this as simple as possible for you.",),
}

ILLNESS: dict[Voice, tuple[str, ...]] = {
    "u": ("Wat naar om te horen. Ik houd er rekening mee en regel dit zo eenvoudig mogelijk voor u.",),
    "je": ("Wat naar om te horen. Ik houd er rekening mee en regel dit zo eenvoudig mogelijk voor je.",),
    "en": ("I'm sorry to hear that. I'll keep it in mind and make this as simple as possible for you.",),
}

ABUSE_WARNING: dict[Voice, str] = {
    "u": "Ik wil u graag helpen, maar dan vraag ik u wel om niet te schelden. Anders kan ik dit gesprek niet voortzetten.",
    "je": "Ik wil je graag helpen, maar dan vraag ik je wel om niet te schelden. Anders kan ik dit gesprek niet voortzetten.",
    "en": "I want to help you, but I must ask you not to swear. Otherwise I cannot continue this conversation.",
}

ABUSE_CLOSE: dict[Voice, str] = {
    "u": "Zo gaan we niet met elkaar om. Als u zich niet fatsoenlijk kunt gedragen, beëindig ik nu het gesprek.",
    "je": "Zo gaan we niet met elkaar om. Als je je niet fatsoenlijk kunt gedragen, beëindig ik nu het gesprek.",
    "en": "This is not how we treat each other. If you cannot behave decently, I will end this conversation now.",
}

OWNERSHIP: dict[Voice, str] = {
    "u": "Ik houd dit zelf in de gaten en neem uiterlijk {due} contact met u op, ook als er nog geen nieuws is.",
    "je": "Ik houd dit zelf in de gaten en neem uiterlijk {due} contact met je op, ook als er nog geen nieuws is.",
    "en": "I will keep an eye on this myself and get back to you by {due}, even if there is no news yet.",
}

ANTICIPATE: dict[Voice, str] = {
    "u": "{verb_u} u vast over {problem}? Daar weten we van, en we zijn ermee bezig.",
    "je": "{verb_je} je vast over {problem}? Daar weten we van, en we zijn ermee bezig.",
    "en": "Are you {verb_en} about {problem}? We know about it, and we are working on it.",
}
# How the customer reached us, for "Belt u vast over ...?" / "Schrijft u vast over ...?"
CHANNEL_VERBS: dict[str, tuple[str, str, str]] = {
    "phone": ("Belt", "Bel", "calling"),
    "chat": ("Schrijft", "Schrijf", "writing"),
    "email": ("Schrijft", "Schrijf", "writing"),
    "webform": ("Schrijft", "Schrijf", "writing"),
}

GREETING_PARTS = (("goedemorgen", 12), ("goedemiddag", 18), ("goedenavond", 24))
GREETING: dict[str, str] = {
    "nl": "{part}, u spreekt met {org}, met {agent}.",
    "en": "{part}, you're speaking with {org}, this is {agent}.",
}
GREETING_EN = {"goedemorgen": "Good morning", "goedemiddag": "Good afternoon", "goedenavond": "Good evening"}


def voice(lang: str, address: str) -> Voice:
    """The voice to speak to a customer in: English for English speakers, else their Dutch register."""
    if lang == "en":
        return "en"
    return "je" if address == "je" else "u"
