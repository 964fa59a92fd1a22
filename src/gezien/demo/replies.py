"""Standaardantwoorden for the demo organisation (Voorbeeld Telecom): shared ones in a u and a je
variant, and a few agents' own. Written to sound like a person: listen first, say what happens next,
no "wij betreuren het ten zeerste". Words in [square brackets] are for the agent to fill in."""

from __future__ import annotations

from dataclasses import dataclass

from gezien.accounts.models import User
from gezien.replies.models import Macro
from gezien.replies.services import macro_create


@dataclass(frozen=True)
class DemoMacro:
    title: str
    body_u: str
    body_je: str
    reasons: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


U_BYE = "\n\nMet vriendelijke groet,\n{medewerker}\nKlantenservice Voorbeeld Telecom"
JE_BYE = "\n\nGroetjes,\n{medewerker}\nVoorbeeld Telecom"

SHARED: tuple[DemoMacro, ...] = (
    DemoMacro(
        "Bevestiging levering",
        "Beste {naam},\n\nGoed nieuws: uw bestelling {ordernummer} is onderweg. U ontvangt vandaag nog een "
        "e-mail met de track-and-trace-code, zodat u precies ziet wanneer de bezorger komt." + U_BYE,
        "Hoi {naam},\n\nGoed nieuws: je bestelling {ordernummer} is onderweg! Vandaag krijg je nog een "
        "mail met de track-and-trace-code, dan zie je precies wanneer de bezorger komt." + JE_BYE,
        ("levering",),
        ("levering", "bestelling"),
    ),
    DemoMacro(
        "Excuses voor vertraging",
        "Beste {naam},\n\nWat vervelend dat u nog op bestelling {ordernummer} wacht. Dat had eerder bij u "
        "moeten zijn, en het spijt me. Ik heb bij ons magazijn nagevraagd: de nieuwe verwachte "
        "leverdatum is [datum]. Komt het dan nog niet, dan hoort u van mij, zonder dat u hoeft te bellen."
        + U_BYE,
        "Hoi {naam},\n\nBalen dat je nog steeds op je bestelling {ordernummer} wacht. Dat had al bij je "
        "moeten zijn, sorry! Ik heb het magazijn gevraagd: hij komt nu naar verwachting op [datum]. "
        "Lukt dat niet, dan hoor je het van mij; je hoeft er zelf niet achteraan." + JE_BYE,
        ("levering_vertraagd",),
        ("levering", "excuses"),
    ),
    DemoMacro(
        "Beschadigd pakket: nieuw exemplaar",
        "Beste {naam},\n\nWat een teleurstelling om een beschadigd pakket open te maken. Ik heb meteen een "
        "nieuw exemplaar voor u klaargezet (bestelling {ordernummer}). Het beschadigde toestel kunt u "
        "gratis terugsturen met het retourlabel dat u per e-mail krijgt; de bezorger mag het ook "
        "meenemen." + U_BYE,
        "Hoi {naam},\n\nWat een domper, een beschadigd pakket. Ik heb direct een nieuwe voor je klaargezet "
        "(bestelling {ordernummer}). De kapotte stuur je gratis terug met het retourlabel uit je mail, of "
        "je geeft hem mee aan de bezorger." + JE_BYE,
        ("levering_beschadigd",),
        ("levering", "retour"),
    ),
    DemoMacro(
        "Retour binnen 14 dagen",
        "Beste {naam},\n\nU kunt uw bestelling {ordernummer} binnen 14 dagen na ontvangst kosteloos "
        "terugsturen. Het retourlabel staat klaar in Mijn Voorbeeld Telecom. Zodra wij het pakket binnen "
        "hebben, storten wij het bedrag binnen vijf werkdagen terug." + U_BYE,
        "Hoi {naam},\n\nJe kunt je bestelling {ordernummer} binnen 14 dagen na ontvangst gratis "
        "terugsturen. Het retourlabel staat voor je klaar in Mijn Voorbeeld Telecom. Hebben we het pakket "
        "binnen, dan heb je je geld binnen vijf werkdagen terug." + JE_BYE,
        ("levering_retour",),
        ("retour",),
    ),
    DemoMacro(
        "Terugbelafspraak",
        "Beste {naam},\n\nZoals afgesproken bel ik u terug op [dag] rond [tijd] op het nummer dat bij ons "
        "bekend is. Komt dat toch niet goed uit? Antwoord dan op dit bericht, dan kiezen we samen een "
        "ander moment." + U_BYE,
        "Hoi {naam},\n\nZoals afgesproken bel ik je op [dag] rond [tijd] terug. Komt het toch niet goed "
        "uit? Stuur me even een berichtje, dan prikken we een ander moment." + JE_BYE,
        (),
        ("terugbellen", "afspraak"),
    ),
    DemoMacro(
        "Condoleance en opzegging na overlijden",
        "Beste {naam},\n\nGecondoleerd met het overlijden van [naam overledene]. Ik vind het fijn dat u het "
        "ons laat weten, en ik zorg dat u er zo weinig mogelijk omkijken naar heeft. Het abonnement "
        "stoppen wij per de datum van overlijden, zonder opzegtermijn en zonder kosten. Wilt u het "
        "abonnement liever op uw eigen naam voortzetten? Dat kan ook, kosteloos.\n\nU hoeft niets op te "
        "sturen; wij nemen binnen twee werkdagen contact met u op om het rustig af te ronden." + U_BYE,
        "Hoi {naam},\n\nGecondoleerd met het overlijden van [naam overledene]. Fijn dat je het ons laat "
        "weten; ik zorg dat je er zo min mogelijk omkijken naar hebt. We stoppen het abonnement per de "
        "datum van overlijden, zonder opzegtermijn en zonder kosten. Wil je het liever op jouw naam "
        "houden? Dat kan ook, gratis.\n\nJe hoeft niets op te sturen. Binnen twee werkdagen nemen we "
        "contact met je op om het rustig af te ronden." + JE_BYE,
        ("abonnement_opzeggen", "abonnement_overzetten"),
        ("overlijden", "opzeggen"),
    ),
    DemoMacro(
        "Storing bekend",
        "Beste {naam},\n\nDank u wel voor uw melding. Er is op dit moment een storing bij u in de buurt; "
        "onze monteurs zijn ermee bezig. U hoeft niets aan uw apparatuur te doen. Zodra het is opgelost, "
        "krijgt u van ons een sms. Voor de dagen zonder verbinding krijgt u automatisch een "
        "vergoeding." + U_BYE,
        "Hoi {naam},\n\nThanks voor je melding! Er is nu een storing bij jou in de buurt en onze monteurs "
        "zijn ermee bezig. Je hoeft zelf niets te doen. Is het opgelost, dan krijg je een sms. Voor de "
        "dagen zonder verbinding krijg je vanzelf een vergoeding." + JE_BYE,
        ("storing",),
        ("storing",),
    ),
    DemoMacro(
        "Storing opgelost",
        "Beste {naam},\n\nDe storing in uw omgeving is verholpen. Werkt uw verbinding nog niet? Zet het "
        "modem dan een minuut uit en weer aan. Lukt het daarna nog steeds niet, laat het mij dan weten; "
        "dan kijk ik met u verder." + U_BYE,
        "Hoi {naam},\n\nDe storing bij jou in de buurt is opgelost! Doet je internet het nog niet? Zet je "
        "modem even een minuutje uit en weer aan. Werkt het dan nog niet, laat het me weten, dan zoeken "
        "we samen verder." + JE_BYE,
        ("storing",),
        ("storing",),
    ),
    DemoMacro(
        "Monteur ingepland",
        "Beste {naam},\n\nEr komt een monteur bij u langs op [dag] tussen [tijdvak]. Hij belt een half uur "
        "van tevoren. Wilt u zorgen dat hij bij het modem en de meterkast kan? Past het moment toch "
        "niet, dan verzetten we het gewoon." + U_BYE,
        "Hoi {naam},\n\nEr komt een monteur bij je langs op [dag] tussen [tijdvak]. Hij belt een half uur "
        "van tevoren. Kan hij bij je modem en de meterkast? Past het toch niet, dan verzetten we het "
        "gewoon." + JE_BYE,
        ("storing_internet", "storing_tv"),
        ("monteur", "afspraak"),
    ),
    DemoMacro(
        "Betalingsregeling",
        "Beste {naam},\n\nDank u wel dat u contact met ons opneemt; dat is niet altijd makkelijk. We kunnen "
        "het openstaande bedrag van [bedrag] verdelen over [aantal] maanden, zonder extra kosten. Zolang de "
        "regeling loopt, blijven uw diensten gewoon werken. Gaat het een keer niet lukken, neem dan "
        "contact op, dan zoeken we samen naar een oplossing." + U_BYE,
        "Hoi {naam},\n\nGoed dat je contact met ons opneemt, dat is niet altijd makkelijk. We kunnen het "
        "openstaande bedrag van [bedrag] verdelen over [aantal] maanden, zonder extra kosten. Zolang de "
        "regeling loopt, blijft alles gewoon werken. Lukt het een keer niet? Laat het ons weten, dan "
        "zoeken we samen naar een oplossing." + JE_BYE,
        ("factuur_betalingsregeling",),
        ("betaling", "factuur"),
    ),
    DemoMacro(
        "Dubbel afgeschreven",
        "Beste {naam},\n\nU heeft gelijk: het bedrag is twee keer van uw rekening afgeschreven. Dat is onze "
        "fout, excuses. Ik heb de terugbetaling vandaag, {datum}, in gang gezet; binnen drie werkdagen "
        "staat het geld weer op uw rekening." + U_BYE,
        "Hoi {naam},\n\nJe hebt gelijk, het bedrag is twee keer afgeschreven. Onze fout, sorry! Ik heb de "
        "terugbetaling vandaag ({datum}) geregeld; binnen drie werkdagen staat het weer op je rekening."
        + JE_BYE,
        ("factuur_dubbel_afgeschreven",),
        ("factuur", "excuses"),
    ),
    DemoMacro(
        "Uitleg hogere factuur",
        "Beste {naam},\n\nIk begrijp dat een hogere factuur dan verwacht schrikken is. Ik heb hem voor u "
        "nagelopen: het verschil komt door [oorzaak]. Klopt er volgens u toch iets niet, laat het me dan "
        "weten; dan zoek ik het verder uit." + U_BYE,
        "Hoi {naam},\n\nSchrikken hoor, een hogere factuur dan je verwachtte. Ik heb hem voor je bekeken: "
        "het verschil komt door [oorzaak]. Klopt er volgens jou toch iets niet? Laat het me weten, dan "
        "duik ik er verder in." + JE_BYE,
        ("factuur_hoger",),
        ("factuur",),
    ),
    DemoMacro(
        "Opzegging bevestigd",
        "Beste {naam},\n\nUw opzegging is verwerkt. Uw abonnement loopt door tot en met [einddatum]; daarna "
        "stopt het vanzelf. Het modem mag u met het gratis retourlabel terugsturen. Jammer dat u gaat, "
        "en dank u wel voor de afgelopen jaren." + U_BYE,
        "Hoi {naam},\n\nJe opzegging is verwerkt. Je abonnement loopt nog tot en met [einddatum] en stopt "
        "daarna vanzelf. Het modem kun je met het gratis retourlabel terugsturen. Jammer dat je gaat, en "
        "bedankt voor de afgelopen tijd!" + JE_BYE,
        ("abonnement_opzeggen",),
        ("opzeggen",),
    ),
    DemoMacro(
        "Verhuizing doorgegeven",
        "Beste {naam},\n\nDank u wel voor het doorgeven van uw verhuizing. Op [verhuisdatum] zetten wij uw "
        "abonnement over naar uw nieuwe adres. Het modem neemt u gewoon mee; op het nieuwe adres sluit u "
        "het op dezelfde manier aan. Veel plezier in uw nieuwe huis!" + U_BYE,
        "Hoi {naam},\n\nTop dat je je verhuizing hebt doorgegeven! Op [verhuisdatum] zetten we je "
        "abonnement over naar je nieuwe adres. Je modem neem je gewoon mee en sluit je daar op dezelfde "
        "manier aan. Veel plezier in je nieuwe huis!" + JE_BYE,
        ("verhuizing",),
        ("verhuizing",),
    ),
    DemoMacro(
        "Tenaamstelling wijzigen",
        "Beste {naam},\n\nU wilt het abonnement op een andere naam zetten. Dat regelen we graag. Ik stuur u "
        "een formulier dat u en de nieuwe contractant allebei ondertekenen. Zodra het terug is, zetten "
        "wij het binnen vijf werkdagen om; uw nummer en diensten blijven hetzelfde." + U_BYE,
        "Hoi {naam},\n\nJe wilt het abonnement op een andere naam zetten, dat regelen we. Ik stuur je een "
        "formulier dat jij en de nieuwe contractant allebei tekenen. Hebben we het terug, dan zetten we "
        "het binnen vijf werkdagen om. Je nummer en diensten blijven hetzelfde." + JE_BYE,
        ("abonnement_overzetten",),
        ("abonnement",),
    ),
    DemoMacro(
        "Modem opnieuw opstarten",
        "Beste {naam},\n\nWilt u het volgende eens proberen? Haal de stekker van het modem er een minuut "
        "uit en steek hem er weer in. Na ongeveer vijf minuten branden de lampjes weer wit. Werkt het "
        "daarna nog niet, laat het me dan weten; dan kijk ik op afstand met u mee." + U_BYE,
        "Hoi {naam},\n\nWil je dit eens proberen? Haal de stekker van je modem er een minuutje uit en "
        "steek hem er weer in. Na zo'n vijf minuten branden de lampjes weer wit. Werkt het dan nog niet, "
        "laat het me weten, dan kijk ik op afstand met je mee." + JE_BYE,
        ("product_instellen", "storing_internet"),
        ("modem", "instellen"),
    ),
    DemoMacro(
        "Tijdelijk niet leverbaar",
        "Beste {naam},\n\nHet toestel dat u heeft besteld ({ordernummer}) is tijdelijk niet leverbaar. "
        "Wij verwachten een nieuwe voorraad rond [datum]. U kunt wachten; dan houden wij uw bestelling "
        "vast en krijgt u bericht zodra hij verzonden is. U kunt ook kosteloos annuleren." + U_BYE,
        "Hoi {naam},\n\nHet toestel dat je hebt besteld ({ordernummer}) is even niet leverbaar. Rond "
        "[datum] verwachten we nieuwe voorraad. Wil je wachten? Dan houden we je bestelling vast en hoor "
        "je het zodra hij onderweg is. Annuleren kan ook, gratis." + JE_BYE,
        ("voorraad_niet_leverbaar",),
        ("voorraad", "bestelling"),
    ),
    DemoMacro(
        "Klacht ontvangen",
        "Beste {naam},\n\nDank u wel dat u de moeite neemt om dit te laten weten. Ik begrijp dat u "
        "teleurgesteld bent, en dat is terecht. Ik neem uw klacht zelf in behandeling en laat u uiterlijk "
        "[datum] weten wat wij eraan doen." + U_BYE,
        "Hoi {naam},\n\nBedankt dat je de moeite neemt om dit te laten weten. Ik snap dat je teleurgesteld "
        "bent, en terecht. Ik pak je klacht zelf op en laat je uiterlijk [datum] weten wat we eraan "
        "doen." + JE_BYE,
        ("klacht", "klacht_bejegening"),
        ("klacht",),
    ),
    DemoMacro(
        "Compliment doorgegeven",
        "Beste {naam},\n\nWat fijn om te lezen, dank u wel! Ik heb uw compliment doorgegeven aan mijn "
        "collega; daar wordt het team echt blij van." + U_BYE,
        "Hoi {naam},\n\nWat leuk om te lezen, dankjewel! Ik heb je compliment doorgegeven aan mijn collega; "
        "daar wordt het hele team blij van." + JE_BYE,
        ("compliment",),
        ("compliment",),
    ),
    DemoMacro(
        "Ik zoek het voor u uit",
        "Beste {naam},\n\nDank u wel voor uw bericht. Ik wil dit goed voor u uitzoeken en heb daarvoor even "
        "contact met een collega nodig. U hoort uiterlijk [dag] van mij, ook als ik nog geen antwoord "
        "heb." + U_BYE,
        "Hoi {naam},\n\nThanks voor je bericht! Ik wil dit goed voor je uitzoeken en moet daarvoor even bij "
        "een collega navragen. Je hoort uiterlijk [dag] van me, ook als ik nog geen antwoord heb." + JE_BYE,
        (),
        ("uitzoeken",),
    ),
    DemoMacro(
        "Gegevens nodig om te helpen",
        "Beste {naam},\n\nIk help u graag verder. Om uw gegevens erbij te pakken, heb ik uw postcode en "
        "huisnummer of uw klantnummer nodig. Dan kan ik direct voor u kijken." + U_BYE,
        "Hoi {naam},\n\nIk help je graag verder! Om je gegevens erbij te pakken heb ik je postcode en "
        "huisnummer of je klantnummer nodig. Dan kan ik meteen voor je kijken." + JE_BYE,
        (),
        ("gegevens",),
    ),
    DemoMacro(
        "Afsluiting",
        "Is er verder nog iets waarmee ik u kan helpen, {naam}? Anders wens ik u nog een fijne dag." + U_BYE,
        "Kan ik verder nog iets voor je doen, {naam}? Anders: nog een hele fijne dag!" + JE_BYE,
        (),
        ("afsluiting", "chat"),
    ),
)

