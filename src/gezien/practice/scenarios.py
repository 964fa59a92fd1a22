"""The practice room's scenarios: who the simulated customer is, what calms and what angers them, and the
lines they answer with (per reaction, used in turn so replies vary).

The five built-in scenarios come from the seeds (the widow cancelling her late husband's subscription, the
fifth contact about a late delivery, the rude caller, the informal Saturday chat, the formal complaint
letter). They live here, in code, so no one can break them; team leads' own scenarios are rows
(`practice.models.Scenario`) turned into the same `ScenarioSpec`, with the generic lines below filling
the reactions they did not write.

A scenario's texts are content (what a Dutch customer says), not interface text: they are not translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ScenarioRegister = Literal["formal", "informal"]

# The reactions the simulated customer has (gezien.practice.customer decides which one a turn gets).
REACTIONS: tuple[str, ...] = (
    "acknowledged",  # the customer feels heard: calmer
    "partly",  # something like acknowledgement, but not what this customer needs (no condolence)
    "data_first",  # asked for data (or said what angers) before acknowledging: angrier
    "skipped",  # moved on to a solution or question while the feelings were skipped: angrier
    "neutral",  # nothing that helps or hurts
    "progress",  # after being heard: the conversation moves on
    "angered",  # after being heard, said what angers this customer anyway
    "resolved",  # heard and helped: the customer ends content
    "abused",  # the agent abused the customer: the customer ends the conversation
    "hung_up",  # too angry to go on: the customer ends the conversation
)


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """One scenario, built-in or written by a team lead."""

    slug: str
    title: str
    situation: str  # what the agent knows beforehand
    opening: str  # the customer's first words
    register: ScenarioRegister  # how the customer speaks: u (formal) or je (informal)
    start_tension: int  # 0 (calm) .. 100 (furious)
    calms: str  # what calms this customer, in words for the agent
    angers: str  # what angers this customer
    hints: tuple[str, ...]  # protocol hints shown beside the conversation
    need: str  # one line of feedback: what this customer needs first
    # Words that give this customer the acknowledgement they need ("gecondoleerd" for the widow).
    calm_words: tuple[str, ...] = ()
    # Only `calm_words` calm this customer; a general acknowledgement is only `partly` enough.
    strict: bool = False
    # Words that anger this customer before and after being heard ("beleid", "ordernummer").
    anger_words: tuple[str, ...] = ()
    # Words that help this customer on (besides a solution or promise the analysis sees): "opzeggen".
    help_words: tuple[str, ...] = ()
    replies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    builtin: bool = True

    def lines(self, reaction: str) -> tuple[str, ...]:
        """What this customer says for `reaction`: the scenario's own lines, else the generic ones."""
        own = self.replies.get(reaction)
        if own:
            return own
        generic = GENERIC_FORMAL if self.register == "formal" else GENERIC_INFORMAL
        return generic[reaction]

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "situation": self.situation,
            "opening": self.opening,
            "register": self.register,
            "start_tension": self.start_tension,
            "calms": self.calms,
            "angers": self.angers,
            "hints": list(self.hints),
            "need": self.need,
            "calm_words": list(self.calm_words),
            "strict": self.strict,
            "anger_words": list(self.anger_words),
            "help_words": list(self.help_words),
            "replies": {k: list(v) for k, v in self.replies.items()},
            "builtin": self.builtin,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScenarioSpec:
        return cls(
            slug=data["slug"],
            title=data["title"],
            situation=data["situation"],
            opening=data["opening"],
            register=data["register"],
            start_tension=int(data["start_tension"]),
            calms=data["calms"],
            angers=data["angers"],
            hints=tuple(data.get("hints", ())),
            need=data.get("need", ""),
            calm_words=tuple(data.get("calm_words", ())),
            strict=bool(data.get("strict", False)),
            anger_words=tuple(data.get("anger_words", ())),
            help_words=tuple(data.get("help_words", ())),
            replies={k: tuple(v) for k, v in data.get("replies", {}).items()},
            builtin=bool(data.get("builtin", False)),
        )


