"""Chat conversations: informal Saturday mornings, quick questions, and agents who miss the tone."""

from __future__ import annotations

from gezien.demo.scenarios import Script, a, c, life_event, note, preference, promise, script

SCRIPTS: tuple[Script, ...] = (
    # --- informal_saturday_chat ----------------------------------------------------------------------------
    script(
        "sat_wifi_name", "informal_saturday_chat", "chat", "product_instellen", "je",
        subject="Wifi-naam veranderen",
        summary="Uitgelegd hoe wifi-naam en wachtwoord van {modem} te wijzigen via de app",
        turns=[
            c("Hoi! ff een vraagje 😊", "Hoiii, klein vraagje!", "Goeiemorgen! Vraagje 🙋‍♀️"),
            c("kan ik mijn wifi naam veranderen? mn buren zien nu VT-{klantnummer} haha"),
            a(
                "Hoi {voornaam}! Goedemorgen 😊 Zeker kan dat. Open de Voorbeeld Telecom-app, ga naar 'Mijn "
                "wifi' en tik op het potloodje bij de naam. Daar kun je ook meteen je wachtwoord aanpassen.",
            ),
            c("ooh ik zie het al!! en moet ik dan alles opnieuw verbinden?"),
            a(
                "Ja, je apparaten moeten daarna één keer opnieuw verbinden met de nieuwe naam en het nieuwe "
                "wachtwoord.",
            ),
            c(
                "top, thanks! fijn weekend 👋",
                "yes gelukt 🎉 dankjewel! groetjes", "super, dankjewel! fijne zaterdag ☀️",
            ),
            a("Graag gedaan, jij ook een fijn weekend! 👋"),
        ],
    ),
    script(
        "sat_data_holiday", "informal_saturday_chat", "chat", "abonnement_wijzigen", "je",
        subject="Extra data op vakantie",
        summary="Databundel op tijdens vakantie in Spanje; eenmalige extra bundel van 5 GB toegevoegd",
        turns=[
            c("Hoi! Mijn bundel is op en ik zit op vakantie in Spanje 🙈 kan ik er iets bij kopen?"),
            a(
                "Hoi {voornaam}, oei, net op vakantie 🌴 Dat kan zeker. Binnen de EU gebruik je gewoon je "
                "eigen bundel, dus je kunt een extra bundel nemen: 5 GB voor {bedrag}. Zal ik hem aanzetten?",
            ),
            c("ja graag!! anders kan ik geen google maps gebruiken haha"),
            a("Staat aan! Binnen een paar minuten kun je weer internetten. Geniet ervan!"),
            c("yesss werkt al, je bent een held 🙌 groetjes uit Malaga", "ah super, dankjewel!! 😎"),
        ],
    ),
    script(
        "sat_football", "informal_saturday_chat", "chat", "abonnement_wijzigen", "je",
        subject="Sportpakket voor vanavond",
        summary="Sportpakket toegevoegd zodat klant vanavond de wedstrijd kan kijken; maandelijks opzegbaar",
        turns=[
            c("Hey, vanavond is de wedstrijd ⚽ kan ik nog snel het sportpakket erbij nemen?"),
            c("liefst vandaag nog want mn vrienden komen kijken 😅"),
            a(
                "Hey {voornaam}! Dat kan nog ruim op tijd 😄 Het sportpakket kost {bedrag} per maand en is "
                "maandelijks opzegbaar. Zal ik het voor je aanzetten?",
            ),
            c("ja doe maar!"),
            a("Staat aan. Zet je tv-box even uit en weer aan, dan zie je de sportzenders erbij."),
            c("het werkt!!! 🎉 thanks, fijn weekend", "yes ik zie ze, thanks! groetjes"),
            a("Veel kijkplezier vanavond! ⚽"),
        ],
    ),
    script(
        "sat_package_today", "informal_saturday_chat", "chat", "levering", "je",
        subject="Pakketje vandaag?",
        summary="Vraag of {product} vandaag wordt bezorgd; bezorging vandaag tussen 13 en 15 uur bevestigd",
        turns=[
            c(
                "Hoi! Komt mijn pakketje vandaag? Zit een beetje thuis te wachten haha 🙃",
                "Goeiemorgen! wordt mijn bestelling vandaag bezorgd?",
            ),
            a("Goedemorgen {voornaam}! Ik kijk even voor je. Heb je je ordernummer?"),
            c("{order}"),
            a("Je {product} is onderweg en wordt vandaag tussen 13:00 en 15:00 bezorgd 📦"),
            c("ah top, dan ga ik nu eerst boodschappen doen 😄 dankje!"),
            a("Goed plan! Fijne dag!"),
        ],
    ),
    script(
        "sat_esim", "informal_saturday_chat", "chat", "product_instellen", "je",
        subject="Simkaart overzetten naar nieuwe telefoon",
        summary="Uitleg sim overzetten naar nieuwe {toestel}; eSIM aangevraagd",
        turns=[
            c("hoi, ik heb een nieuwe telefoon gekocht (een {toestel} 😍) hoe zet ik mijn sim erin?"),
            a(
                "Hoi {voornaam}, gefeliciteerd met je nieuwe telefoon! 🎉 Je kunt je simkaartje gewoon "
                "overzetten, of je kiest een eSIM. Wat heb je liever?",
            ),
            c("eSIM klinkt cool, wat moet ik doen?"),
            a(
                "Ik stuur een QR-code naar je mail. Scan hem bij Instellingen > Mobiel netwerk > eSIM "
                "toevoegen.",
            ),
            c("gelukt!! 🙌 thanks"),
            a("Top! Veel plezier met je nieuwe telefoon 😊"),
        ],
    ),
    script(
        "sat_invoice_small", "informal_saturday_chat", "chat", "factuur_hoger", "je",
        subject="Factuur paar euro hoger",
        summary="Vraag waarom factuur {maand} iets hoger is: bellen naar 0900-nummer; uitgelegd",
        turns=[
            c("Hoi! Geen drama hoor, maar waarom is mijn factuur deze maand 3 euro hoger? 🤔"),
            a("Hoi {voornaam}! Goeie vraag, ik kijk even mee 🔎"),
            a(
                "Je hebt in {maand} een 0900-nummer gebeld, dat wordt apart gerekend. Daar komt die 3 euro "
                "vandaan.",
            ),
            c("oh ja klopt, de huisarts haha. oke duidelijk, dankje! fijn weekend 😊"),
            a("Jij ook een fijn weekend!"),
        ],
    ),
    script(
        "sat_stiff_agent", "informal_saturday_chat", "chat", "product_instellen", "je",
        style="stiff",
        subject="Wachtwoord wifi kwijt",
        summary="Klant wifi-wachtwoord kwijt; verwezen naar sticker op modem en de app",
        turns=[
            c("Hoi! ff een vraagje 😊 ik ben mijn wifi wachtwoord kwijt, waar vind ik dat?"),
            a(
                "Geachte heer/mevrouw, Hartelijk dank voor uw bericht. Wij verzoeken u vriendelijk om het "
                "wachtwoord te raadplegen op de sticker aan de onderzijde van het modem. Indien u het "
                "wachtwoord heeft gewijzigd, kunt u dit inzien via de applicatie Mijn Voorbeeld Telecom. Met "
                "vriendelijke groet.",
            ),
            c("haha oké zo formeel 😅 maar thanks, ik kijk even"),
            c("gevonden, dankje"),
            a("Graag gedaan. Wij wensen u een prettig weekend."),
        ],
    ),
    script(
        "sat_password", "informal_saturday_chat", "chat", "overig", "je",
        subject="Inloggen Mijn Voorbeeld Telecom lukt niet",
        summary="Inloggen lukte niet; wachtwoord-resetlink opnieuw gestuurd, klant kan weer inloggen",
        turns=[
            c(
                "goeiemorgen ☕ ik kom niet meer in mijn account, wachtwoord vergeten en de reset mail komt "
                "niet",
            ),
            a(
                "Goedemorgen {voornaam}! Vervelend. Zit hij misschien in je spam? Dan stuur ik hem anders "
                "opnieuw.",
            ),
            c("nee niks 😩 kun je hem nog een keer sturen?"),
            a("Verstuurd naar {email}. Hij kan een paar minuten onderweg zijn."),
            c("binnen! en ik ben erin 🎉 dankjewel, groetjes"),
        ],
    ),
    # --- technical faults, written --------------------------------------------------------------------------
    script(
        "chat_wifi_drops_je", "technical_fault_written", "chat", "storing_internet", "je",
        subject="Wifi valt weg",
        summary="Wifi valt weg op bovenverdieping; modem op afstand herstart, advies wifi-punt",
        turns=[
            c("hoi, mijn wifi valt steeds weg op zolder, beneden werkt het wel"),
            a("Hoi {voornaam}, vervelend! Ik kijk even mee. Staat je modem beneden in de meterkast?"),
            c("ja in de meterkast"),
            a(
                "Dan komt het signaal moeilijk door de vloeren heen. Ik herstart je modem op afstand, dat "
                "helpt soms al. Werkt het daarna nog niet goed boven, dan is een wifi-punt de oplossing.",
            ),
            c("oke, wat kost zo'n wifi-punt?"),
            a("{bedrag} eenmalig, of je huurt hem voor 3 euro per maand. Ik stuur je de info!"),
            c("thanks, ik denk erover na"),
        ],
    ),
    script(
        "chat_tvbox_u", "technical_fault_written", "chat", "storing_tv", "u",
        subject="Tv-box hapert",
        summary="Tv-box bleef hangen bij opstarten; fabrieksreset uitgelegd, werkt weer",
        turns=[
            c("Goedemiddag, mijn tv-ontvanger blijft hangen bij het opstarten. Ik zie alleen het logo."),
            a(
                "Goedemiddag {aanspreek}, vervelend dat uw tv-box niet opstart. Ik help u graag. Heeft u de "
                "stekker al even uit het stopcontact gehaald?",
            ),
            c("Ja, twee keer. Het blijft hetzelfde."),
            a(
                "Dan stel ik voor dat we hem terugzetten naar de fabrieksinstellingen. Houdt u de knop "
                "achterop tien seconden ingedrukt, tot het lampje rood knippert. Het opstarten duurt daarna "
                "ongeveer vijf minuten.",
            ),
            c("Dat heb ik gedaan. Hij is nu aan het installeren."),
            c("Hij doet het weer. Dank u wel."),
            a("Fijn om te horen! Mocht het terugkomen, laat het ons weten. Prettige dag nog."),
        ],
    ),
    # --- invoices, moving, cancelling --------------------------------------------------------------------
    script(
        "chat_double_charge_u", "invoice_double_charge", "chat", "factuur_dubbel_afgeschreven", "u",
        subject="Dubbele afschrijving",
        summary="Factuur {maand} twee keer afgeschreven; terugboeking {bedrag} aangevraagd (5 werkdagen)",
        turns=[
            c(
                "Goedendag, er is deze maand twee keer {bedrag} van mijn rekening afgeschreven. Kunt u dat "
                "nakijken?",
            ),
            a("Goedendag {aanspreek}, dat is vervelend. Ik kijk het direct voor u na."),
            a(
                "U heeft gelijk: de factuur van {maand} is twee keer geïncasseerd. Mijn excuses. Ik heb de "
                "terugboeking aangevraagd; binnen vijf werkdagen staat het bedrag weer op uw rekening.",
            ),
            c("Dank u voor de snelle hulp."),
            a("Graag gedaan. Een prettige dag nog."),
        ],
    ),
    script(
        "chat_invoice_higher_je", "invoice_higher", "chat", "factuur_hoger", "je",
        subject="Waarom is mijn factuur hoger?",
        summary="Factuur hoger door afgelopen kortingsperiode (6 maanden welkomstkorting); uitgelegd",
        turns=[
            c("hoi, mijn rekening is ineens 15 euro hoger?? niks veranderd"),
            a("Hoi {voornaam}, snap dat je schrikt. Ik zoek het even uit!"),
            a(
                "Je had de eerste zes maanden welkomstkorting en die is vorige maand afgelopen. Daarom "
                "betaal je nu het normale bedrag van {bedrag}.",
            ),
            c("ah balen. kan er niks meer af?"),
            a(
                "Ik kan je wel een kleiner pakket voorstellen als je niet alles gebruikt. Zal ik even "
                "meekijken?",
            ),
            c("nee laat maar, ik snap het nu. thx"),
        ],
    ),
    script(
        "chat_moving_je", "moving_house", "chat", "verhuizing", "je",
        life_event=True,
        subject="Verhuizing",
        summary="Verhuizing per {verhuisdatum} naar {nieuwe_stad} doorgegeven via chat; overzetting gepland",
        remember=(life_event("Verhuist op {verhuisdatum} naar {nieuwe_stad}"),),
        turns=[
            c("hoi! wij verhuizen op {verhuisdatum} naar {nieuwe_stad} 🏡 hoe regel ik mijn internet?"),
            a("Hoi {voornaam}, wat leuk! 🎉 Dat regel ik hier voor je. Wat wordt je nieuwe adres?"),
            c("ik stuur het zo, moet ik het modem meenemen?"),
            a(
                "Ja, neem je modem mee. Ik zet de overzetting op {verhuisdatum}; op je oude adres stopt het "
                "dezelfde dag. Je krijgt een bevestiging per mail.",
            ),
            c("perfect, thanks!"),
        ],
    ),
    script(
        "chat_churn_je", "churn_cancel", "chat", "abonnement_opzeggen", "je",
        subject="Overstappen",
        summary="Klant overweegt over te stappen vanwege prijs; aanbieding {pakket} gedaan, klant denkt na",
        remember=(note("Overweegt over te stappen vanwege prijs; aanbod {pakket} gedaan"),),
        turns=[
            c("hoi, ik zit erover te denken om over te stappen. ergens anders is het veel goedkoper"),
            a(
                "Hoi {voornaam}, jammer om te horen! Mag ik vragen wat je nu het belangrijkst vindt, de "
                "prijs?",
            ),
            c("ja vooral de prijs. en ik gebruik de tv bijna niet"),
            a(
                "Dan betaal je eigenlijk voor iets wat je niet gebruikt. Met {pakket} zonder tv ben je "
                "goedkoper uit dan nu, en je houdt je internet. Zal ik de prijs even voor je op een rijtje "
                "zetten?",
            ),
            c("ja doe maar, dan vergelijk ik het"),
            a("Staat in je mail! Laat maar weten wat je besluit."),
        ],
    ),
    # --- compliments, birth, product questions --------------------------------------------------------------
    script(
        "chat_compliment_je", "compliment", "chat", "compliment", "je",
        subject="Compliment",
        summary="Compliment voor {collega} voor hulp bij eerder contact",
        turns=[
            c(
                "Hoi! Geen vraag, wil gewoon even zeggen dat {collega} me laatst echt super geholpen heeft "
                "😊",
                "hey! wil even een compliment geven aan {collega}, zo chill geholpen 🙌",
            ),
            a("Ah wat leuk! 😄 Dat geef ik zeker door aan {collega}. Dankjewel dat je de moeite neemt!"),
            c("graag! fijne dag"),
        ],
    ),
    script(
        "chat_birth_je", "birth", "chat", "abonnement_wijzigen", "je",
        life_event=True,
        subject="Baby geboren, extra data",
        summary="Baby {kind} geboren; tijdelijk onbeperkt data voor ouders in de kraamweek",
        remember=(life_event("Kindje {kind} geboren in {maand}"),),
        turns=[
            c(
                "Hoi! Onze dochter {kind} is geboren 🎉👶 en we bellen en appen ons suf met familie. Kan de "
                "bundel tijdelijk groter?",
            ),
            a(
                "Gefeliciteerd met {kind}!! 🎉 Wat mooi. Ik zet voor een maand onbeperkt data op je "
                "abonnement, kraamcadeautje van ons.",
            ),
            c("wat lief!! 😭 dankjewel"),
            a("Geniet van jullie kleine! 💛"),
        ],
    ),
    script(
        "chat_color_stock_je", "product_question", "chat", "product", "je",
        subject="Toestel in andere kleur",
        summary="Vraag naar kleuren en levertijd {toestel}; blauw op voorraad, morgen in huis",
        turns=[
            c("is de {toestel} ook in het blauw?"),
            a("Hoi {voornaam}! Ja, de {toestel} is er in blauw, zwart en wit. Blauw is op voorraad."),
            c("en als ik nu bestel, wanneer heb ik hem dan?"),
            a("Voor 22:00 besteld, morgen in huis 📦"),
            c("top, bestel hem nu"),
        ],
    ),
    script(
        "chat_loose_agent_u", "product_question", "chat", "product", "u",
        style="loose",
        subject="Vraag over toestel",
        summary="Vraag over garantie {toestel}; uitgelegd (2 jaar), klant vond de toon te amicaal",
        turns=[
            c(
                "Goedemiddag. Ik wil graag weten hoe lang de garantie op de {toestel} is. Met vriendelijke "
                "groet, {naam}",
            ),
            a(
                "Hoi hoi! 😄 Geen stress hoor, je zit gewoon 2 jaar goed! Gaat er iets stuk, dan fixen we "
                "het 😉👍",
            ),
            c("Dank u. Ik stel wel prijs op een wat zakelijkere toon."),
            a("Oeps, sorry! De garantie is twee jaar vanaf de aankoopdatum. Kan ik u nog ergens mee helpen?"),
            c("Nee, dank u."),
        ],
    ),
    script(
        "chat_upgrade_je", "subscription_change", "chat", "abonnement_wijzigen", "je",
        subject="Meer data",
        summary="Sim Only bundel verhoogd naar onbeperkt per volgende maand",
        turns=[
            c("hoi, ik kom elke maand data tekort. kan ik naar onbeperkt?"),
            a(
                "Hoi {voornaam}! Zeker. Onbeperkt kost {bedrag} per maand. Wil je het per direct of per "
                "volgende maand?",
            ),
            c("per direct graag"),
            a("Geregeld! Je hebt nu onbeperkt data. 🚀"),
            c("nice, dank!"),
        ],
    ),
    script(
        "chat_delivery_status_je", "delivery_status", "chat", "levering", "je",
        subject="Status bestelling",
        summary="Status bestelling {order}: verzonden, bezorging {datum}",
        turns=[
            c("hoi, waar blijft mijn bestelling? {order}"),
            a("Hoi {voornaam}! Even kijken... Je {product} is gisteren verzonden en wordt {datum} bezorgd."),
            c("oke thanks"),
        ],
    ),
    script(
        "chat_general_je", "general_question", "chat", "overig", "je",
        subject="Storingspagina",
        summary="Vraag waar storingen te vinden zijn; verwezen naar storingspagina en app-meldingen",
        turns=[
            c("hoi, hoe kan ik zien of er een storing is in mijn buurt?"),
            a(
                "Hoi {voornaam}! Op voorbeeldtelecom.nl/storingen vul je je postcode in. En in de app kun je "
                "meldingen aanzetten.",
            ),
            c("ah handig, dankje"),
        ],
    ),
    script(
        "chat_callback_17_je", "callback_after_17", "chat", "abonnement_wijzigen", "je",
        subject="Terugbellen na 17:00",
        summary="Klant wil advies over nieuw toestel en wordt {dag} na 17:00 teruggebeld",
        remember=(
            preference("Bel liever na 17:00"),
            promise("Terugbellen over nieuw toestel (na 17:00)", "dag", 17),
        ),
        turns=[
            c(
                "hoi, ik wil advies over een nieuw toestel maar ik kan nu niet bellen. kunnen jullie mij na "
                "17:00 bellen?",
            ),
            a(
                "Hoi {voornaam}! Tuurlijk. Ik plan een belafspraak voor {dag} na 17:00 op {telefoon}. Goed "
                "zo?",
            ),
            c("perfect, dank je!"),
            a("Staat genoteerd. Spreek je {dag}!"),
        ],
    ),
    script(
        "chat_hospital_u", "illness_hospital", "chat", "factuur", "u",
        life_event=True,
        subject="Klant in ziekenhuis, factuur",
        summary="Klant opgenomen in ziekenhuis; vervaldatum factuur verschoven en contact via chat "
        "afgesproken",
        remember=(life_event("Opgenomen in het ziekenhuis; kan niet bellen, liever chat"),),
        turns=[
            c(
                "Goedemiddag. Ik lig in het ziekenhuis en kan niet bellen. Mijn factuur moet deze week "
                "betaald worden, maar ik kan nu niet bij mijn bankzaken. Kan dat wat later?",
            ),
            a(
                "Goedemiddag {aanspreek}, wat vervelend dat u in het ziekenhuis ligt. Allereerst beterschap. "
                "Ik verschuif de vervaldatum met een maand; u hoeft zich er nu geen zorgen over te maken.",
            ),
            c("Dat is een pak van mijn hart. Dank u."),
            a(
                "Graag gedaan. Als er nog iets is, kunt u ons gewoon via de chat bereiken. Sterkte en "
                "beterschap.",
            ),
        ],
    ),
    script(
        "chat_hardship_je", "financial_hardship", "chat", "factuur_betalingsregeling", "je",
        life_event=True,
        subject="Kan rekening niet betalen",
        summary="Klant in financiële problemen; betalingsregeling 3 maanden via chat afgesproken",
        remember=(life_event("Financiële problemen; betalingsregeling drie maanden"),),
        turns=[
            c("hoi, beetje gênant maar ik kan mijn rekening deze maand niet betalen. ik ben ontslagen 😔"),
            a("Hoi {voornaam}, helemaal niet gênant, goed dat je het laat weten. Rot dat je ontslagen bent."),
            a(
                "Ik kan de rekening van {bedrag} over drie maanden verdelen, zonder extra kosten. Zou dat "
                "helpen?",
            ),
            c("ja dat zou echt schelen. dankjewel"),
            a(
                "Geregeld, je krijgt de bevestiging per mail. Veel succes, en laat het weten als het niet "
                "lukt.",
            ),
        ],
    ),
    script(
        "chat_rude_je", "rude_chat", "chat", "klacht", "je",
        subject="Scheldende klant in chat",
        summary="Klant scheldt in de chat over storing; gewaarschuwd, chat beëindigd na herhaling",
        remember=(note("Schold in de chat; na waarschuwing chat beëindigd"),),
        turns=[
            c("WAAROM DOET MIJN INTERNET HET WEER NIET"),
            c("jullie zijn echt een kutbedrijf"),
            a(
                "Hoi {voornaam}, ik snap dat je boos bent als je internet het niet doet. Ik wil je helpen, "
                "maar wel zonder schelden.",
            ),
            c("bespaar me je gelul, regel het gewoon, sukkel"),
            a(
                "Zo gaan we niet met elkaar om. Omdat je blijft schelden, beëindig ik deze chat. Je kunt ons "
                "opnieuw benaderen als je er rustig over wilt praten; dan helpen we je graag.",
            ),
        ],
    ),
    script(
        "chat_prospect_je", "prospect_question", "chat", "overig", "je",
        subject="Nog geen klant: sim only",
        summary="Geen klant; vraag over Sim Only en nummerbehoud, uitleg gegeven",
        turns=[
            c("hoi, ik ben nog geen klant. kan ik mijn nummer meenemen als ik sim only bij jullie neem?"),
            a(
                "Hoi! Ja, dat kan. Bij het afsluiten vul je je huidige nummer in, en wij regelen de "
                "overstap. Je zit geen dag zonder.",
            ),
            c("nice en hoe lang duurt dat?"),
            a("Meestal binnen drie werkdagen. Je krijgt een sms op het moment dat het overgaat."),
            c("oke thanks!"),
        ],
    ),
)  # fmt: skip
