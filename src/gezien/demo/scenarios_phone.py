"""Phone conversations (transcripts) about technical faults, and the greetings all phone scripts share.

Sensitive calls live in `scenarios_sensitive`, everyday calls in `scenarios_phone_everyday`. Customer
turns are written as people speak, with hesitations and half sentences; agent turns range from textbook
to clumsy on purpose, so that the analysis (empathy, register, interruptions, signposting) has
something to find.
"""

from __future__ import annotations

from gezien.demo.scenarios import Script, a, c, promise, script

GREET = a(
    "{dagdeel}, Voorbeeld Telecom, u spreekt met {agent}[.|, waarmee kan ik u helpen?|, wat kan ik voor u "
    "doen?]",
    "{dagdeel}, u spreekt met {agent} van Voorbeeld Telecom[.|, waarmee kan ik u helpen?]",
    "Voorbeeld Telecom, {dagdeel_l}, u spreekt met {agent}[.|, wat kan ik voor u doen?]",
)
GREET_BLUNT = a("Voorbeeld Telecom, met {agent}.", "Ja, Voorbeeld Telecom, {agent}.", "Met {agent}.")

SCRIPTS: tuple[Script, ...] = (
    # --- technical_fault_phone ---------------------------------------------------------------------------
    script(
        "tech_modem_reset_u", "technical_fault_phone", "phone", "storing_internet", "u",
        subject="Geen internet",
        summary=(
            "Geen internet; {modem} gaf rood lampje, na herstart modem verbinding hersteld",
            "Internetstoring opgelost door modem {modem} stroomloos te maken; klant tevreden",
        ),
        note=(
            "Geen internet, rood lampje op {modem}. Stekker eruit, 30 sec, opnieuw opgestart. Verbinding "
            "hersteld, getest met klant.",
        ),
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik heb [sinds vanochtend|sinds gisteravond] geen internet meer. "
                "De tablet doet het niet en de laptop ook niet.",
            ),
            a(
                "Vervelend, zonder internet zitten. Ik ga het samen met u bekijken. Ik pak eerst uw gegevens "
                "erbij; mag ik uw postcode en huisnummer?",
                "Dat is vervelend. Om te kijken wat er aan de hand is, pak ik even uw gegevens erbij. Wat is "
                "uw postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Dank u. Ik zie geen storing in uw wijk, dus we gaan naar het modem kijken. Staat u in de "
                "buurt van het modem? Dat is het witte kastje, meestal in de meterkast of bij de tv.",
            ),
            c("Ja, wacht even, ik loop erheen. Ja. Hier staat hij."),
            a("Welke lampjes ziet u branden, en in welke kleur?"),
            c("Eh, er brandt een lampje rood. En de rest is... wit geloof ik. Of niet aan."),
            a(
                "Dan gaan we het modem opnieuw opstarten. Wilt u de stekker uit het stopcontact halen, tot "
                "dertig tellen, en hem er dan weer in doen? Het opstarten duurt een paar minuten, ik blijf "
                "aan de lijn.",
            ),
            c("Zo. Hij zit er weer in. Nu knippert alles."),
            a("Dat klopt, hij is aan het opstarten. Ik zet u heel even in de wacht.", hold=110.0),
            a("Ik ben er weer. Hoe ziet het er nu uit?"),
            c("Alles is wit. O, en de tablet doet het weer! Kijk nou."),
            a(
                "Mooi zo. Als het rode lampje terugkomt, belt u ons gerust weer; dan kijken we verder. Kan "
                "ik nog iets voor u doen?",
            ),
            c("Nee, dit was het. Dank u wel, hoor. Ik dacht al dat ik een nieuwe moest kopen."),
            a("Graag gedaan, {aanspreek}. Nog een fijne dag."),
        ],
    ),
    script(
        "tech_modem_reset_je", "technical_fault_phone", "phone", "storing_internet", "je",
        subject="Internet valt weg",
        summary=(
            "Internet viel steeds weg; {modem} gereset en wifikanaal aangepast, verbinding stabiel",
            "Wegvallend internet: modem herstart en wifi-kanaal gewijzigd; klant test vanavond verder",
        ),
        note="Wifi valt steeds weg. Modem {modem} herstart, wifi-kanaal van automatisch naar 36 gezet. Klant "
        "test verder.",
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam}. Mijn internet valt de hele tijd weg. Ik werk vandaag thuis en ik lig "
                "elke tien minuten uit mijn Teams-call. [Echt super irritant.|Mijn baas wordt er gek van.]",
            ),
            a(
                "Balen, zeker als je thuiswerkt. Zullen we het samen even bekijken? Dan pak ik eerst je "
                "gegevens erbij. Wat is je postcode en huisnummer?",
                "Vervelend. Ik ga met u kijken. Wat is uw postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Ik zie dat je modem de afgelopen nacht een paar keer opnieuw is opgestart. Zit je laptop "
                "via wifi of met een kabel?",
            ),
            c("Wifi. Ik zit boven, het modem staat beneden in de meterkast."),
            a(
                "Dat scheelt al veel. Ik ga op afstand je modem opnieuw opstarten en ik zet de wifi op een "
                "rustiger kanaal. Dan ben je een paar minuutjes offline.",
            ),
            c("Prima, doe maar. Ik zeg even in de call dat ik eruit lig, haha."),
            a("Top. Ik zet je heel even in de wacht.", hold=90.0),
            a("Ik ben er weer. Hij is opnieuw opgestart. Heb je weer verbinding?"),
            c("Ja, hij doet het weer. Snel ook. We gaan het zien of hij blijft."),
            a(
                "Als het vanavond weer wegvalt, laat het dan even weten. Dan kijken we naar een wifi-punt "
                "voor boven. Succes met je call!",
            ),
            c("Thanks, fijne dag!"),
        ],
    ),
    script(
        "tech_tv_no_signal", "technical_fault_phone", "phone", "storing_tv", "u",
        subject="Tv zonder beeld",
        summary=(
            "Tv gaf 'geen signaal'; verkeerde HDMI-bron gekozen, tv-box herstart; beeld terug",
            "Geen tv-beeld: tv-box hing na update, herstart; klant kan weer kijken",
        ),
        note="Tv zonder beeld, melding geen signaal. Bron op tv stond op HDMI 2, tv-box op HDMI 1. Tv-box "
        "herstart, beeld terug.",
        turns=[
            GREET,
            c(
                "Ja, {dagdeel_l}, met {aanspreek}. Mijn televisie doet het niet meer. Er staat alleen 'geen "
                "signaal' en [het journaal begint zo|mijn man wil zo naar het voetbal kijken].",
            ),
            a(
                "Dat is vervelend, en dan ook nog net voor het journaal. We gaan het samen proberen op te "
                "lossen. Ik pak eerst even uw gegevens erbij. Mag ik uw postcode en huisnummer?",
            ),
            c("Ja. {postcode}. Nummer {huisnummer}."),
            a(
                "Dank u. Pakt u de afstandsbediening van de televisie zelf, dus niet die van ons kastje? Er "
                "zit een knop op met 'source' of 'bron'. Wilt u daar eens op drukken?",
            ),
            c("Source... ja. Nu staat er HDMI 2. En nu HDMI 1. O! Nu zie ik het menu van jullie."),
            a(
                "Dan stond de televisie op de verkeerde ingang. Dat gebeurt makkelijk als je per ongeluk op "
                "die knop komt. Ziet u nu ook beeld?",
            ),
            c("Nee, het blijft zwart met dat logo erop."),
            a(
                "Dan is het kastje bezig met een update en blijft hij hangen. Wilt u de stekker van het "
                "kastje eruit halen en er na tien seconden weer in doen? Het duurt ongeveer twee minuten.",
            ),
            c("Zo. Ja, hij gaat weer aan. Ik zie... ja, daar is {zender}. Hè hè."),
            a(
                "Fijn! Als het nog eens gebeurt, weet u nu welke twee dingen u kunt proberen. Kan ik nog "
                "iets doen?",
            ),
            c("Nee, dank u wel. U heeft het heel duidelijk uitgelegd."),
            a("Graag gedaan. Nog een fijne avond."),
        ],
    ),
    script(
        "tech_tv_channel_black_je", "technical_fault_phone", "phone", "storing_tv", "je",
        subject="Zender op zwart",
        summary="{zender} op zwart beeld door bekende storing in de regio; verwacht vanavond opgelost, sms "
        "bij herstel",
        note="{zender} zwart, bekende storing ({ticket}). Klant gekoppeld aan melding, sms bij herstel.",
        turns=[
            GREET,
            c(
                "Hé, met {voornaam}. Ik krijg {zender} niet meer, de rest doet het wel. Is er iets aan de "
                "hand?",
            ),
            a(
                "Goed dat je belt. Ik kijk even mee; wat is je postcode en huisnummer?",
                "Dank je voor je melding. Mag ik je postcode en huisnummer, dan kijk ik of het bij jou in de "
                "buurt speelt.",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Ja, ik zie het. Er is sinds vanmiddag een storing op {zender} in jouw regio. De monteurs "
                "zijn ermee bezig en de verwachting is dat het vanavond is opgelost.",
            ),
            c("Ah oké, dus het ligt niet aan mij. Ik had al drie keer alles opnieuw opgestart, haha."),
            a(
                "Nee, aan jou ligt het niet. Zal ik je koppelen aan de melding? Dan krijg je een sms zodra "
                "het weer werkt, dan hoef je niet steeds te checken.",
            ),
            c("Ja, graag. Top."),
            a("Staat erop. Het meldingsnummer is {ticket}. Sorry voor het ongemak, en nog een fijne avond!"),
            c("Jij ook, doei."),
        ],
    ),
    script(
        "tech_area_outage", "technical_fault_phone", "phone", "storing_internet", "u",
        subject="Storing in de wijk",
        summary=(
            "Internet en tv uit door kabelbreuk bij graafwerkzaamheden in de wijk; verwachte oplostijd "
            "{dag}, compensatie automatisch",
        ),
        note="Kabelbreuk graafwerk wijk {postcode}. Klant gekoppeld aan storing {ticket}, sms bij herstel. "
        "Compensatie gaat automatisch.",
        remember=(
            promise("Sms bij herstel storing {ticket}; terugbellen als het {dag} niet werkt", "dag", 17),
        ),
        turns=[
            GREET,
            c(
                "{dagdeel}, u spreekt met {voornaam} {achternaam}. Ik heb geen internet en geen tv, en mijn "
                "buurman ook niet. [Ze zijn hier op straat aan het graven.|Er staat een graafmachine in de "
                "straat.]",
            ),
            a(
                "Dan heeft u waarschijnlijk gelijk. Om te kijken of het bij u in de straat speelt, pak ik "
                "even uw gegevens erbij. Mag ik uw postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Klopt. Er is vanochtend bij graafwerkzaamheden een kabel geraakt. Er zijn ongeveer "
                "tweehonderd adressen getroffen, waaronder het uwe. Een ploeg is bezig met de reparatie.",
            ),
            c("En hoe lang gaat dat duren? Ik moet morgen thuiswerken."),
            a(
                "Eerlijk gezegd kan het tot {dag} duren; zo'n kabel moet over een flink stuk vervangen "
                "worden. Ik snap dat dat lastig is als u moet werken. Heeft u mobiele data die u kunt delen?",
            ),
            c("Ja, dat kan wel, maar mijn bundel is klein."),
            a(
                "Dan zet ik er kosteloos tien gigabyte extra data bij tot de storing voorbij is. En de dagen "
                "dat het niet werkt, krijgt u automatisch teruggestort. U krijgt een sms zodra het weer "
                "werkt.",
            ),
            c("Nou, dat is netjes. Dank u wel."),
            a("Graag gedaan. Het storingsnummer is {ticket}, mocht u het nodig hebben. Fijne dag verder."),
        ],
    ),
    script(
        "tech_modem_broken_technician", "technical_fault_phone", "phone", "storing_internet", "u",
        subject="Modem defect, monteur",
        summary=(
            "{modem} defect (geen stroomlampje); monteur ingepland op {datum} tussen 8 en 12 uur",
            "Modem doet niets meer; monteursafspraak {datum} ochtend, klant krijgt bevestiging per sms",
        ),
        note="Modem geen stroom, ook niet op ander stopcontact. Monteur {datum} 8-12u. Bevestiging per sms.",
        remember=(promise("Monteur komt {datum} tussen 8 en 12 uur; vervangen {modem}", "datum", 12),),
        turns=[
            GREET,
            c(
                "Ja, {dagdeel_l}. Met {aanspreek}. Het modem doet helemaal niks meer. Geen lampje, niks. Ik "
                "heb hem al in een ander stopcontact gedaan.",
            ),
            a(
                "Vervelend. Goed dat u het andere stopcontact al heeft geprobeerd. Ik pak uw gegevens erbij; "
                "mag ik uw postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Ik zie dat ik uw modem op afstand ook niet meer kan bereiken. Dan is hij waarschijnlijk "
                "kapot. Ik kan een monteur sturen die een nieuwe {modem} komt plaatsen en alles test.",
            ),
            c("En wanneer kan dat? Ik zit nu helemaal zonder."),
            a(
                "De eerste mogelijkheid is {datum}, tussen acht en twaalf uur. Is dat goed voor u?",
                "Ik heb {datum} in de ochtend nog plek, tussen acht en twaalf. Lukt dat?",
            ),
            c("[Dat is wel lang.|Eerder kan niet?] Nou ja, als het niet anders kan. Ja, dat is goed."),
            a(
                "Ik begrijp dat het lang voelt. Als er eerder plek vrijkomt, bellen we u. U krijgt een "
                "bevestiging per sms, en de monteur belt een half uur voordat hij komt.",
            ),
            c("Goed. Dank u."),
            a("Graag gedaan, {aanspreek}. Tot {datum} dan, nou ja, de monteur. Fijne dag."),
        ],
    ),
    script(
        "tech_mobile_indoor_je", "technical_fault_phone", "phone", "storing_mobiel", "je",
        subject="Slecht bereik binnen",
        summary="Slecht mobiel bereik binnenshuis; bellen via wifi aangezet op {toestel}, werkt",
        note="Binnen slecht bereik (nieuwbouw, veel beton). Bellen via wifi aangezet op {toestel}. Opgelost.",
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam}. Sinds we verhuisd zijn heb ik binnen bijna geen bereik. Ik moet echt "
                "in de tuin gaan staan om te bellen, [haha|niet te doen].",
            ),
            a(
                "Ha {voornaam}, dat is niet handig. Heb je thuis wel wifi van ons of van een andere "
                "provider?",
                "Vervelend. Heeft u thuis wel wifi?",
            ),
            c("Ja, wifi doet het prima. Alleen bellen niet."),
            a(
                "Dan kun je bellen via wifi aanzetten. Welke telefoon heb je? Dan loop ik het met je door.",
            ),
            c("Een {toestel}."),
            a(
                "Ga naar instellingen, dan naar verbindingen of mobiel netwerk, en zoek 'bellen via wifi'. "
                "Zie je die?",
            ),
            c("Eh... ja. Wifi-bellen. Staat uit. Nu aan."),
            a(
                "Top. Bel jezelf eens vanaf een ander toestel, of bel mij zo even terug op het algemene "
                "nummer.",
            ),
            c(
                "Ik bel je nu toch al vanuit de woonkamer. O ja, er staat nu een wifi-icoontje bij het "
                "bellen.",
            ),
            a(
                "Dan werkt het. Voortaan bel je binnen gewoon via je wifi, zonder extra kosten. Nog iets "
                "anders?",
            ),
            c("Nee, dat was het. Echt top, thanks!"),
        ],
    ),
    script(
        "tech_landline_dead", "technical_fault_phone", "phone", "storing_internet", "u",
        subject="Vaste telefoon geen kiestoon",
        summary="Vaste telefoon zonder kiestoon; telefoonkabel zat in verkeerde poort van modem, opgelost",
        note="Oudere klant, vaste lijn dood (belt met mobiel). Kabel zat in LAN-poort i.p.v. TEL1. Omgezet, "
        "werkt.",
        turns=[
            GREET,
            c(
                "Ja, {dagdeel_l}, u spreekt met {aanspreek}. Ik bel met mijn mobieltje, want de gewone "
                "telefoon doet het niet meer. Ik hoor niks als ik de hoorn opneem. [Mijn dochter kan me niet "
                "bereiken.|Ik heb een alarm dat via die lijn gaat.]",
            ),
            a(
                "Dat is vervelend, en goed dat u even met uw mobiel belt. We gaan het rustig samen bekijken. "
                "Ik pak eerst uw gegevens erbij. Mag ik uw postcode en huisnummer?",
            ),
            c("{postcode}, nummer {huisnummer}."),
            a(
                "Dank u wel. Uw vaste telefoon loopt via het modem. Is er iets veranderd de laatste tijd? "
                "Heeft er iemand iets aangesloten of schoongemaakt achter de kast?",
            ),
            c("Nou, mijn kleinzoon heeft gisteren zijn spelcomputer aangesloten. Zou het daardoor komen?"),
            a(
                "Dat zou goed kunnen. Achterop het modem zitten gaatjes. Eén is grijs en daar staat 'TEL' "
                "bij. Zit de telefoonkabel daarin?",
            ),
            c("Momentje, ik moet even mijn bril pakken... Nee, hij zit in een geel gaatje."),
            a("Dan mag hij eruit en in het grijze gaatje bij 'TEL 1'. Neemt u dan de hoorn eens op?"),
            c("Ja. O! Ik hoor de toon weer. Wat fijn."),
            a(
                "Mooi. Het kwam dus door die verwisselde kabel. Zegt u tegen uw kleinzoon dat hij voortaan "
                "de gele gaatjes gebruikt. Kan ik verder nog iets voor u doen?",
            ),
            c("Nee, dank u wel, wat heeft u me goed geholpen. Ik zal het zeggen, hoor."),
        ],
    ),
    script(
        "tech_jargon_stiff", "technical_fault_phone", "phone", "storing_internet", "u",
        style="stiff",
        subject="Internet traag",
        summary="Traag internet; DHCP-lease en firmware gecontroleerd, klant begreep uitleg niet; monteur "
        "aangeboden",
        note="Traag internet. Firmware up-to-date, DHCP ok, 2,4 GHz overbelast. Klant technisch niet sterk, "
        "monteur aangeboden.",
        turns=[
            GREET,
            c("{dagdeel}, met {aanspreek}. Ons internet is erg langzaam. Filmpjes blijven steeds hangen."),
            a("Ik dien eerst uw postcode en huisnummer te verifiëren."),
            c("O. {postcode}, {huisnummer}."),
            a(
                "Ik constateer dat uw modem over de meest recente firmware beschikt en dat de DHCP-lease "
                "correct is toegewezen. Uw clients zijn echter geassocieerd met de 2,4-gigahertzband, die "
                "overbelast is.",
            ),
            c("Eh... sorry, dat begrijp ik niet. Wat moet ik doen?"),
            a(
                "U dient uw apparaten te verbinden met het 5-gigahertznetwerk. De SSID daarvan eindigt op "
                "'5G'.",
            ),
            c("De wat? Ik weet niet eens waar ik dat moet zien. Kunt u het wat eenvoudiger zeggen?"),
            a(
                "Excuses. Op uw tablet ziet u bij wifi twee namen staan. Kiest u de naam die eindigt op 5G. "
                "Indien dat niet lukt, kan ik een monteur inplannen; daar zijn kosten aan verbonden.",
            ),
            c("Nou, ik vraag mijn zoon wel even. Dank u."),
        ],
    ),
    script(
        "tech_database_blunt", "technical_fault_phone", "phone", "storing_internet", "je",
        style="blunt",
        subject="Internetstoring, al vaker gemeld",
        summary="Internetstoring, klant al vaker gebeld; standaard resetstappen doorlopen, klant "
        "geïrriteerd; melding {ticket} aangemaakt",
        note="Storing internet. Reset-script doorlopen (klant had dit al gedaan). Melding {ticket} voor 2e "
        "lijn.",
        turns=[
            GREET_BLUNT,
            c(
                "Ja hoi, met {voornaam} {achternaam}. Ik bel nu voor de zoveelste keer over mijn internet. "
                "Het valt elke avond weg en ik ben het eerlijk gezegd [spuugzat|echt zat]. Vorige week zei "
                "jullie collega...",
            ),
            a("Postcode en huisnummer?", interrupt=True),
            c("{postcode}, {huisnummer}. Maar luister, vorige week..."),
            a("Heb je het modem al opnieuw opgestart?", interrupt=True),
            c("Ja! Dat heb ik al drie keer gedaan. Dat zei die collega ook al. Daarom bel ik juist."),
            a("Oké. En de stekker er dertig seconden uitgehaald? Niet alleen de aan-uitknop?"),
            c("Ja. Ik doe niks anders. Luister je eigenlijk wel?"),
            a(
                "Ik moet die stappen wel even langslopen, anders kan ik het niet doorzetten. Ik maak een "
                "melding voor de tweede lijn, nummer {ticket}. Die nemen binnen drie werkdagen contact op.",
            ),
            c("Drie werkdagen. Geweldig. Nou, dag."),
        ],
    ),
    script(
        "tech_evening_drops_je", "technical_fault_phone", "phone", "storing_internet", "je",
        subject="Internet valt 's avonds weg",
        summary="Internet valt elke avond rond 21 uur weg; lijnmeting gestart, terugbelafspraak {dag} na 18 "
        "uur",
        note="Avondlijke uitval ~21u. 48-uurs lijnmeting gestart. {dag} na 18u terugbellen met uitslag.",
        remember=(promise("Terugbellen met uitslag lijnmeting (na 18:00)", "dag", 18),),
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam}. Mijn internet valt elke avond rond negen uur weg. Overdag niks aan de "
                "hand, maar 's avonds als ik wil gamen of Netflixen: weg. [Al een week lang.|Al sinds vorige "
                "week.]",
            ),
            a(
                "Elke avond rond dezelfde tijd, dat is een duidelijk patroon, goed dat je dat zo bijhoudt. "
                "Ik pak even je gegevens erbij; wat is je postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Ik zie in de logboeken inderdaad dat je verbinding de laatste avonden een paar keer is "
                "weggevallen. Ik start een meting van achtenveertig uur op je lijn; dan zien we precies wat "
                "er gebeurt.",
            ),
            c("Oké, en dan? Ik heb echt geen zin om weer drie keer te bellen."),
            a(
                "Dat snap ik. Dan bel ik jou terug, je hoeft zelf niks te doen. Ik bel je {dag} na zes uur "
                "met de uitslag. Past dat?",
            ),
            c("Ja, na zessen is goed. Overdag neem ik niet op op m'n werk."),
            a("Genoteerd: {dag} na zes uur. Tot dan, {voornaam}!"),
        ],
    ),
)  # fmt: skip