GENERIC_FORMAL: dict[str, tuple[str, ...]] = {
    "acknowledged": (
        "Dank u, fijn dat u dat zegt.",
        "Ja, zo voelt het voor mij ook. Goed dat u het begrijpt.",
    ),
    "partly": (
        "Ja... dat zal wel. Maar u hoort niet echt wat ik zeg.",
        "Dat zegt u nu wel, maar zo voelt het niet.",
    ),
    "data_first": (
        "Moet dat nu meteen? U luistert helemaal niet naar wat ik zeg.",
        "Weer die gegevens. Hoort u eigenlijk wel wat ik vertel?",
        "Ik ben geen nummer. Ik wil eerst dat iemand luistert.",
    ),
    "skipped": (
        "U gaat wel erg snel. Het gaat mij niet alleen om de oplossing.",
        "Hebt u eigenlijk wel gehoord wat ik zei?",
    ),
    "neutral": (
        "Ja?",
        "Goed. En nu?",
    ),
    "progress": (
        "Goed, dat is prima.",
        "Dat is duidelijk, dank u.",
    ),
    "angered": (
        "Nee, daar heb ik niets aan.",
        "Dat is precies waar ik boos om word.",
    ),
    "resolved": (
        "Dank u wel, zo is het goed geregeld. Fijn dat u de tijd nam.",
        "Dank u, daar ben ik echt mee geholpen.",
    ),
    "abused": ("Zo laat ik niet tegen me praten. Ik hang op.",),
    "hung_up": ("Dit heeft zo geen zin. Ik beëindig dit gesprek.",),
}

GENERIC_INFORMAL: dict[str, tuple[str, ...]] = {
    "acknowledged": ("Thanks, fijn dat je dat zegt.", "Ja precies, dat bedoel ik!"),
    "partly": ("Hmm ok... maar je snapt het niet echt.", "Ja ja. Maar daar heb ik nog niks aan."),
    "data_first": (
        "Huh, moet dat nu al? Ik stelde net een vraag.",
        "Pff, eerst al die gegevens weer?",
    ),
    "skipped": ("Wacht even, je luistert niet echt he?", "Ehm, dat was niet helemaal mijn vraag."),
    "neutral": ("Ok?", "En nu?"),
    "progress": ("Top, dat klinkt goed.", "Ok, helder!"),
    "angered": ("Nou, daar heb ik niks aan.", "Serieus? Dat vind ik echt niet ok."),
    "resolved": ("Super, thanks! Fijne dag nog 😊", "Top, echt fijn geholpen, dankje!"),
    "abused": ("Ho even, zo praat je niet tegen mij. Ik stop ermee.",),
    "hung_up": ("Laat maar, ik ben er klaar mee. Doei.",),
}


WEDUWE = ScenarioSpec(
    slug="weduwe",
    title="De weduwe die het abonnement van haar man opzegt",
    situation=(
        "Mevrouw De Vries belt. Haar man is twee weken geleden overleden en ze wil zijn abonnement "
        "opzeggen. Ze is verdrietig en het kost haar moeite om te bellen."
    ),
    opening=("Goedemiddag... mijn man is twee weken geleden overleden en ik wil zijn abonnement opzeggen."),
    register="formal",
    start_tension=50,
    calms=(
        "Een oprecht blijk van medeleven (gecondoleerd, wat verdrietig), rust en uitleg waarom u iets vraagt."
    ),
    angers="Meteen om postcode en huisnummer vragen; over haar verlies heen praten; haast.",
    hints=(
        "Condoleer eerst, voordat u iets vraagt.",
        "Leg uit waarom u gegevens nodig hebt: 'Ik wil u graag helpen en pak daarvoor uw gegevens erbij.'",
        "Protocol overlijden: opzeggen per overlijdensdatum, zonder opzegtermijn, zonder kosten.",
    ),
    need="Deze klant heeft eerst een blijk van medeleven nodig: condoleer haar voordat u iets vraagt.",
    calm_words=(
        "gecondoleerd",
        "condoleer",
        "condoleren",
        "deelneming",
        "medeleven",
        "verdrietig",
        "verlies",
        "wat erg",
        "wat naar",
        "wat verschrikkelijk",
        "sterkte",
    ),
    strict=True,
    anger_words=("opzegtermijn", "opzegkosten", "overlijdensakte"),
    help_words=("zeg het abonnement", "stopzetten", "stop zetten", "beëindig", "regel het", "zonder kosten"),
    replies={
        "acknowledged": (
            "Dank u wel... dat is lief dat u dat zegt. Het is allemaal nog zo onwerkelijk.",
            "Ja... dank u. Het is fijn dat iemand even stilstaat.",
        ),
        "partly": (
            "Ja... vervelend is het zeker. Mijn man is overleden, weet u.",
            "Het gaat niet om een vervelende situatie. Mijn man is er niet meer.",
        ),
        "data_first": (
            "Mijn postcode? Ik vertel u net dat mijn man is overleden.",
            "Ik... ik weet het even niet meer. Ik belde om zijn abonnement op te zeggen, hij is overleden.",
            "Moet ik nu echt eerst al die nummers geven? Het is allemaal al zo zwaar.",
        ),
        "skipped": (
            "U gaat wel erg snel. Het is voor mij allemaal nog heel vers.",
            "Hoort u wel wat ik zeg? Mijn man is net overleden.",
        ),
        "neutral": ("Ja.", "Hm. Wat moet ik nu doen?"),
        "progress": (
            "Mijn postcode is 3512 AB, huisnummer 12. Het abonnement staat op naam van Henk de Vries.",
            "Dat is goed. Hoe gaat het dan verder?",
        ),
        "angered": (
            "Kosten? Daar had ik nu echt niet op gerekend. Hij is overleden.",
            "Moet ik daar nu ook nog papieren voor opsturen?",
        ),
        "resolved": (
            "Dank u wel, dat is een zorg minder. U was heel vriendelijk.",
            "Fijn dat het zo geregeld is. Dank u voor uw geduld.",
        ),
        "abused": ("Wat? Zo laat ik niet tegen me praten. Ik hang op.",),
        "hung_up": ("Ik kan dit nu niet aan. Ik bel later wel terug... of niet.",),
    },
)

