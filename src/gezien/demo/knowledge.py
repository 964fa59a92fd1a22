"""The demo kennisbank of Voorbeeld Telecom: articles for the contact reasons of the demo organisation.

Written through the services (so the full-text index is built as in production). Some articles were
last reviewed long ago on purpose: the desk flags them ("al lang niet nagekeken"). A few closed demo
contacts carry "heeft geholpen" marks, so the proposals show how often an article helped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts.models import Contact, ContactReason, Status
from gezien.knowledge.models import Article
from gezien.knowledge.services import article_archive, article_create, article_feedback


@dataclass(frozen=True)
class ArticlePlan:
    title: str
    body: str
    text_u: str
    text_je: str
    tags: tuple[str, ...]
    reasons: tuple[str, ...]
    owner: str
    reviewed_days_ago: int


A = ArticlePlan
ARTICLES: tuple[ArticlePlan, ...] = (
    A(
        "Bestelling volgen met het ordernummer",
        "Vraag naar het ordernummer (VT + 7 cijfers) of zoek de bestelling op in het klantbeeld.\n"
        "- Status 'verzonden': geef de track-and-tracecode en de vervoerder.\n"
        "- Status 'in behandeling': bestellingen vóór 22:00 gaan de volgende werkdag mee.\n"
        "- Geen bestelling gevonden: vraag of de klant een bevestigingsmail heeft gekregen.",
        "Uw bestelling is onderweg. Met de track-and-tracecode in de verzendmail kunt u precies zien "
        "wanneer de bezorger komt.",
        "Je bestelling is onderweg! Met de track-and-tracecode in de verzendmail zie je precies wanneer "
        "de bezorger komt.",
        ("bestelling", "track-and-trace"),
        ("levering",),
        "teamlead",
        30,
    ),
    A(
        "Levering vertraagd: wat je de klant kunt toezeggen",
        "Erken eerst dat het vervelend is: de klant heeft er vaak al een dag voor thuis gezeten.\n"
        "- Kijk in het klantbeeld of er al eerder over deze bestelling is gebeld. Zo ja: noem dat zelf, "
        "laat de klant het niet opnieuw uitleggen.\n"
        "- Zeg alleen een nieuwe leverdatum toe als de vervoerder die heeft bevestigd.\n"
        "- Bij meer dan 5 werkdagen vertraging: bied kosteloos annuleren aan of een vervangend toestel "
        "uit voorraad.\n"
        "- Leg de toezegging vast als toezegging op de gezien-kaart, met datum.",
        "Wat vervelend dat uw bestelling nog niet binnen is, zeker als u ervoor thuis bent gebleven. Ik "
        "heb bij de vervoerder nagevraagd: de nieuwe leverdatum is [datum]. Lukt dat niet, dan bel ik u "
        "zelf terug.",
        "Balen dat je bestelling nog niet binnen is, zeker als je ervoor thuis bent gebleven. Ik heb het "
        "bij de vervoerder nagevraagd: de nieuwe leverdatum is [datum]. Lukt dat niet, dan bel ik je zelf.",
        ("bestelling", "vervoerder", "toezegging"),
        ("levering_vertraagd",),
        "teamlead",
        20,
    ),
    A(
        "Pakket volgens de vervoerder bezorgd, maar niet ontvangen",
        "Vraag of de klant bij de buren en in de brievenbus heeft gekeken en of er een afhaalbericht is.\n"
        "Dien daarna een onderzoek in bij de vervoerder (duurt maximaal 3 werkdagen). Wacht de klant niet "
        "langer dan nodig: na een afgerond onderzoek sturen we direct een nieuw toestel.",
        "Volgens de vervoerder is uw pakket bezorgd, maar u heeft het niet ontvangen. Ik heb een onderzoek "
        "gestart; binnen drie werkdagen hoort u van ons. Is het pakket dan niet gevonden, dan sturen wij "
        "u meteen een nieuw exemplaar.",
        "De vervoerder zegt dat je pakket bezorgd is, maar je hebt niks ontvangen. Ik heb een onderzoek "
        "gestart; binnen drie werkdagen hoor je van ons. Is het dan niet gevonden, dan sturen we je meteen "
        "een nieuwe.",
        ("bestelling", "vervoerder", "zoekgeraakt"),
        ("levering_vertraagd", "levering"),
        "agent",
        60,
    ),
    A(
        "Weer contact over dezelfde bestelling: eerst erkennen",
        "Belt of chat de klant voor de derde, vierde of vijfde keer over dezelfde zaak? Begin niet met "
        "de oplossingen, maar met erkenning: 'U heeft ons hier al vaker over gesproken, dat had niet "
        "nodig moeten zijn.'\n"
        "- Lees de vorige contacten op de gezien-kaart, vraag niets opnieuw.\n"
        "- Maak één persoon eigenaar: jij, of een collega met een naam.\n"
        "- Spreek een terugbelmoment af en leg dat vast als toezegging.",
        "U heeft ons hier al vaker over gebeld, en dat had niet nodig moeten zijn. Ik neem dit nu zelf "
        "op me en bel u uiterlijk [dag] terug met het antwoord.",
        "Je hebt ons hier al een paar keer over gesproken, en dat had echt niet nodig moeten zijn. Ik pak "
        "dit nu zelf op en bel je uiterlijk [dag] terug.",
        ("herhaalcontact", "erkenning", "bestelling"),
        ("levering_vertraagd", "klacht"),
        "teamlead",
        45,
    ),
    A(
        "Beschadigd of onvolledig geleverd: vervangend toestel",
        "Vraag om een foto van de doos en het toestel (via de chat of als antwoord op de mail). Een "
        "toestel dat beschadigd aankomt, vervangen we altijd; de klant hoeft niet eerst naar de winkel.\n"
        "- Maak een vervangingsorder aan; de bezorger neemt het beschadigde toestel mee.\n"
        "- Ontbreekt een onderdeel (lader, kabel), stuur het los na.",
        "Wat vervelend dat uw toestel beschadigd is aangekomen. Wij sturen u kosteloos een nieuw toestel; "
        "de bezorger neemt het beschadigde exemplaar meteen mee terug.",
        "Wat balen dat je toestel beschadigd is aangekomen! We sturen je gratis een nieuwe; de bezorger "
        "neemt de kapotte meteen mee terug.",
        ("toestel", "vervangen", "beschadigd"),
        ("levering_beschadigd",),
        "agent",
        90,
    ),
    A(
        "Retourneren binnen de bedenktijd",
        "Bij online bestellen heeft de klant 14 dagen bedenktijd, vanaf de dag van ontvangst.\n"
        "- Maak een retourlabel aan; de klant levert het pakket af bij een servicepunt.\n"
        "- Het toestel mag uitgepakt en geprobeerd zijn; terugbetalen binnen 14 dagen na ontvangst.\n"
        "- Een bijbehorend abonnement wordt samen met het toestel ontbonden.",
        "U kunt het toestel binnen 14 dagen na ontvangst kosteloos retourneren. Ik stuur u een "
        "retourlabel per e-mail; het bedrag staat binnen 14 dagen weer op uw rekening.",
        "Je kunt het toestel binnen 14 dagen na ontvangst gratis terugsturen. Ik mail je een retourlabel; "
        "binnen 14 dagen staat het geld weer op je rekening.",
        ("retour", "bedenktijd"),
        ("levering_retour",),
        "teamlead",
        150,
    ),
    A(
        "Retourtermijn verlengen bij ziekte of ziekenhuisopname",
        "Kan de klant door ziekte, een operatie of een opname het pakket niet op tijd wegbrengen? Verleng "
        "de retourtermijn met 30 dagen zonder bewijs te vragen, of laat het pakket thuis ophalen.\n"
        "Noteer de reden als levensgebeurtenis op de gezien-kaart (alleen wat de klant zelf vertelt).",
        "Beterschap! Ik heb uw retourtermijn met 30 dagen verlengd. Wilt u liever niet de deur uit, dan "
        "laten wij het pakket bij u thuis ophalen.",
        "Beterschap! Ik heb je retourtermijn met 30 dagen verlengd. Liever niet de deur uit? Dan halen we "
        "het pakket gewoon bij je thuis op.",
        ("retour", "coulance", "ziekte"),
        ("levering_retour",),
        "teamlead",
        40,
    ),
    A(
        "Toestel tijdelijk niet leverbaar: alternatieven en reserveren",
        "Bekijk in de voorraadlijst wanneer het toestel weer binnenkomt. Noem alleen een datum als die "
        "in de lijst staat.\n"
        "- Bied aan het toestel te reserveren: de klant krijgt een mail zodra het er is.\n"
        "- Noem een vergelijkbaar toestel dat wel op voorraad is, zonder te pushen.",
        "Het toestel is op dit moment niet op voorraad. Ik kan het voor u reserveren; u ontvangt dan een "
        "e-mail zodra het binnen is.",
        "Het toestel is nu even uitverkocht. Ik kan het voor je reserveren; je krijgt een mailtje zodra "
        "het er weer is.",
        ("voorraad", "reserveren", "toestel"),
        ("voorraad_niet_leverbaar",),
        "agent",
        75,
    ),
    A(
        "Website toonde 'op voorraad', maar het toestel is niet leverbaar",
        "Dit is onze fout, niet die van de klant: zeg dat ook. Meld het voorbeeld bij de afdeling "
        "Voorraad (knop 'Ik zie dit ook' op het bekende probleem), zodat het niet alleen bij de "
        "klantenservice blijft liggen.\n"
        "Bied kosteloos annuleren of een vergelijkbaar toestel met dezelfde korting.",
        "U heeft gelijk: op onze website stond dat het toestel op voorraad was, en dat klopte niet. Onze "
        "excuses. U kunt kosteloos annuleren, of kiezen voor een vergelijkbaar toestel met dezelfde "
        "korting.",
        "Je hebt gelijk: op de website stond 'op voorraad' en dat klopte niet. Sorry daarvoor! Je kunt "
        "gratis annuleren, of een vergelijkbaar toestel kiezen met dezelfde korting.",
        ("voorraad", "excuses", "website"),
        ("voorraad_niet_leverbaar", "klacht"),
        "manager",
        210,
    ),
    A(
        "Kopie van een factuur opvragen",
        "Alle facturen van de afgelopen 24 maanden staan in Mijn Voorbeeld Telecom onder 'Facturen'. "
        "Voor de thuiswerkvergoeding volstaat de pdf. Oudere facturen of een verzamelfactuur: maak een "
        "taak aan voor de afdeling Facturatie.",
        "Uw facturen van de afgelopen twee jaar kunt u als pdf downloaden in Mijn Voorbeeld Telecom, "
        "onder 'Facturen'. Ik stuur u ook graag een kopie per e-mail.",
        "Je facturen van de afgelopen twee jaar kun je als pdf downloaden in Mijn Voorbeeld Telecom, "
        "onder 'Facturen'. Ik kan je ook een kopie mailen.",
        ("factuur", "kopie", "thuiswerken"),
        ("factuur",),
        "agent",
        100,
    ),
    A(
        "Dubbele afschrijving terugboeken",
        "Controleer in het betaaloverzicht of er twee keer hetzelfde bedrag is afgeschreven. Zo ja: boek "
        "het dubbele bedrag terug via 'Terugbetaling' (binnen 5 werkdagen op de rekening). De klant hoeft "
        "geen bankafschrift op te sturen.\n"
        "Zie je maar één afschrijving, vraag dan de datum en het bedrag op het bankafschrift.",
        "Klopt, het bedrag is deze maand twee keer afgeschreven. Onze excuses. Ik heb het dubbele bedrag "
        "teruggeboekt; het staat binnen vijf werkdagen weer op uw rekening.",
        "Klopt, er is deze maand twee keer afgeschreven. Sorry! Ik heb het dubbele bedrag teruggeboekt; "
        "binnen vijf werkdagen staat het weer op je rekening.",
        ("factuur", "terugbetaling", "incasso"),
        ("factuur_dubbel_afgeschreven",),
        "teamlead",
        25,
    ),
    A(
        "Hogere factuur: kosten buiten de bundel uitleggen",
        "Open de factuur in het klantbeeld en zoek de regels 'buiten bundel': extra data, betaalnummers "
        "(0900), sms-diensten of een film uit de videotheek.\n"
        "- Leg uit welke regel het verschil maakt, met bedrag.\n"
        "- Eerste keer buiten de bundel en de klant wist het niet: crediteer eenmalig (tot € 50).\n"
        "- Bied een bundelmelding of een blokkade voor betaalnummers aan.",
        "Uw factuur is hoger doordat er deze maand kosten buiten uw bundel zijn gemaakt: [omschrijving]. "
        "Omdat dit de eerste keer is, heb ik het bedrag eenmalig gecrediteerd.",
        "Je factuur is hoger omdat er deze maand kosten buiten je bundel zijn gemaakt: [omschrijving]. "
        "Omdat het de eerste keer is, heb ik het eenmalig voor je gecrediteerd.",
        ("factuur", "buitenbundel", "creditering"),
        ("factuur_hoger",),
        "teamlead",
        35,
    ),
    A(
        "Hogere factuur na vakantie: bellen en internetten buiten de EU",
        "Binnen de EU geldt de bundel gewoon. Buiten de EU (bijvoorbeeld Turkije, Zwitserland, Marokko, "
        "op een cruiseschip) betaalt de klant per MB en per minuut.\n"
        "- Laat zien op welke dagen en in welk land de kosten zijn gemaakt.\n"
        "- Boven € 100 en geen eerdere creditering: crediteer de helft.\n"
        "- Wijs op de reisbundel en het data-limiet van € 50 per maand.",
        "De hogere factuur komt door internetgebruik buiten de EU tijdens uw vakantie. Ik heb de helft van "
        "het bedrag gecrediteerd en een limiet van € 50 ingesteld, zodat dit niet opnieuw kan gebeuren.",
        "Je factuur is hoger door internetten buiten de EU tijdens je vakantie. Ik heb de helft "
        "gecrediteerd en een limiet van € 50 ingesteld, zodat je hier niet nog eens van schrikt.",
        ("factuur", "roaming", "vakantie"),
        ("factuur_hoger",),
        "teamlead",
        300,
    ),
    A(
        "Prijsverhoging per 1 januari (indexatie)",
        "Elk jaar per 1 januari verhogen we de abonnementsprijzen met de inflatie (CBS-cijfer van "
        "oktober). Klanten zijn daarover een maand vooraf per e-mail geïnformeerd.\n"
        "Een klant mag na een prijsverhoging kosteloos opzeggen binnen 30 dagen na de mail.",
        "Per 1 januari is de prijs van uw abonnement verhoogd met het inflatiepercentage. U heeft daarover "
        "in december een e-mail ontvangen. Wilt u daardoor opzeggen, dan kan dat kosteloos.",
        "Per 1 januari is je abonnement duurder geworden door de jaarlijkse inflatiecorrectie. Je hebt "
        "daar in december een mail over gehad. Wil je daarom opzeggen, dan kan dat gratis.",
        ("factuur", "prijsverhoging", "indexatie"),
        ("factuur_hoger", "abonnement"),
        "manager",
        400,
    ),
    A(
        "Betalingsregeling treffen",
        "Een klant die eerlijk zegt dat betalen even niet lukt, helpen we zonder oordeel. Vraag niet naar "
        "de reden; wat de klant zelf vertelt (ontslag, scheiding) mag als levensgebeurtenis op de kaart.\n"
        "- Een regeling van 2 tot 6 maandelijkse termijnen kun je zelf afspreken, zonder extra kosten.\n"
        "- Zet de incasso stop tot de eerste termijn.\n"
        "- Wijs op schuldhulpverlening van de gemeente als de klant daarom vraagt.",
        "Fijn dat u het zelf laat weten. Ik heb een betalingsregeling voor u ingesteld in [aantal] "
        "termijnen, zonder extra kosten. De eerste termijn wordt op [datum] afgeschreven.",
        "Goed dat je het meteen laat weten. Ik heb een betalingsregeling voor je gemaakt in [aantal] "
        "termijnen, zonder extra kosten. De eerste termijn gaat op [datum] van je rekening.",
        ("betalingsregeling", "termijnen", "schuld"),
        ("factuur_betalingsregeling",),
        "teamlead",
        50,
    ),
    A(
        "Aanmaning ontvangen: uitstel en incassokosten",
        "Na een aanmaning heeft de klant 14 dagen. Binnen die termijn kun je uitstel van 14 dagen geven "
        "of een betalingsregeling treffen; er komen dan geen incassokosten bij.\n"
        "Is de vordering al bij het incassobureau, geef dan het nummer van het bureau en noteer het "
        "contact in het klantbeeld.",
        "U heeft een aanmaning ontvangen. Ik heb u 14 dagen uitstel gegeven; er komen geen extra kosten "
        "bij. Lukt betalen ook dan niet, dan treffen we samen een regeling.",
        "Je hebt een aanmaning gekregen. Ik heb je 14 dagen uitstel gegeven, zonder extra kosten. Lukt "
        "het dan nog niet, dan maken we samen een regeling.",
        ("aanmaning", "uitstel", "incasso"),
        ("factuur_betalingsregeling", "factuur"),
        "agent",
        120,
    ),
    A(
        "Storing internet: modem herstarten",
        "Controleer eerst op de storingskaart of er een storing in de buurt is (postcode). Geen storing:\n"
        "1. Laat de klant de stekker van het modem 30 seconden uit het stopcontact halen.\n"
        "2. Wacht tot het lampje wit brandt (2 tot 5 minuten).\n"
        "3. Werkt het daarna nog niet, doe een lijnmeting vanuit het klantbeeld.\n"
        "Werkt de klant thuis en is het dringend, noem dan de mobiele hotspot als tijdelijke oplossing.",
        "Zou u de stekker van het modem 30 seconden uit het stopcontact willen halen en er daarna weer "
        "in steken? Na een paar minuten brandt het lampje wit en werkt uw internet weer.",
        "Wil je de stekker van het modem 30 seconden uit het stopcontact halen en er dan weer in doen? "
        "Na een paar minuten brandt het lampje wit en doet je internet het weer.",
        ("modem", "herstarten", "internet"),
        ("storing_internet",),
        "teamlead",
        15,
    ),
    A(
        "Lampje op het modem knippert oranje of rood",
        "Oranje knipperen: het modem krijgt geen verbinding met het netwerk. Rood: hardwarefout.\n"
        "- Oranje: controleer of de kabel goed in de wandcontactdoos zit, herstart het modem, doe een "
        "lijnmeting.\n"
        "- Rood of geen lampje: het modem is defect. Stuur een nieuw modem (volgende werkdag) of plan een "
        "monteur als de lijnmeting ook een fout geeft.",
        "Het oranje knipperende lampje betekent dat uw modem geen verbinding krijgt. Ik heb de lijn "
        "gemeten en stuur u morgen een nieuw modem toe.",
        "Het oranje knipperende lampje betekent dat je modem geen verbinding krijgt. Ik heb je lijn gemeten "
        "en stuur je morgen een nieuw modem.",
        ("modem", "lampje", "defect"),
        ("storing_internet",),
        "teamlead",
        70,
    ),
    A(
        "Internet traag of valt steeds weg",
        "Vraag of het via de kabel ook traag is of alleen via wifi.\n"
        "- Alleen wifi: zet het modem hoger en vrij, wissel het wifi-kanaal via het klantbeeld, bied een "
        "wifi-punt aan voor grote huizen.\n"
        "- Ook via de kabel: doe een lijnmeting; bij fouten een monteur inplannen.\n"
        "- Valt de verbinding elke paar minuten weg, kijk dan in het storingslog van de lijn.",
        "Ik heb uw verbinding gemeten en het wifi-kanaal aangepast. Merkt u over een dag nog steeds dat het "
        "internet wegvalt, laat het ons dan weten; dan sturen we een monteur.",
        "Ik heb je verbinding gemeten en het wifi-kanaal aangepast. Valt je internet morgen nog steeds weg, "
        "laat het ons dan weten; dan komt er een monteur.",
        ("wifi", "traag", "internet"),
        ("storing_internet",),
        "agent",
        260,
    ),
    A(
        "Storing in de buurt: storingspagina en melden",
        "Op voorbeeldtelecom.nl/storingen staan alle bekende storingen per postcode, met de verwachte "
        "oplostijd. Bij een bekende storing hoeft de klant niets te doen: schrijf de klant in voor een sms "
        "zodra het is opgelost.\n"
        "Duurt een storing langer dan 12 uur, dan krijgt de klant automatisch een vergoeding.",
        "Er is op dit moment een storing in uw omgeving. Onze monteurs werken eraan; de verwachting is "
        "dat het voor [tijd] is opgelost. U ontvangt een sms zodra alles weer werkt.",
        "Er is nu een storing bij jou in de buurt. Onze monteurs zijn ermee bezig; naar verwachting is "
        "het voor [tijd] opgelost. Je krijgt een sms zodra alles weer werkt.",
        ("storing", "storingspagina", "vergoeding"),
        ("storing", "storing_internet", "overig"),
        "teamlead",
        10,
    ),
    A(
        "Monteursafspraak maken, verzetten of annuleren",
        "Plan de monteur in via de agenda in het klantbeeld: dagdelen 8-12, 12-17 en 17-21 uur (ook op "
        "zaterdag). Kijk eerst op de gezien-kaart of de klant een voorkeur heeft (bijvoorbeeld alleen op "
        "woensdag of na 17:00).\n"
        "Verzetten en annuleren kan kosteloos tot 24 uur vooraf. Ligt de klant in het ziekenhuis of is "
        "er iets gebeurd, verzet dan ook later zonder kosten.",
        "Ik heb een monteur voor u ingepland op [datum] tussen [tijd]. De monteur belt een half uur "
        "voordat hij komt. Komt het toch niet uit, dan kunt u de afspraak tot 24 uur vooraf kosteloos "
        "verzetten.",
        "Ik heb een monteur voor je ingepland op [datum] tussen [tijd]. Hij belt je een half uur van "
        "tevoren. Komt het toch niet uit? Dan kun je tot 24 uur vooraf gratis verzetten.",
        ("monteur", "afspraak", "agenda"),
        ("storing_internet", "storing_tv", "storing"),
        "teamlead",
        55,
    ),
    A(
        "Monteur niet verschenen",
        "Biedt direct excuses aan, zonder voorbehoud. Plan een nieuwe afspraak in het eerste vrije "
        "dagdeel dat de klant uitkomt, en markeer die als 'voorrang'.\n"
        "De klant krijgt € 25 vergoeding voor het vergeefs thuisblijven; zet die zelf in gang, de klant "
        "hoeft er niet om te vragen. Meld het bij de planning via het bekende probleem.",
        "Het spijt ons echt dat de monteur niet is gekomen, terwijl u er speciaal voor thuis was. U "
        "ontvangt € 25 vergoeding, en ik heb met voorrang een nieuwe afspraak gemaakt op [datum].",
        "Echt vervelend dat de monteur niet is komen opdagen, terwijl je ervoor thuis was. Je krijgt "
        "€ 25 vergoeding, en ik heb met voorrang een nieuwe afspraak voor je gemaakt op [datum].",
        ("monteur", "vergoeding", "excuses"),
        ("klacht", "storing"),
        "manager",
        80,
    ),
    A(
        "Tv-ontvanger blijft hangen bij het opstarten",
        "Blijft de tv-box op het logo staan, laat de klant dan:\n"
        "1. de stekker 30 seconden uit de tv-box halen;\n"
        "2. controleren of de netwerkkabel vastzit;\n"
        "3. als dat niet helpt: de fabrieksinstellingen terugzetten (menu > instellingen > reset).\n"
        "Helpt dat niet, stuur een nieuwe tv-box; de oude gaat met het retourlabel terug.",
        "Wilt u de stekker van de tv-ontvanger 30 seconden uit het stopcontact halen? Blijft het beeld "
        "daarna op het logo staan, dan sturen wij u een nieuwe ontvanger.",
        "Wil je de stekker van je tv-box 30 seconden uit het stopcontact halen? Blijft hij daarna op het "
        "logo hangen, dan sturen we je een nieuwe.",
        ("tv", "tv-box", "herstarten"),
        ("storing_tv",),
        "agent",
        95,
    ),
    A(
        "Geen signaal op de tv, of één zender op zwart",
        "'Geen signaal': meestal staat de tv op de verkeerde bron (HDMI). Laat de klant met de knop "
        "'Source' of 'Input' de HDMI-ingang van de tv-box kiezen.\n"
        "Eén zender op zwart: kijk op de storingspagina of die zender een storing heeft, en controleer in "
        "het klantbeeld of de zender in het pakket zit.",
        "Zou u met de knop 'Source' op de afstandsbediening van de tv de HDMI-ingang willen kiezen? "
        "Meestal is het beeld dan meteen terug.",
        "Druk even op 'Source' op de afstandsbediening van je tv en kies de HDMI-ingang. Meestal is het "
        "beeld dan meteen terug.",
        ("tv", "zender", "hdmi"),
        ("storing_tv",),
        "agent",
        380,
    ),
    A(
        "Slecht bereik binnenshuis: bellen via wifi",
        "Controleer op de dekkingskaart of er in de straat 4G/5G-dekking is. Binnen is het bereik vaak "
        "minder door isolatieglas en beton.\n"
        "- Zet 'Bellen via wifi' aan voor de klant (kosteloos, werkt op alle toestellen van na 2020).\n"
        "- Blijft het slecht en is er wel dekking buiten, meld het bij het netwerkteam.",
        "Binnen is het bereik soms minder door dikke muren of isolatieglas. Ik heb bellen via wifi voor u "
        "aangezet; u belt dan gewoon via uw eigen internetverbinding, zonder extra kosten.",
        "Binnen is het bereik soms minder door dikke muren of isolatieglas. Ik heb bellen via wifi voor je "
        "aangezet; je belt dan gewoon via je eigen wifi, zonder extra kosten.",
        ("bereik", "wifi-bellen", "mobiel"),
        ("storing_mobiel",),
        "agent",
        65,
    ),
    A(
        "eSIM activeren en de melding 'code verlopen'",
        "Een eSIM-code is 24 uur geldig en werkt maar één keer. Bij 'code verlopen' of 'code al gebruikt':\n"
        "1. Maak in het klantbeeld een nieuwe eSIM-code aan.\n"
        "2. De klant scant de QR-code via instellingen > mobiel netwerk > eSIM toevoegen.\n"
        "3. Het oude profiel hoeft niet verwijderd te worden.",
        "Ik heb een nieuwe eSIM-code voor u aangemaakt en per e-mail verstuurd. Scan de QR-code binnen 24 "
        "uur via Instellingen > Mobiel netwerk > eSIM toevoegen.",
        "Ik heb een nieuwe eSIM-code voor je gemaakt en gemaild. Scan de QR-code binnen 24 uur via "
        "Instellingen > Mobiel netwerk > eSIM toevoegen.",
        ("esim", "activeren", "toestel"),
        ("product_instellen",),
        "agent",
        30,
    ),
    A(
        "Voicemail instellen",
        "Voicemail staat standaard aan; de klant moet alleen een begroeting inspreken. Laat de klant 1233 "
        "bellen en de stappen volgen. Neem de tijd en loop het samen door als de klant dat prettig vindt; "
        "oudere klanten waarderen het als je aan de lijn blijft.",
        "Bel 1233 vanaf uw mobiele telefoon en volg de gesproken stappen om uw begroeting in te spreken. "
        "Als u wilt, loop ik het nu samen met u door.",
        "Bel 1233 vanaf je mobiel en volg de stappen om je begroeting in te spreken. Als je wilt, doen we "
        "het nu even samen.",
        ("voicemail", "instellen", "mobiel"),
        ("product_instellen",),
        "agent",
        110,
    ),
    A(
        "Eenvoudige telefoon voor een oudere klant",
        "Vraag waar de telefoon vooral voor is: bellen, WhatsApp met de kleinkinderen, foto's? Raad dan een "
        "toestel aan met grote knoppen of een eenvoudige stand (bijv. Doro of een smartphone met "
        "'eenvoudige modus').\n"
        "We stellen het toestel gratis in via de winkel, of de klant belt ons en we lopen het samen door.",
        "Voor wie vooral wil bellen en appen raden wij een toestel met grote knoppen en een eenvoudig "
        "scherm aan. In onze winkel stellen wij het gratis voor u in.",
        "Als je vooral wilt bellen en appen, raden we een toestel met grote knoppen en een simpel scherm "
        "aan. In onze winkel stellen we het gratis voor je in.",
        ("toestel", "senioren", "advies"),
        ("product",),
        "manager",
        330,
    ),
    A(
        "Wifi-punt in tuinhuis of op zolder",
        "Een wifi-punt bereikt ongeveer 10-15 meter door één muur. Voor een tuinhuis verder weg: een "
        "tweede wifi-punt halverwege, of een buitenwifi-punt. Huur € 2,50 per maand per punt, de eerste "
        "maand gratis, opzeggen per maand.",
        "Een wifi-punt reikt ongeveer 10 tot 15 meter. Voor uw tuinhuis raad ik een tweede wifi-punt "
        "halverwege aan. De eerste maand is gratis en u kunt het maandelijks opzeggen.",
        "Een wifi-punt reikt zo'n 10 tot 15 meter. Voor je tuinhuis raad ik een tweede wifi-punt "
        "halverwege aan. De eerste maand is gratis en je zegt het per maand op.",
        ("wifi", "wifi-punt", "bereik"),
        ("product",),
        "agent",
        140,
    ),
    A(
        "Opzeggen: opzegtermijn en bevestiging",
        "Na de contractperiode geldt een opzegtermijn van één maand. Binnen de contractperiode betaalt de "
        "klant de resterende maanden, tenzij er een prijsverhoging of verhuizing naar een adres zonder "
        "dekking is.\n"
        "- Vraag of de klant wil vertellen waarom (niet verplicht), en respecteer een 'nee'.\n"
        "- Bevestig de opzegging per e-mail met einddatum en hoe het modem terug kan.",
        "Ik heb uw abonnement opgezegd per [datum]. U ontvangt een bevestiging per e-mail, met een "
        "retourlabel voor het modem.",
        "Ik heb je abonnement opgezegd per [datum]. Je krijgt een bevestiging per mail, met een "
        "retourlabel voor het modem.",
        ("opzeggen", "opzegtermijn", "bevestiging"),
        ("abonnement_opzeggen",),
        "teamlead",
        60,
    ),
    A(
        "Opzeggen na overlijden: zonder onnodige controles",
        "Iemand belt om het abonnement van een overleden partner of ouder op te zeggen. Condoleer eerst, "
        "in eigen woorden. Vraag niet naar postcode en huisnummer als de klant herkend is; vraag geen "
        "overlijdensakte.\n"
        "- Zeg op per de datum die de nabestaande noemt, zonder opzegtermijn en zonder kosten.\n"
        "- Geen aanbiedingen, geen enquête na dit gesprek.\n"
        "- Wil de nabestaande het abonnement houden: zie 'Abonnement overzetten na overlijden'.\n"
        "- Leg de levensgebeurtenis vast op de gezien-kaart, zodat niemand er opnieuw naar vraagt.",
        "Gecondoleerd met het verlies van uw [man/vrouw/vader/moeder]. Ik regel de opzegging voor u, "
        "zonder kosten en zonder opzegtermijn. U hoeft daarvoor niets op te sturen.",
        "Gecondoleerd met het verlies van je [partner/vader/moeder]. Ik regel de opzegging voor je, zonder "
        "kosten en zonder opzegtermijn. Je hoeft niets op te sturen.",
        ("overlijden", "opzeggen", "nabestaanden"),
        ("abonnement_opzeggen", "abonnement_overzetten"),
        "teamlead",
        12,
    ),
    A(
        "Klant wil overstappen: eerst luisteren, dan pas een aanbod",
        "Een klant die wil overstappen heeft meestal een reden: storingen, een te hoge factuur, slechte "
        "ervaringen. Vraag ernaar en vat samen, inclusief het gevoel ('u bent er klaar mee').\n"
        "- Is er een oplosbaar probleem, los dat eerst op.\n"
        "- Een behoudaanbod alleen als de klant daarvoor openstaat; nooit bij overlijden.\n"
        "- Wil de klant toch weg: zeg netjes op (zie 'Opzeggen: opzegtermijn en bevestiging').",
        "Ik begrijp dat u er na alle storingen klaar mee bent. Mag ik kijken of ik het probleem nu echt "
        "kan oplossen? Wilt u daarna toch overstappen, dan regel ik dat voor u.",
        "Ik snap dat je er na al die storingen klaar mee bent. Mag ik kijken of ik het nu echt kan "
        "oplossen? Wil je daarna toch overstappen, dan regel ik dat voor je.",
        ("overstappen", "behoud", "opzeggen"),
        ("abonnement_opzeggen",),
        "manager",
        45,
    ),
    A(
        "Tenaamstelling wijzigen na een scheiding",
        "Staat het abonnement op naam van de ex-partner en blijft de klant op het adres wonen? Dan kan de "
        "tenaamstelling kosteloos worden overgezet met het overzettingsformulier, ondertekend door beiden.\n"
        "Is tekenen door de ex-partner niet mogelijk (geen contact), overleg dan met de teamleider: dan "
        "zeggen we het oude abonnement op en sluiten een nieuw af zonder aansluitkosten.",
        "U kunt het abonnement kosteloos op uw eigen naam laten zetten. Daarvoor hebben wij het "
        "overzettingsformulier nodig, ondertekend door u beiden.",
        "Je kunt het abonnement gratis op je eigen naam laten zetten. Daarvoor hebben we het "
        "overzettingsformulier nodig, ondertekend door jullie allebei.",
        ("tenaamstelling", "overzetten", "scheiding"),
        ("abonnement_overzetten",),
        "agent",
        200,
    ),
    A(
        "Abonnement overzetten na overlijden",
        "Wil de partner of een huisgenoot het abonnement van de overledene houden? Zet het kosteloos over "
        "op diens naam, met behoud van nummer, e-mailadres en contractvoorwaarden. Een handtekening van de "
        "overledene is natuurlijk niet nodig; vraag geen overlijdensakte.",
        "Gecondoleerd. U kunt het abonnement gewoon houden: ik zet het kosteloos op uw naam, met hetzelfde "
        "nummer en e-mailadres.",
        "Gecondoleerd. Je kunt het abonnement gewoon houden: ik zet het gratis op jouw naam, met hetzelfde "
        "nummer en e-mailadres.",
        ("overlijden", "overzetten", "tenaamstelling"),
        ("abonnement_overzetten",),
        "teamlead",
        12,
    ),
    A(
        "Nummer meenemen (nummerbehoud)",
        "Een nummer van een andere provider of een zakelijk nummer kan mee naar een abonnement bij ons. De "
        "klant heeft het simkaartnummer of de overstapcode van de oude provider nodig. Het overzetten "
        "duurt 1 werkdag; het oude abonnement wordt daarbij automatisch opgezegd (behalve zakelijke "
        "nummers: daar moet de werkgever toestemming geven).",
        "U kunt uw nummer meenemen. Ik heb de overstapcode van uw huidige provider nodig; binnen één "
        "werkdag werkt uw nummer bij ons.",
        "Je kunt je nummer gewoon meenemen. Ik heb de overstapcode van je huidige provider nodig; binnen "
        "één werkdag werkt je nummer bij ons.",
        ("nummerbehoud", "overstappen", "mobiel"),
        ("abonnement_wijzigen",),
        "agent",
        90,
    ),
    A(
        "Meer data of onbeperkt: abonnement tussentijds wijzigen",
        "Een grotere bundel kan altijd, per direct; een kleinere per de volgende maand. Kijk naar het "
        "verbruik van de laatste 3 maanden en adviseer eerlijk: wie 12 GB gebruikt, heeft geen onbeperkt "
        "nodig.",
        "Ik heb naar uw verbruik gekeken. Een bundel van [aantal] GB past goed; die gaat per direct in en "
        "kost [bedrag] per maand.",
        "Ik heb naar je verbruik gekeken. Een bundel van [aantal] GB past goed; die gaat meteen in en kost "
        "[bedrag] per maand.",
        ("data", "bundel", "wijzigen"),
        ("abonnement_wijzigen",),
        "agent",
        230,
    ),
    A(
        "Einddatum contract en kosteloos overstappen naar een ander pakket",
        "De einddatum staat in het klantbeeld onder 'Contract'. Overstappen naar een duurder pakket kan "
        "altijd kosteloos; naar een goedkoper pakket pas na de einddatum.",
        "Uw contract loopt af op [datum]. Daarna kunt u maandelijks opzeggen of kosteloos overstappen "
        "naar een ander pakket.",
        "Je contract loopt af op [datum]. Daarna kun je per maand opzeggen of gratis overstappen naar een "
        "ander pakket.",
        ("contract", "einddatum", "pakket"),
        ("abonnement", "abonnement_wijzigen"),
        "agent",
        100,
    ),
    A(
        "Verhuizen: internet en tv meenemen",
        "Geef de verhuizing minstens 3 weken vooraf door. Controleer de dekking op het nieuwe adres "
        "(postcode + huisnummer).\n"
        "- Dekking: plan de overzetting op de verhuisdatum; de klant neemt het modem mee. Geen kosten.\n"
        "- Geen dekking: kosteloos opzeggen per verhuisdatum.\n"
        "- Vraag of er een monteur nodig is (nieuwbouw).",
        "Wij verhuizen uw internet en tv kosteloos mee naar [adres], op [datum]. Neemt u het modem en de "
        "tv-ontvanger mee; op de verhuisdatum werkt alles op het nieuwe adres.",
        "We verhuizen je internet en tv gratis mee naar [adres], op [datum]. Neem je modem en tv-box mee; "
        "op de verhuisdag werkt alles op je nieuwe adres.",
        ("verhuizen", "dekking", "adreswijziging"),
        ("verhuizing",),
        "teamlead",
        70,
    ),
    A(
        "Verdacht sms'je of e-mail: phishing herkennen",
        "Wij vragen nooit per sms om te betalen via een link en dreigen nooit met afsluiten binnen 24 uur. "
        "Is de klant al op een link ingegaan, laat dan het wachtwoord van Mijn Voorbeeld Telecom wijzigen "
        "en de bank bellen.\n"
        "Laat de klant het bericht doorsturen naar phishing@voorbeeldtelecom.nl.",
        "Dit bericht komt niet van ons. Wij vragen nooit per sms om via een link te betalen. Klik niet op "
        "de link en verwijder het bericht; u kunt het doorsturen naar phishing@voorbeeldtelecom.nl.",
        "Dit bericht komt niet van ons. We vragen nooit per sms om via een link te betalen. Klik niet op "
        "de link en gooi het weg; je kunt het doorsturen naar phishing@voorbeeldtelecom.nl.",
        ("phishing", "fraude", "sms"),
        ("overig",),
        "manager",
        420,
    ),
    A(
        "Machtiging: iemand anders namens de klant laten bellen",
        "Een klant kan een zoon, dochter of bewindvoerder machtigen via Mijn Voorbeeld Telecom of met het "
        "machtigingsformulier. Na registratie mag de gemachtigde alles regelen behalve opzeggen (tenzij "
        "de machtiging dat expliciet noemt).",
        "U kunt uw zoon machtigen via Mijn Voorbeeld Telecom, onder 'Machtigingen'. Daarna kan hij namens "
        "u contact met ons opnemen.",
        "Je kunt iemand machtigen via Mijn Voorbeeld Telecom, onder 'Machtigingen'. Daarna kan die namens "
        "jou contact met ons opnemen.",
        ("machtiging", "gemachtigde", "privacy"),
        ("overig",),
        "agent",
        160,
    ),
    A(
        "Klacht over de bejegening door een medewerker",
        "Neem de klacht serieus en verdedig de collega niet. Bedank de klant dat hij of zij het meldt, "
        "vraag wat er gebeurde en vat samen.\n"
        "- Registreer de klacht; de teamleider belt de klant binnen 2 werkdagen terug.\n"
        "- Beloof geen maatregelen tegen de collega; zeg wel dat het gesprek wordt teruggeluisterd.",
        "Dank u wel dat u dit laat weten; zo hoort het niet te gaan. Ik heb uw klacht geregistreerd en "
        "mijn teamleider belt u binnen twee werkdagen terug.",
        "Dank je dat je dit laat weten; zo hoort het niet te gaan. Ik heb je klacht geregistreerd en mijn "
        "teamleider belt je binnen twee werkdagen terug.",
        ("klacht", "bejegening", "terugbellen"),
        ("klacht_bejegening", "klacht"),
        "teamlead",
        85,
    ),
    A(
        "Boze klant: laten uitrazen, erkennen, dan oplossen",
        "Onderbreek een boze klant niet. Laat het verhaal helemaal uit, ook als het lang duurt. Erken "
        "daarna het gevoel ('Ik hoor dat u hier echt klaar mee bent') voordat je iets uitlegt of "
        "oplost. De oplossingen in de kennisbank komen pas daarna.\n"
        "Vat samen wat je gehoord hebt, en zeg wat je nu gaat doen.",
        "Ik hoor dat u hier echt klaar mee bent, en dat begrijp ik. Laat me samenvatten wat er is gebeurd, "
        "dan zeg ik u precies wat ik nu ga doen.",
        "Ik hoor dat je hier echt klaar mee bent, en dat snap ik. Ik vat even samen wat er is gebeurd, en "
        "dan zeg ik je precies wat ik nu ga doen.",
        ("emotie", "erkenning", "gesprekstechniek"),
        ("klacht",),
        "teamlead",
        30,
    ),
    A(
        "Scheldende beller: waarschuwen en het gesprek netjes beëindigen",
        "Schelden of dreigen hoeft niemand te accepteren. Waarschuw één keer, rustig: 'Ik wil u graag "
        "helpen, maar niet als u zo tegen mij praat. Als dit doorgaat, beëindig ik het gesprek.' Gaat het "
        "door, beëindig dan beleefd en leg het incident vast.\n"
        "Neem daarna een korte pauze; je teamleider ziet het incident en belt je even.",
        "Ik wil u graag helpen, maar niet als u zo tegen mij praat. Als dit doorgaat, beëindig ik het "
        "gesprek.",
        "Ik wil je graag helpen, maar niet als je zo tegen me praat. Als dit doorgaat, stop ik het gesprek.",
        ("agressie", "incident", "gesprekstechniek"),
        ("klacht", "klacht_bejegening"),
        "teamlead",
        25,
    ),
    A(
        "Compliment doorgeven aan een collega",
        "Bedank de klant hartelijk. Registreer het compliment bij de collega (contactreden 'Compliment', "
        "met de naam in de samenvatting): de teamleider deelt complimenten in het teamoverleg.",
        "Wat fijn om te horen, dank u wel! Ik geef uw compliment door aan mijn collega.",
        "Wat leuk om te horen, dank je wel! Ik geef je compliment door aan mijn collega.",
        ("compliment", "waardering"),
        ("compliment",),
        "agent",
        190,
    ),
)

# Archived: a promotion that has ended (kept for what agents said about it, never proposed).
ARCHIVED = A(
    "Actie: gratis tv-box bij overstap (verlopen)",
    "Tot 1 maart kregen overstappers een gratis tv-box 4K. De actie is voorbij; verwijs naar de huidige "
    "aanbiedingen op de website.",
    "",
    "",
    ("actie", "tv-box"),
    ("abonnement",),
    "manager",
    500,
)

# Closed demo contacts of these reasons get "heeft geholpen" marks for the article named.
HELPED = (
    ("Dubbele afschrijving terugboeken", "factuur_dubbel_afgeschreven", 4, 0),
    ("Storing internet: modem herstarten", "storing_internet", 5, 1),
    ("Hogere factuur: kosten buiten de bundel uitleggen", "factuur_hoger", 3, 1),
    ("Levering vertraagd: wat je de klant kunt toezeggen", "levering_vertraagd", 3, 0),
    ("Opzeggen na overlijden: zonder onnodige controles", "abonnement_opzeggen", 2, 0),
    ("Verhuizen: internet en tv meenemen", "verhuizing", 2, 0),
)


def load_knowledge(*, users: dict[str, User], reasons: dict[str, ContactReason]) -> int:
    """Write the demo articles (and a few helped marks); returns how many articles were written."""
    now = timezone.now()
    written: dict[str, Article] = {}
    for plan in (*ARTICLES, ARCHIVED):
        owner = users.get(plan.owner)
        written[plan.title] = article_create(
            title=plan.title,
            body=plan.body,
            customer_text_u=plan.text_u,
            customer_text_je=plan.text_je,
            tags=plan.tags,
            reasons=[reasons[code] for code in plan.reasons if code in reasons],
            owner=owner,
            actor=owner,
            reviewed_at=now - timedelta(days=plan.reviewed_days_ago),
        )
    article_archive(article=written[ARCHIVED.title], actor=users.get(ARCHIVED.owner))
    fallback = users.get("agent")
    for title, code, yes, no in HELPED:
        contacts = (
            Contact.objects.filter(reason__code=code, status=Status.CLOSED)
            .select_related("assigned_agent")
            .order_by("opened_at", "id")[: yes + no]
        )
        for index, contact in enumerate(contacts):
            user = contact.assigned_agent or fallback
            if user is not None:
                article_feedback(article=written[title], contact=contact, user=user, helped=index < yes)
    return len(written)