# username -> the agent's own macros; some write only in their own register.
PERSONAL: dict[str, tuple[DemoMacro, ...]] = {
    "agent": (
        DemoMacro(
            "Mijn afsluiting (chat)",
            "Fijn dat ik u kon helpen, {naam}. Nog een prettige dag!\n\n{medewerker}",
            "Fijn dat ik je kon helpen, {naam}! Nog een hele fijne dag :)\n\n{medewerker}",
            (),
            ("afsluiting", "chat"),
        ),
        DemoMacro(
            "Klantnummer bevestigen",
            "Ter bevestiging: ik heb uw gegevens gevonden onder klantnummer {klantnummer}.",
            "Gevonden! Je klantnummer is {klantnummer}, handig om te bewaren.",
            (),
            ("gegevens",),
        ),
    ),
    "fatima.elamrani": (
        DemoMacro(
            "Even geduld",
            "Een ogenblik, {naam}, ik kijk het direct voor u na.",
            "Momentje {naam}, ik kijk het meteen voor je na!",
            (),
            ("chat",),
        ),
    ),
    "lotte.brouwer": (
        DemoMacro(
            "Hoi en welkom",
            "",
            "Hoi {naam}! Leuk dat je ons even appt. Waar kan ik je mee helpen?",
            (),
            ("chat",),
        ),
    ),
    "tim.hoekstra": (
        DemoMacro(
            "Beantwoording per e-mail",
            "Beste {naam},\n\nHartelijk dank voor uw e-mail. Hieronder vindt u mijn antwoord."
            "\n\n[antwoord]" + U_BYE,
            "",
            (),
            ("e-mail",),
        ),
    ),
}


def load_demo_macros(users: dict[str, User]) -> int:
    """The shared macros (made by the team lead) and the agents' own; what is already there is kept."""
    made = 0
    lead = users.get("teamlead")
    if lead is not None:
        made += _load(lead, SHARED, shared=True)
    for username, macros in PERSONAL.items():
        if username in users:
            made += _load(users[username], macros, shared=False)
    return made


def _load(actor: User, macros: tuple[DemoMacro, ...], *, shared: bool) -> int:
    existing = Macro.objects.filter(owner=None if shared else actor)
    have = set(existing.values_list("title", flat=True))
    for item in macros:
        if item.title not in have:
            macro_create(
                actor=actor,
                title=item.title,
                body_u=item.body_u,
                body_je=item.body_je,
                tags=item.tags,
                reasons=item.reasons,
                shared=shared,
            )
    return len([item for item in macros if item.title not in have])