VIJFDE_KEER = ScenarioSpec(
    slug="vijfde-keer",
    title="De vijfde keer over een late levering",
    situation=(
        "Meneer Jansen neemt voor de vijfde keer contact op: zijn wasmachine zou drie weken geleden "
        "geleverd worden en is er nog steeds niet. Elke keer kreeg hij een andere belofte."
    ),
    opening=(
        "Dit is nu de vijfde keer dat ik bel. Mijn wasmachine zou drie weken geleden komen en ik heb nog "
        "steeds niks. Elke keer word ik met een kluitje in het riet gestuurd!"
    ),
    register="formal",
    start_tension=70,
    calms=(
        "Erkennen dat hij al vijf keer contact heeft gehad, excuses, en een concrete toezegging die u zelf "
        "nakomt (u belt hem terug)."
    ),
    angers=(
        "Meteen om ordernummer of postcode vragen; het beleid of de vervoerder de schuld geven; weer een "
        "vage belofte."
    ),
    hints=(
        "Laat hem eerst uitrazen; erken de vijf contacten en zijn frustratie.",
        "Geen database erbij voordat u hebt geluisterd: eerst luisteren, dan pas gegevens.",
        "Doe een concrete toezegging met een tijdstip en kom die zelf na.",
    ),
    need="Erken eerst dat hij al vijf keer contact had en dat dat frustrerend is, en bied excuses aan.",
    # Data asked first angers through the analysis's data_request; once heard, the order number is fine.
    anger_words=("beleid", "vervoerder", "de planning", "geduld"),
    help_words=("bel u", "terugbellen", "persoonlijk", "zelf uitzoeken", "nieuwe levering", "morgen"),
    replies={
        "acknowledged": (
            "Nou, eindelijk iemand die het snapt. Vijf keer, ja.",
            "Oké. Dank u. Ik ben het gewoon zo zat.",
        ),
        "partly": ("Ja, dat zeggen ze elke keer.",),
        "data_first": (
            "Mijn ordernummer?! Dat heb ik de vorige vier keer ook al gegeven!",
            "Staat dat niet allemaal in jullie systeem? Vijf keer heb ik het al verteld!",
            "Ik ga niet weer mijn hele verhaal en al mijn nummers opnoemen.",
        ),
        "skipped": (
            "Dat hoor ik nu voor de vijfde keer. Ik geloof er niks meer van.",
            "Weer een belofte. Waarom zou ik u nu wel geloven?",
        ),
        "neutral": ("En? Wat gaat u nu doen?", "Ik wacht."),
        "progress": (
            "Goed, het ordernummer is 4471-2290. Wat gaat u nu doen?",
            "Oké. Als u dat echt doet, is het goed.",
        ),
        "angered": (
            "Het beleid interesseert me niet, ik wil mijn wasmachine!",
            "De vervoerder? Ik heb bij jullie gekocht, niet bij de vervoerder.",
        ),
        "resolved": (
            "Goed. Dan hoor ik morgen van u. Dank u dat u het echt oppakt.",
            "Oké, dat is tenminste concreet. Dank u.",
        ),
        "abused": ("Nou ja zeg! Dan ga ik wel naar de concurrent. Dag!",),
        "hung_up": ("Laat maar. Ik zeg mijn bestelling op en ga ergens anders heen.",),
    },
)

