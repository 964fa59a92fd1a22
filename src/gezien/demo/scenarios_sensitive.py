"""Sensitive phone conversations: a death in the family, illness, hardship, birth, divorce, rude callers.

These are the calls the source columns are about: the widow who first hears "wat is uw postcode en
huisnummer?", callers who are ill or out of work, and callers who insult the agent. Agents vary between
textbook (condolence first, signposting, the simplest path, no upsell) and clumsy, on purpose.
"""

from __future__ import annotations

from gezien.demo.scenarios import Script, a, c, life_event, note, preference, promise, script
from gezien.demo.scenarios_phone import GREET, GREET_BLUNT

SCRIPTS: tuple[Script, ...] = (
    # --- widow_cancel: a widow cancels her late husband's subscription ----------------------------------
    script(
        "widow_postcode_first", "widow_cancel", "phone", "abonnement_opzeggen", "u",
        gender="f", life_event=True, style="blunt",
        subject="Opzeggen abonnement na overlijden",
        summary=(
            "Opzegging abonnement van overleden echtgenoot {partner} aangevraagd; opzegtermijn van een maand "
            "genoemd, overlijdensakte nog nodig",
            "Weduwe wil abonnement van {partner} opzeggen; akte opvragen, opzegtermijn een maand uitgelegd",
        ),
        note="Opzegging wegens overlijden contracthouder ({partner}). Opzegtermijn 1 mnd uitgelegd, "
        "overlijdensakte nog aanleveren via upload of post.",
        turns=[
            GREET_BLUNT,
            c(
                "Ja, {dagdeel_l}, u spreekt met mevrouw {Achternaam}. Ik bel eh... mijn man is overleden, "
                "[onlangs|een paar weken geleden|in {maand_overlijden}], en nu moet ik zijn abonnement "
                "opzeggen. Dat zeiden ze bij de bank ook, dat ik overal...",
            ),
            a("Wat is uw postcode en huisnummer?", interrupt=True),
            c("Eh... mijn postcode? Dat is eh, {postcode}. En nummer {huisnummer}."),
            a("En de geboortedatum van de contracthouder?"),
            c(
                "Dat was mijn man. {partner}. Die is... ja. Moet ik dat nou allemaal weten? Ik heb het niet "
                "bij de hand.",
            ),
            a(
                "Dan kan ik het abonnement niet verifiëren, mevrouw. Heeft u het klantnummer? Dat staat op "
                "de factuur.",
            ),
            c("Wacht, ik zoek het even op. Hier. {klantnummer}."),
            a(
                "Ik zie het abonnement staan. Er geldt een opzegtermijn van een maand, dus de laatste "
                "factuur komt [over een maand|volgende maand].",
            ),
            c("Een maand nog? Maar hij is er toch niet meer. Hij gebruikt het toch niet meer."),
            a(
                "Dat is de standaard opzegtermijn[, mevrouw|]. En ik heb een kopie van de overlijdensakte "
                "nodig. Die kunt u uploaden via Mijn Voorbeeld Telecom.",
            ),
            c("Uploaden? Dat deed mijn man altijd allemaal. Ik weet niet hoe dat moet."),
            a(
                "Dan kunt u hem ook per post sturen. Het adres staat op de website. Kan ik verder nog iets "
                "voor u doen?",
            ),
            c("Nee. Nee, dat was het. Dag."),
        ],
    ),
    script(
        "widow_condolence_signpost", "widow_cancel", "phone", "abonnement_opzeggen", "u",
        gender="f", life_event=True,
        subject="Opzeggen abonnement na overlijden",
        summary=(
            "Abonnement van overleden echtgenoot {partner} opgezegd per overlijdensdatum, zonder "
            "opzegtermijn; antwoordenvelop voor overlijdensakte verstuurd",
            "Opzegging na overlijden {partner} geregeld zonder opzegtermijn; envelop voor akte en "
            "schriftelijke bevestiging per post",
        ),
        note="Weduwe, echtgenoot {partner} overleden. Gecondoleerd. Opzegging per overlijdensdatum, geen "
        "opzegtermijn. Antwoordenvelop voor akte verstuurd, bevestiging per post.",
        remember=(
            life_event("Echtgenoot {partner} overleden in {maand_overlijden}"),
            preference("Wil bevestigingen per post"),
            promise(
                "Antwoordenvelop voor overlijdensakte en schriftelijke bevestiging opzegging sturen",
                "dag", 17,
            ),
        ),
        turns=[
            GREET,
            c(
                "{dagdeel}. Ja, ik... ik weet niet goed hoe ik dit moet zeggen. Mijn man is [twee|drie] "
                "weken geleden overleden en ik moet zijn abonnementen opzeggen. [Dit is de eerste keer dat "
                "ik zoiets moet doen.|Ik heb vanochtend de bank al gehad.]",
            ),
            a(
                "Wat verdrietig, mevrouw. Gecondoleerd met het verlies van uw man. Neemt u gerust de tijd.",
                "Och, wat naar om te horen. Gecondoleerd met uw man. Ik help u er graag bij, en we doen het "
                "rustig aan.",
            ),
            c(
                "Dank u. Ja, het gaat allemaal zo snel. Overal moet je bellen en overal moet je het weer "
                "vertellen.",
            ),
            a(
                "Dat kan ik me voorstellen. Ik wil u graag helpen en ik houd het zo eenvoudig mogelijk. "
                "Daarvoor pak ik even uw gegevens erbij op mijn computer. Mag ik uw postcode en huisnummer, "
                "zodat ik het abonnement op mijn scherm zie?",
            ),
            c("Ja hoor. Dat is {postcode}, nummer {huisnummer}."),
            a("Dank u wel. Ik zie het abonnement op naam van {partner} {achternaam}. Klopt dat?"),
            c("Ja, dat is hem. [Zevenenveertig jaar getrouwd.|Hij regelde dit soort dingen altijd.]"),
            a(
                "Ik zet de opzegging nu voor u in, per de dag van overlijden. U betaalt dus niets meer na "
                "die datum en er geldt geen opzegtermijn. Wat er te veel is afgeschreven, storten we terug.",
            ),
            c("O, wat fijn. Ik was bang dat ik nog van alles moest uitzoeken."),
            a(
                "We hebben alleen nog een kopie van de overlijdensakte nodig. Als u dat prettig vindt, stuur "
                "ik u een envelop waarin u hem gratis terugstuurt. Dan hoeft u niets te uploaden.",
            ),
            c("Graag. Met de computer ben ik niet zo handig, dat deed {partner} altijd."),
            a(
                "Dan regel ik dat. U krijgt de envelop uiterlijk {dag} en daarna een brief met de "
                "bevestiging. Is er verder nog iets waarmee ik u kan helpen?",
            ),
            c("Nee, u heeft me heel goed geholpen. Dank u wel, {agent}."),
            a("Graag gedaan, mevrouw {Achternaam}. Ik wens u veel sterkte de komende tijd."),
        ],
    ),
    script(
        "widow_keep_internet", "widow_cancel", "phone", "abonnement_overzetten", "u",
        gender="f", life_event=True,
        subject="Abonnement overzetten na overlijden",
        summary=(
            "Internet na overlijden echtgenoot {partner} kosteloos op naam van mevrouw {Achternaam} gezet; "
            "mobiel nummer van {partner} blijft voorlopig actief op haar verzoek",
        ),
        note="Overlijden contracthouder {partner}. Internet overgezet op naam echtgenote, zelfde prijs, geen "
        "kosten. Simkaart {partner} NIET opzeggen tot klant zelf belt.",
        remember=(
            life_event("Echtgenoot {partner} overleden in {maand_overlijden}"),
            note("Nummer van overleden echtgenoot nog niet opzeggen; klant beslist zelf wanneer"),
        ),
        turns=[
            GREET,
            c(
                "{dagdeel}, met {voornaam} {achternaam}. Eh, mijn man is overleden en het internet stond op "
                "zijn naam. Ik wil het eigenlijk houden, maar ik weet niet of dat zomaar kan.",
            ),
            a(
                "Gecondoleerd met het overlijden van uw man, mevrouw {Achternaam}. Fijn dat u belt, dat kan "
                "zeker. We zetten het abonnement op uw naam, zonder kosten en voor dezelfde prijs.",
            ),
            c("O. Nou, dat valt mee. Ik had gedacht dat ik alles opnieuw moest aanvragen."),
            a(
                "Nee hoor, dat hoeft niet. Ik wil u graag helpen en daarvoor pak ik uw gegevens erbij. Mag "
                "ik uw postcode en huisnummer?",
            ),
            c("{postcode}. Huisnummer {huisnummer}."),
            a(
                "Dank u. Ik zie het internet en de tv, en ik zie ook een simkaart op het nummer van uw man. "
                "Wilt u daar iets mee, of wilt u daar later rustig over nadenken?",
            ),
            c(
                "Dat nummer... daar staan nog berichten van hem op. [Ik wil het nog even niet opzeggen.|Dat "
                "kan ik nu nog niet.] Is dat raar?",
            ),
            a(
                "Dat is helemaal niet raar, dat begrijp ik heel goed. Dan laten we dat nummer gewoon staan. "
                "U hoeft vandaag niets te beslissen. Ik zet een notitie, zodat mijn collega's dat ook weten.",
            ),
            c("Dank u wel. Dat is een hele zorg minder."),
            a(
                "U krijgt binnen een paar dagen een brief dat het internet op uw naam staat. Verder "
                "verandert er niets. Kan ik nog iets voor u doen?",
            ),
            c("Nee, dit was het. Dank u, u bent heel vriendelijk."),
            a("Graag gedaan. Veel sterkte, mevrouw {Achternaam}."),
        ],
    ),
    script(
        "widow_upsell", "widow_cancel", "phone", "abonnement_opzeggen", "u",
        gender="f", life_event=True, style="stiff",
        subject="Opzeggen abonnement na overlijden",
        summary=(
            "Opzegging abonnement overleden echtgenoot {partner} ingezet; klant Sim Only aangeboden (niet "
            "gewenst)",
        ),
        note="Opzegging ivm overlijden. Akte via upload. Retentie-aanbod Sim Only gedaan, klant niet "
        "geïnteresseerd.",
        remember=(life_event("Echtgenoot {partner} overleden in {maand_overlijden}"),),
        turns=[
            GREET,
            c(
                "{dagdeel}. Ik bel om het abonnement van mijn man op te zeggen. Hij is [vorige week|onlangs] "
                "overleden.",
            ),
            a(
                "Gecondoleerd. Ik ga u daarmee helpen. Om u te helpen pak ik eerst uw gegevens erbij; mag ik "
                "uw postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Dank u. Ik zie een Alles-in-1 pakket en een mobiel abonnement. Nu u alleen bent, is ons Sim "
                "Only pakket misschien interessant voor u. Dat is een stuk voordeliger en u heeft dan...",
            ),
            c("Nee. Nee, daar wil ik het nu echt niet over hebben.", interrupt=True),
            a(
                "Dat begrijp ik. Excuses. Dan zeg ik het mobiele abonnement van uw man op. Ik heb daarvoor "
                "wel een kopie van de overlijdensakte nodig, die kunt u uploaden in Mijn Voorbeeld Telecom.",
            ),
            c("Dat zal mijn dochter dan wel moeten doen. Ik weet daar niks van."),
            a(
                "Dat is prima. Zodra we de akte hebben, stoppen we het abonnement per de datum van "
                "overlijden. Kan ik verder nog iets voor u betekenen?",
            ),
            c("Nee. Dag."),
        ],
    ),
    # --- widow_followup: a bill for the late husband still arrives ------------------------------------------
    script(
        "widow_followup_invoice_phone", "widow_followup", "phone", "factuur", "u",
        gender="f",
        subject="Nog een factuur na opzegging overleden echtgenoot",
        summary=(
            "Na opzegging abonnement {partner} toch nieuwe factuur ontvangen; factuur gecrediteerd, "
            "opzegging alsnog per overlijdensdatum verwerkt, bevestiging per post toegezegd",
        ),
        note="Weduwe belt terug: factuur op naam overleden echtgenoot ondanks opzegging. Excuses, factuur "
        "gecrediteerd, opzegging per overlijdensdatum. Brief volgt.",
        remember=(
            life_event("Echtgenoot {partner} overleden in {maand_overlijden}"),
            promise("Schriftelijke bevestiging opzegging en creditering per post sturen", "dag", 17),
        ),
        turns=[
            GREET,
            c(
                "Ja, {dagdeel_l}, met mevrouw {Achternaam}. Ik heb een paar weken geleden gebeld om het "
                "abonnement van mijn man op te zeggen. Hij is overleden. En nu krijg ik wéér een factuur op "
                "zijn naam. Ik... [ik vind dat zo moeilijk, elke keer die naam op die envelop.|dat doet "
                "gewoon pijn.]",
            ),
            a(
                "Wat vervelend, mevrouw {Achternaam}, en wat pijnlijk dat u dan weer zo'n brief met zijn "
                "naam krijgt. Dat had niet mogen gebeuren. Gecondoleerd nog met uw man.",
            ),
            c("Dank u. Ik had het toch allemaal doorgegeven. Ze zeiden dat het nog een maand doorliep."),
            a(
                "Dat had u niet zo verteld mogen worden: bij overlijden geldt geen opzegtermijn. Ik ga het "
                "nu voor u rechtzetten. Ik pak even uw gegevens erbij; mag ik uw postcode en huisnummer?",
            ),
            c("{postcode}, nummer {huisnummer}."),
            a(
                "Ik zie het. Ik crediteer deze factuur helemaal en ik zet de opzegging op de datum van "
                "overlijden. Het bedrag van {bedrag} dat al is afgeschreven, storten we binnen vijf "
                "werkdagen terug.",
            ),
            c("En die akte? Die moest ik nog opsturen, maar dat is me nog niet gelukt."),
            a(
                "Die hoeft u niet te uploaden. Ik stuur u een antwoordenvelop, dan kunt u hem gewoon op de "
                "post doen. En u krijgt van mij een brief waarin alles staat, zodat u het zwart op wit "
                "heeft.",
            ),
            c("Graag per post, ja. Ik heb geen computer. Dank u wel, meneer... mevrouw... hoe heette u?"),
            a("{agent}. Graag gedaan, mevrouw {Achternaam}. Sterkte, en belt u gerust als er nog iets is."),
        ],
    ),
    script(
        "widow_callback_voicemail", "widow_followup", "phone", "factuur", "u",
        gender="f",
        subject="Terugbelverzoek: terugbetaling na opzegging",
        summary="Terugbelverzoek over terugbetaling na opzegging abonnement overleden echtgenoot",
        turns=[
            c(
                "Ja, {dagdeel_l}, met mevrouw {Achternaam}, {postcode}. Ik heb eh, een brief gekregen over "
                "de terugbetaling van het abonnement van mijn man, maar ik begrijp het bedrag niet helemaal. "
                "Er staat {bedrag}, maar ik dacht dat het meer was. Wilt u mij terugbellen? Op dit nummer. "
                "Ik ben de hele dag thuis. Dank u wel.",
            ),
        ],
    ),
    # --- rude_caller: insults, the warning script and a calm ending ---------------------------------------
    script(
        # The showcase rude caller (c0003) writes again while the desk is open: the agent has warned
        # him once and he goes on, so the desk offers the closing script, the incident and a break.
        "mail_rude_again_u", "rude_returns", "email", "storing_internet", "u",
        subject="WEER geen internet",
        summary="Klant scheldt per mail over de storing; gewaarschuwd, gaat door",
        turns=[
            c("Mijn internet ligt er WEER uit. Derde keer deze maand. Jullie zijn echt een kutbedrijf."),
            a(
                "Meneer {Achternaam}, ik wil u graag helpen met de storing, maar dan vraag ik u wel om "
                "niet te schelden. Anders kan ik dit gesprek niet voortzetten.",
            ),
            c("Helpen? Jullie helpen nooit. Stelletje oplichters. Regel het nou gewoon, sukkel."),
        ],
    ),
    script(
        "rude_outage_ended", "rude_caller", "phone", "storing_internet", "u",
        subject="Storing internet, beller scheldt",
        summary=(
            "Klant boos over {dagen} dagen geen internet; schold medewerker uit, na waarschuwing gesprek "
            "beëindigd",
        ),
        note="Beller scheldend en beledigend (oplichters, sukkel). Waarschuwing gegeven, gesprek beëindigd. "
        "Storing niet kunnen controleren.",
        remember=(note("Werd grof en scheldend aan de telefoon; na waarschuwing gesprek beëindigd"),),
        turns=[
            GREET,
            c(
                "Ja, met {Achternaam}. Luister eens. Ik heb nou al {dagen} dagen geen internet en ik betaal "
                "jullie elke maand [zestig|vijfenzestig|zeventig] euro voor die troep.",
            ),
            a(
                "Dat is vervelend, meneer {Achternaam}, {dagen} dagen zonder internet. Ik ga direct voor u "
                "kijken. Mag ik...",
            ),
            c(
                "Nee, niks mag ik. Jullie zijn een stelletje oplichters, dat zijn jullie. Elke keer "
                "hetzelfde gelul, elke keer 'we gaan ernaar kijken'.",
                interrupt=True,
            ),
            a(
                "Ik hoor dat u heel boos bent, en dat begrijp ik. Ik wil het ook oplossen. Daarvoor heb ik "
                "wel even uw postcode nodig.",
            ),
            c(
                "Ben je achterlijk ofzo? Dat heb ik de vorige keer ook allemaal al gegeven. "
                "[Kutbedrijf.|Klotebedrijf.]",
            ),
            a(
                "Meneer, ik wil u graag helpen, maar zo gaan we niet met elkaar om. Als u blijft schelden, "
                "beëindig ik het gesprek.",
            ),
            c("Ja, doe maar, dan bel ik je baas wel. Sukkel. Jij snapt er toch geen [reet|zak] van."),
            a(
                "Zo gaan we niet met elkaar om. Omdat u zich niet fatsoenlijk kunt gedragen, beëindig ik nu "
                "het gesprek. U kunt ons altijd opnieuw bellen of chatten. {dagdeel}.",
            ),
        ],
    ),
    script(
        "rude_double_charge_calms", "rude_caller", "phone", "factuur_dubbel_afgeschreven", "u",
        subject="Dubbele afschrijving, beller vloekt",
        summary=(
            "Klant scheldend na dubbele incasso; na waarschuwing gekalmeerd; terugbetaling {bedrag} binnen "
            "vijf werkdagen toegezegd",
        ),
        note="Dubbele incasso {maand}. Klant vloekte en schold, na waarschuwing rustig. Terugbetaling "
        "{bedrag} ingezet (5 werkdagen). Klant bood excuses aan.",
        remember=(promise("Controleren of terugbetaling {bedrag} is bijgeschreven", "datum", 10),),
        turns=[
            GREET,
            c("Wat is dit voor klotebedrijf? Ik sta al {wachttijd} in de wacht!"),
            a("Het spijt me dat u zo lang heeft moeten wachten, dat is vervelend. Waar kan ik u mee helpen?"),
            c(
                "Jullie hebben godverdomme twee keer afgeschreven. Twee keer! Ik heb kinderen, ik kan dat "
                "niet missen. Jullie zijn gewoon dieven, weet je dat?",
            ),
            a(
                "Zo gaan we niet met elkaar om, meneer. Ik wil u echt helpen, maar dan vraag ik u om niet te "
                "vloeken en mij niet uit te schelden. Anders moet ik het gesprek beëindigen.",
            ),
            c(
                "... Ja. Sorry. Het is gewoon... ik ben het zat. [Alles gaat mis deze maand.|De huur moet er "
                "ook af.]",
            ),
            a(
                "Dat snap ik. Twee keer hetzelfde bedrag is veel geld, zeker als je het niet verwacht. Laten "
                "we samen kijken wat er gebeurd is. Ik pak uw gegevens erbij; mag ik uw postcode en "
                "huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Ik zie het. De factuur van {maand} is twee keer geïncasseerd, dat is een fout van onze "
                "kant. Ik zet de terugbetaling van {bedrag} nu in gang; dat staat binnen vijf werkdagen weer "
                "op uw rekening.",
                hold=0.0,
            ),
            c("Oké. Oké, dat is tenminste iets. Sorry voor daarnet, dat was niet tegen jou persoonlijk."),
            a("Dat waardeer ik. Fijn dat we het hebben kunnen oplossen. Nog een fijne dag verder."),
        ],
    ),
    script(
        "rude_young_package", "rude_caller", "phone", "levering_vertraagd", "je",
        subject="Pakket niet bezorgd, beller scheldt",
        summary="Klant vloekend over niet bezorgde {product}; gewaarschuwd, daarna rustig; pakket nagezocht, "
        "nieuwe bezorging {datum}",
        note="Klant scheldend ('kankerbedrijf'). Waarschuwing gegeven, daarna rustiger. {product} staat bij "
        "depot, nieuwe bezorging {datum}.",
        turns=[
            GREET,
            c(
                "Ja hallo, m'n pakket is wéér niet gekomen. Wat is dit nou voor kankerbedrijf? Ik zit de "
                "hele dag thuis te wachten als een debiel.",
            ),
            a(
                "Ik wil je graag helpen met je pakket, maar ik vraag je wel om niet zo te schelden. Zo gaan "
                "we niet met elkaar om.",
                "Ik hoor dat je er helemaal klaar mee bent. Ik wil je helpen, maar dan wel zonder die "
                "woorden. Anders beëindig ik het gesprek.",
            ),
            c("Ja, whatever. Zoek het gewoon uit. Ordernummer {order}."),
            a("Dank je. Ik kijk het na.", hold=25.0),
            a(
                "Ik zie dat de bezorger vanochtend heeft aangebeld en dat het pakket terug is naar het "
                "depot. Dat is balen als je gewoon thuis was.",
            ),
            c("Ik wás thuis! Er heeft niemand aangebeld. Die gasten doen gewoon maar wat.", interrupt=True),
            a(
                "Dat geloof ik meteen. Ik heb het gemeld bij de pakketdienst. De nieuwe bezorging is "
                "{datum}, en je krijgt 's ochtends een sms met een tijdvak van twee uur.",
            ),
            c("Oké. Als het dan weer misgaat, ben ik echt weg bij jullie hoor."),
            a("Dat snap ik. Ik hoop echt dat het {datum} goed gaat. Nog een fijne dag."),
        ],
    ),
    script(
        "rude_threat", "rude_caller", "phone", "klacht", "u",
        subject="Bedreiging aan de telefoon",
        summary="Klant bedreigde medewerker na afwijzing van compensatie; gesprek beëindigd en incident "
        "gemeld",
        note="Beller dreigde langs te komen ('dan zal je wat beleven'). Gesprek beëindigd, melding gemaakt "
        "bij teamleider.",
        remember=(note("Heeft medewerker bedreigd aan de telefoon; incident gemeld bij teamleider"),),
        turns=[
            GREET,
            c(
                "Ja, met {Achternaam}. Ik wil die vijftig euro compensatie, die heeft jullie collega me "
                "beloofd. En nou staat het weer niet op mijn factuur.",
            ),
            a(
                "Vervelend dat het niet op uw factuur staat. Ik zoek het voor u uit. Ik zie in de notitie "
                "dat mijn collega heeft gezegd dat de aanvraag beoordeeld zou worden, niet dat hij was "
                "toegekend.",
            ),
            c("Dus ik lieg? Zeg je nou dat ik lieg?"),
            a(
                "Nee meneer, ik zeg alleen wat er in ons systeem staat. Ik kan de aanvraag wel opnieuw "
                "indienen.",
            ),
            c(
                "Weet je wat, als dit niet vandaag geregeld wordt, dan kom ik naar jullie kantoor en dan zal "
                "je wat beleven. Ik weet heus wel te vinden waar jullie zitten.",
            ),
            a(
                "Dit ervaar ik als een bedreiging, meneer. Zo gaan we niet met elkaar om. Ik beëindig nu het "
                "gesprek en ik maak hier melding van. {dagdeel}.",
            ),
        ],
    ),
    # --- illness and hospital ------------------------------------------------------------------------------
    script(
        "hospital_technician_u", "illness_hospital", "phone", "storing_internet", "u",
        life_event=True,
        subject="Monteursafspraak verzetten, klant in ziekenhuis",
        summary=(
            "Klant ligt in het ziekenhuis; monteursafspraak geannuleerd en na thuiskomst opnieuw te plannen, "
            "klant wordt {dag} gebeld",
        ),
        note="Klant opgenomen in ziekenhuis. Monteur voor morgen geannuleerd, geen kosten. {dag} bellen om "
        "nieuwe afspraak te plannen.",
        remember=(
            life_event("Ligt in het ziekenhuis (opgenomen {vorige_datum}); monteur verzet"),
            promise("Bellen voor nieuwe monteursafspraak na thuiskomst uit ziekenhuis", "dag", 11),
        ),
        turns=[
            GREET,
            c(
                "Ja, {dagdeel_l}, met {aanspreek}. Ik bel vanuit het ziekenhuis. Ik lig hier sinds "
                "{vorige_datum}, [mijn heup|ik ben gevallen|ze moesten me opereren], en morgen zou de "
                "monteur bij mij thuis komen.",
            ),
            a(
                "Och, wat vervelend, {aanspreek}. Wat fijn dat u er in deze situatie toch aan denkt om ons "
                "te bellen. Ik zeg de afspraak voor u af, daar hoeft u zich geen zorgen over te maken.",
            ),
            c("Dank u. Ik wist niet of dat zomaar kon. Ze zeiden dat het anders geld kost."),
            a(
                "Nee, dat kost niets. Ik pak even uw gegevens erbij om de juiste afspraak te vinden. Mag ik "
                "uw postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Gevonden, en hij is geannuleerd. Zal ik u over een paar dagen bellen om een nieuwe afspraak "
                "te maken? Dan hoeft u daar nu niet aan te denken.",
            ),
            c("Graag. Ik weet nog niet wanneer ik naar huis mag. Misschien eind van de week."),
            a("Dan bel ik u {dag} in de ochtend. Ik wens u een voorspoedig herstel, {aanspreek}."),
            c("Dank u wel, dat is lief."),
        ],
    ),
    script(
        "illness_return_je", "illness_hospital", "phone", "levering_retour", "je",
        life_event=True,
        subject="Retour verlengen wegens operatie",
        summary="Klant net geopereerd, kan {product} niet op tijd retourneren; retourtermijn verlengd en "
        "ophalen aan huis geregeld",
        note="Klant herstelt van operatie. Retourtermijn {product} verlengd met 14 dagen, ophaalservice aan "
        "huis.",
        remember=(life_event("Herstelt van een operatie; kan de deur niet uit"),),
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam}. Ik wil een {product} terugsturen, maar ik ben net geopereerd en ik kom "
                "de deur niet uit. En de retourtermijn loopt bijna af.",
            ),
            a(
                "Ah, vervelend, en sterkte met je herstel. Dan gaan we het makkelijk maken. Wat is je "
                "ordernummer?",
            ),
            c("{order}."),
            a(
                "Ik verleng je retourtermijn met twee weken. En als je wilt, laten we het pakket gewoon bij "
                "je thuis ophalen; dan hoef je nergens heen.",
            ),
            c("O echt? Dat zou super zijn."),
            a("Doe ik. Je krijgt een mail om een ophaalmoment te kiezen. Beterschap, {voornaam}!"),
            c("Dankjewel!"),
        ],
    ),
    # --- financial hardship ---------------------------------------------------------------------------------
    script(
        "hardship_jobloss_u", "financial_hardship", "phone", "factuur_betalingsregeling", "u",
        life_event=True,
        subject="Betalingsregeling na ontslag",
        summary="Klant baan kwijt, kan factuur {bedrag2} niet in één keer betalen; betalingsregeling in drie "
        "termijnen zonder kosten",
        note="Klant ontslagen, wacht op uitkering. Regeling 3 termijnen voor {bedrag2}, geen aanmaankosten. "
        "Geen upsell.",
        remember=(
            life_event("Baan kwijtgeraakt; wacht op uitkering"),
            note("Betalingsregeling: {bedrag2} in drie termijnen, geen aanmaankosten"),
        ),
        turns=[
            GREET,
            c(
                "{dagdeel}. Met {aanspreek}. Ik eh... dit vind ik niet makkelijk. Ik ben mijn baan "
                "kwijtgeraakt en ik kan de rekening van deze maand niet in één keer betalen.",
            ),
            a(
                "Dank u dat u het zo eerlijk vertelt, {aanspreek}. Dat is een moeilijke situatie. We gaan "
                "samen kijken wat er mogelijk is. Mag ik uw postcode en huisnummer, dan zie ik uw gegevens?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Ik zie een openstaand bedrag van {bedrag2}. Ik kan dat verdelen over drie maanden, zonder "
                "extra kosten en zonder aanmaningen. Zou dat helpen?",
            ),
            c("Ja. Ja, dat zou echt helpen. De uitkering komt pas over een paar weken."),
            a(
                "Dan doen we dat. De eerste termijn gaat pas eind volgende maand. En mocht het dan nog niet "
                "lukken, belt u ons gewoon; dan kijken we opnieuw. U hoeft zich niet te schamen.",
            ),
            c("Dank u wel. Ik zag hier echt tegenop."),
            a("Dat begrijp ik. Ik wens u veel succes met zoeken, {aanspreek}."),
        ],
    ),
    script(
        "hardship_arrears_je", "financial_hardship", "phone", "factuur_betalingsregeling", "je",
        life_event=True,
        subject="Aanmaning en achterstand",
        summary="Klant heeft betalingsachterstand en aanmaning; regeling zes maanden, verwezen naar "
        "gemeentelijke schuldhulp",
        note="Achterstand 2 facturen. Regeling 6 mnd. Incasso stopgezet. Info schuldhulpverlening gemeente "
        "gegeven.",
        remember=(life_event("Financiële problemen; betalingsregeling zes maanden"),),
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam}. Ik heb een aanmaning gekregen en eh... ik loop gewoon achter met "
                "alles. Ik weet niet zo goed wat ik moet doen. [Het is echt een puinhoop.|Ik slaap er slecht "
                "van.]",
            ),
            a(
                "Fijn dat je belt, dat is vaak de moeilijkste stap. We gaan samen kijken. Wat is je postcode "
                "en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Ik zie twee openstaande facturen. Ik zet de incasso stop en we maken een regeling over zes "
                "maanden. Dan betaal je elke maand een klein bedrag extra. Lukt dat?",
            ),
            c("Ik denk het wel. Als het niet te veel is."),
            a(
                "Het is ongeveer vijftien euro per maand extra. En als je merkt dat je ook elders "
                "achterloopt: je gemeente heeft gratis schuldhulp. Ik stuur je de link in de bevestiging.",
            ),
            c("Oké. Dankjewel. Echt."),
        ],
    ),
    # --- birth and divorce ---------------------------------------------------------------------------------
    script(
        "birth_technician_je", "birth", "phone", "abonnement_wijzigen", "je",
        life_event=True,
        subject="Afspraak verzetten, baby geboren",
        summary="Baby {kind} eerder geboren dan verwacht; installatieafspraak verzet naar {datum} en gratis "
        "wifi-punt voor de babykamer",
        note="Klant net bevallen/vader geworden (baby {kind}). Installatie verzet naar {datum}.",
        remember=(life_event("Kindje {kind} geboren in {maand}"),),
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam}. Eh, de monteur zou morgen komen, maar onze dochter... nee, zoon, "
                "sorry, ik ben een beetje moe haha... {kind} is gisteren geboren. [Drie weken te vroeg.|Veel "
                "eerder dan gepland.] Kan de afspraak later?",
            ),
            a(
                "Gefeliciteerd! Wat mooi. Natuurlijk kan dat. Wat is je postcode en huisnummer? Dan verzet "
                "ik hem.",
            ),
            c("{postcode}, {huisnummer}."),
            a("Hoe klinkt {datum}? Dan hebben jullie even rust."),
            c(
                "Perfect. En, eh, kan het wifi ook in de babykamer? Daar willen we de babyfoon met de app "
                "gebruiken.",
            ),
            a(
                "Ik noteer een wifi-punt voor de babykamer; die neemt de monteur mee, zonder extra kosten. "
                "Geniet ervan!",
            ),
            c("Wauw, thanks! Doei!"),
        ],
    ),
    script(
        "divorce_transfer_u", "divorce", "phone", "abonnement_overzetten", "u",
        life_event=True,
        subject="Abonnement overzetten na scheiding",
        summary="Klant gaat scheiden, blijft in de woning; overzetting abonnement van ex-partner naar klant "
        "uitgelegd, formulier met handtekening beiden nodig",
        note="Scheiding. Abonnement op naam ex-partner. Tenaamstellingsformulier gemaild, handtekening beide "
        "partijen nodig. Gevoelig gesprek.",
        remember=(life_event("In scheiding; blijft in de woning, abonnement naar eigen naam zetten"),),
        turns=[
            GREET,
            c(
                "{dagdeel}, met {voornaam} {achternaam}. Mijn {partner_rol} en ik gaan scheiden. [Het is "
                "nogal vervelend allemaal.|Het gaat niet zo goed tussen ons.] Het abonnement staat op zijn "
                "naam, maar ik blijf in het huis wonen.",
            ),
            a(
                "Dat is een moeilijke tijd, {aanspreek}. Ik help u graag om dit in elk geval goed te "
                "regelen. Ik pak uw gegevens erbij; mag ik uw postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Ik zie het abonnement op naam van uw {partner_rol}. We kunnen het op uw naam zetten, met "
                "hetzelfde nummer en dezelfde prijs. Daarvoor hebben we een formulier nodig dat u allebei "
                "ondertekent.",
            ),
            c("Allebei? Ik wil eigenlijk zo min mogelijk contact met hem op dit moment."),
            a(
                "Dat begrijp ik. Het mag ook digitaal: ik stuur het formulier naar u, en u stuurt het door. "
                "Hij hoeft ons alleen een handtekening terug te mailen; u hoeft elkaar er niet voor te zien.",
            ),
            c("Dat is goed. Dank u, dat helpt."),
            a("Ik mail het formulier direct. Veel sterkte de komende tijd."),
        ],
    ),
)  # fmt: skip