GROF = ScenarioSpec(
    slug="grof",
    title="De grove beller",
    situation=(
        "Een klant belt over een hoge rekening en scheldt vanaf de eerste zin. Hij wil dat de rekening "
        "wordt aangepast."
    ),
    opening="Wat is dit voor een kutbedrijf? Jullie hebben me 240 euro gerekend, stelletje oplichters!",
    register="informal",
    start_tension=75,
    calms=(
        "Rustig blijven, de boosheid erkennen zonder mee te gaan, en rustig een grens stellen "
        "('zo gaan we niet met elkaar om')."
    ),
    angers="Terugschelden (dan hangt hij op), een preek, of meteen zijn klantnummer vragen.",
    hints=(
        "Niet verlagen tot hetzelfde niveau: schelden is uit den boze.",
        "Erken de boosheid over de rekening; stel rustig een grens bij schelden.",
        "Past hij zijn gedrag na een waarschuwing niet aan, dan mag u het gesprek rustig beëindigen.",
    ),
    need="Blijf rustig: erken zijn boosheid over de rekening en stel zo nodig rustig een grens.",
    calm_words=(
        "zo gaan we niet",
        "fatsoenlijk",
        "op deze toon",
        "niet uitschelden",
        "rustig",
        "begrijp",
        "vervelend",
        "frustrerend",
        "schrik",
    ),
    anger_words=("beleid", "kalm aan", "doe normaal"),
    help_words=("nakijken", "aanpassen", "corrigeren", "terugbetalen", "crediteren", "uitzoeken"),
    replies={
        "acknowledged": (
            "...Ja. Oké. Sorry, maar ik schrok me echt kapot van die rekening.",
            "Oké, oké. Het is gewoon veel geld, snap je.",
        ),
        "data_first": (
            "Klantnummer? Pak gewoon die rekening erbij, man!",
            "Ik ga jou helemaal niks geven voordat je die rekening fixt!",
        ),
        "skipped": (
            "Ja hoor, en dan? Ik betaal die 240 euro echt niet!",
            "Daar heb ik niks aan. Regel het gewoon!",
        ),
        "neutral": ("Nou? Wordt het nog wat?", "Ik wacht, hoor."),
        "progress": ("Oké. Mijn klantnummer is 88120. Kun je het nu aanpassen?", "Goed, dat klinkt beter."),
        "angered": ("Beleid? Bekijk het met je beleid!", "Doe zelf normaal!"),
        "resolved": ("Oké. Nou, bedankt dan. Sorry voor net.", "Goed. Dat is netjes opgelost, dank je."),
        "abused": ("Wat zeg jij nou tegen mij?! Ik hang op en ik dien een klacht in!",),
        "hung_up": ("Ik ben er klaar mee. Ik zeg alles op!",),
    },
)

INFORMEEL = ScenarioSpec(
    slug="informeel",
    title="De informele chat op zaterdagochtend",
    situation=(
        "Zaterdagochtend, de chat. Lisa ligt nog in bed en wil weten of haar nieuwe koptelefoon maandag "
        "geleverd kan worden. Ze schrijft los en met emoji."
    ),
    opening=(
        "Hoi! 😊 Ik wil die draadloze koptelefoon bestellen, kan die maandag al bij mij zijn? Heb je even?"
    ),
    register="informal",
    start_tension=20,
    calms="Haar stijl volgen (je en jij, vlot en vriendelijk), meteen helpen met haar vraag.",
    angers=(
        "Stijf en formeel antwoorden (u, 'geachte'), een standaardtekst, of omslachtig om gegevens vragen."
    ),
    hints=(
        "Volg de stijl van de klant: zij zegt je, dus u klinkt hier stijf.",
        "Geef meteen antwoord op haar vraag; een emoji mag.",
    ),
    need="Volg haar stijl: zij schrijft je en jij, dus antwoord vlot met je.",
    calm_words=("leuk", "top", "super", "natuurlijk", "tuurlijk"),
    anger_words=("geachte", "met vriendelijke groet", "hoogachtend"),
    help_words=("maandag", "bestel", "morgen", "binnen"),
    replies={
        "acknowledged": ("Haha top, dankje! 😄", "Yes, fijn!"),
        "data_first": (
            "Eh, ik wil alleen even weten of het maandag kan hoor 😅",
            "Moet ik daarvoor al mijn gegevens geven? Het is maar een vraagje.",
        ),
        "skipped": ("Haha ok, maar kan het nou maandag of niet?",),
        "neutral": ("Ok! En kan het maandag?", "👍"),
        "progress": ("Ah top, dan bestel ik hem nu!", "Super, dat is helder!"),
        "angered": ("Wow, wat formeel 😅", "Oké... dat klinkt wel heel stijf haha."),
        "resolved": ("Top, besteld! Fijn weekend! 😊", "Super, thanks! Fijne zaterdag nog!"),
    },
)

FORMELE_KLACHT = ScenarioSpec(
    slug="formele-klacht",
    title="De formele klachtbrief",
    situation=(
        "Mevrouw Van den Berg-Smit schrijft een formele klachtbrief: een monteur kwam twee keer niet "
        "opdagen en zij nam er twee keer een dag vrij voor. Zij verwacht een serieuze, zorgvuldige reactie."
    ),
    opening=(
        "Geachte heer/mevrouw, Hierbij dien ik formeel een klacht in. Op 3 en 10 november zou uw monteur "
        "langskomen; beide keren is niemand verschenen, terwijl ik hiervoor twee dagen verlof had genomen. "
        "Ik verzoek u mij binnen vijf werkdagen te berichten hoe u dit oplost. Hoogachtend, "
        "mr. E. van den Berg-Smit"
    ),
    register="formal",
    start_tension=60,
    calms=(
        "Een zorgvuldige, formele reactie met u: erkennen wat er misging, excuses, en een concrete "
        "toezegging met termijn."
    ),
    angers=(
        "Een te informele toon (je, hoi, emoji), een standaardtekst, of vragen om gegevens die zij al gaf."
    ),
    hints=(
        "Volg haar register: zij schrijft formeel, antwoord met u.",
        "Benoem concreet wat er misging (twee keer geen monteur, twee dagen verlof) en bied excuses aan.",
        "Doe een toezegging binnen de termijn die zij noemt.",
    ),
    need="Erken concreet wat er misging en bied excuses aan, in een formele toon met u.",
    anger_words=("hoi", "hey", "doei", "klantnummer", "beleid"),
    help_words=("vergoed", "nieuwe afspraak", "compensatie", "schriftelijk", "binnen vijf werkdagen"),
    replies={
        "acknowledged": (
            "Ik stel het op prijs dat u erkent wat er is misgegaan.",
            "Dank u. Dat is de erkenning die ik tot nu toe miste.",
        ),
        "data_first": (
            "Alle gegevens staan in mijn brief. Ik verwacht dat u die zorgvuldig leest.",
            "U vraagt om gegevens die ik al heb verstrekt. Dat bevestigt helaas mijn indruk.",
        ),
        "skipped": (
            "U gaat voorbij aan de kern van mijn klacht: twee verloren vrije dagen.",
            "Dat is een standaardantwoord. Ik verwacht een serieuze reactie op mijn klacht.",
        ),
        "neutral": ("Ik wacht uw inhoudelijke reactie af.",),
        "progress": ("Dat is helder. Ik zie uw bevestiging graag schriftelijk tegemoet.", "Dank u."),
        "angered": (
            "Ik verzoek u een gepaste toon aan te houden.",
            "Deze toon vind ik niet passend bij een formele klacht.",
        ),
        "resolved": (
            "Dank u voor uw zorgvuldige reactie. Ik zie de afspraak met vertrouwen tegemoet.",
            "Hiermee beschouw ik mijn klacht als serieus genomen. Dank u.",
        ),
        "abused": ("Dit is ontoelaatbaar. Ik zal mij tot de geschillencommissie wenden.",),
        "hung_up": ("Ik zie geen andere mogelijkheid dan mijn klacht extern voor te leggen.",),
    },
)

BUILTIN: dict[str, ScenarioSpec] = {
    spec.slug: spec for spec in (WEDUWE, VIJFDE_KEER, GROF, INFORMEEL, FORMELE_KLACHT)
}
