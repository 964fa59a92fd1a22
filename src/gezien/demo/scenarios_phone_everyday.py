"""Everyday phone conversations: invoices, moving house, cancelling, promises, questions, voicemails."""

from __future__ import annotations

from gezien.demo.scenarios import Script, a, c, life_event, note, preference, promise, script
from gezien.demo.scenarios_phone import GREET

SCRIPTS: tuple[Script, ...] = (
    # --- invoices -------------------------------------------------------------------------------------------
    script(
        "invoice_double_phone", "invoice_double_charge", "phone", "factuur_dubbel_afgeschreven", "u",
        subject="Twee keer afgeschreven",
        summary=(
            "Factuur {maand} dubbel geïncasseerd door storing bij incasso; {bedrag} wordt binnen vijf "
            "werkdagen teruggestort",
        ),
        note="Dubbele incasso {maand} ({bedrag}). Bekend probleem incassorun. Terugstorting aangevraagd, 5 "
        "wd.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik zie op mijn bankafschrift dat u twee keer {bedrag} heeft "
                "afgeschreven deze maand. [Dat lijkt me niet de bedoeling.|Hoe kan dat nou?]",
            ),
            a(
                "Dat is vervelend, twee keer hetzelfde bedrag. Ik zoek het direct voor u uit. Daarvoor pak "
                "ik uw gegevens erbij; mag ik uw postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Dank u. Ik zie het: de factuur van {maand} is door een storing bij de incasso twee keer "
                "afgeschreven. Dat is bij meer klanten gebeurd, en het is onze fout. Excuses daarvoor.",
            ),
            c("En krijg ik dat geld dan terug? Ik heb er wel een rood staan door."),
            a(
                "Zeker. Ik heb de terugboeking nu aangevraagd; binnen vijf werkdagen staat {bedrag} weer op "
                "uw rekening. Als u door ons rente moet betalen, stuurt u mij dan het afschrift, dan "
                "vergoeden we dat ook.",
            ),
            c("Nou, dat is keurig. Dank u wel."),
            a("Graag gedaan, {aanspreek}. Nog een fijne dag."),
        ],
    ),
    script(
        "invoice_roaming_je", "invoice_higher", "phone", "factuur_hoger", "je",
        subject="Hoge factuur na vakantie",
        summary=(
            "Factuur {bedrag2} door bellen en data buiten de EU tijdens vakantie; uitleg gegeven, coulance "
            "50%",
        ),
        note="Hoge factuur {bedrag2}: roaming buiten EU (Turkije/Marokko). Uitgelegd, 50% coulance, bundel "
        "buitenland geadviseerd.",
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam}. Ik heb net mijn factuur gekregen en die is {bedrag2}! Normaal betaal "
                "ik twintig euro. Dat klopt toch echt niet.",
            ),
            a(
                "Schrik je je rot als je dat ziet. Ik kijk met je mee waar het vandaan komt. Wat is je "
                "postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Ik zie dat je de afgelopen maand in het buitenland bent geweest, buiten de Europese Unie. "
                "Daar geldt je bundel niet, en het dataverbruik daar wordt los gerekend.",
            ),
            c(
                "[We waren in Turkije bij familie.|We waren twee weken in Marokko.] Maar ik heb bijna niks "
                "gedaan, alleen een beetje WhatsApp.",
            ),
            a(
                "Het zijn vooral de automatische updates en foto's die op de achtergrond synchroniseren. Dat "
                "gaat snel. Je hebt wel sms'jes gehad met een waarschuwing, maar ik snap dat je die op "
                "vakantie mist.",
            ),
            c("Ja, ik heb nergens op gelet. Maar {bedrag2}, dat kan ik echt niet betalen nu."),
            a(
                "Ik kan eenmalig de helft crediteren. En voor de volgende keer: je kunt een bundel "
                "buitenland nemen van tien euro, dan heb je dit niet meer. Zal ik de helft crediteren?",
            ),
            c("Ja, graag. Dat scheelt wel. Thanks."),
        ],
    ),
    script(
        "invoice_indexation_u", "invoice_higher", "phone", "factuur_hoger", "u",
        subject="Factuur hoger dan vorige maand",
        summary="Factuur hoger door jaarlijkse prijsaanpassing; uitgelegd, goedkoper pakket besproken, klant "
        "houdt pakket",
        note="Vraag over hogere factuur: jaarlijkse indexatie per 1e van de maand. Brief was verstuurd. "
        "Uitgelegd.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Mijn factuur is ineens hoger dan vorige maand. Ik heb niks "
                "veranderd. Hoe kan dat?",
            ),
            a("Dat zoek ik voor u uit. Ik pak uw gegevens erbij; mag ik uw postcode en huisnummer?"),
            c("{postcode}, {huisnummer}."),
            a(
                "Dank u. Ik zie dat het bedrag ongeveer twee euro hoger is. Dat komt door de jaarlijkse "
                "prijsaanpassing; daar heeft u een paar weken geleden een brief over gekregen.",
            ),
            c("Een brief? Die heb ik dan niet gezien. [Alles wordt ook duurder.|Ze doen maar.]"),
            a(
                "Dat kan ik me voorstellen, alles wordt duurder. Ik kan kijken of er een pakket is dat beter "
                "bij u past, als u wilt. Kijkt u veel tv?",
            ),
            c("Elke avond. Nee, laat maar zitten. Ik wilde het alleen begrijpen."),
            a("Helder. Dan blijft alles zoals het is. Kan ik nog iets voor u doen?"),
            c("Nee, dank u."),
        ],
    ),
    # --- moving house --------------------------------------------------------------------------------------
    script(
        "moving_phone_u", "moving_house", "phone", "verhuizing", "u",
        life_event=True,
        subject="Verhuizing doorgeven",
        summary="Verhuizing naar {nieuwe_stad} per {verhuisdatum} doorgegeven; installatie nieuw adres "
        "gepland, oude aansluiting stopt dezelfde dag",
        note="Verhuizing per {verhuisdatum} naar {nieuwe_stad}. Overzetten aangevraagd, monteur nieuw adres, "
        "oude lijn stopt zelfde dag.",
        remember=(life_event("Verhuist op {verhuisdatum} naar {nieuwe_stad}"),),
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Wij gaan verhuizen, naar {nieuwe_stad}, en ik wil graag dat het "
                "internet en de tv meegaan.",
            ),
            a(
                "Wat leuk, een verhuizing. Dat regel ik graag voor u. Ik pak eerst uw huidige gegevens "
                "erbij; mag ik uw postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a("Dank u. En wat is de verhuisdatum, en het nieuwe adres?"),
            c(
                "We krijgen de sleutel op {verhuisdatum}. Het nieuwe adres stuur ik u... kan ik het gewoon "
                "zeggen?",
            ),
            a(
                "Zeker. Ik noteer het. Op het nieuwe adres is uw pakket ook beschikbaar. Ik plan de "
                "overzetting op {verhuisdatum}; uw oude aansluiting stopt dezelfde dag, dan betaalt u niet "
                "dubbel.",
            ),
            c("En moet er een monteur komen?"),
            a(
                "Op het nieuwe adres zit al een aansluiting, dus u kunt het modem zelf meenemen en "
                "aansluiten. Lukt het niet, dan sturen we kosteloos een monteur. U krijgt alles per e-mail "
                "bevestigd.",
            ),
            c("Heel fijn, dat is weer één ding minder. Dank u wel."),
            a("Graag gedaan, en alvast veel plezier in uw nieuwe huis!"),
        ],
    ),
    script(
        "moving_phone_je", "moving_house", "phone", "verhuizing", "je",
        life_event=True,
        subject="Verhuizen, internet meenemen",
        summary="Verhuizing per {verhuisdatum} naar {nieuwe_stad}; nieuw adres heeft nog geen aansluiting, "
        "monteur gepland, mobiele data als overbrugging",
        note="Verhuist {verhuisdatum} naar nieuwbouw {nieuwe_stad}. Aansluiting nog niet actief: monteur "
        "gepland, 20 GB extra data tot installatie.",
        remember=(life_event("Verhuist op {verhuisdatum} naar {nieuwe_stad} (nieuwbouw)"),),
        turns=[
            GREET,
            c(
                "Hey, met {voornaam}. Ik ga samenwonen met mijn vriendin, in {nieuwe_stad}, en ik wil mijn "
                "internet meenemen. Hoe werkt dat?",
            ),
            a(
                "Gefeliciteerd! Dat regelen we. Wat is je huidige postcode en huisnummer?",
                "Gefeliciteerd met het samenwonen! Mag ik uw postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a("Top. En wanneer verhuis je, en waar naartoe?"),
            c("Op {verhuisdatum}. Het is een nieuwbouwhuis, dus ik weet niet of er al wat ligt."),
            a(
                "Bij nieuwbouw is de aansluiting vaak nog niet actief. Ik plan een monteur in op de dag na "
                "je verhuizing. Tot die tijd zet ik twintig gigabyte extra data op je sim, dan zit je niet "
                "zonder.",
            ),
            c("O, nice. Dat is echt handig."),
            a("Je krijgt een mail met de afspraak. Succes met verhuizen!"),
            c("Thanks, doei!"),
        ],
    ),
    # --- cancelling with churn intent ----------------------------------------------------------------------
    script(
        "churn_cheaper_je", "churn_cancel", "phone", "abonnement_opzeggen", "je",
        subject="Opzeggen, overstappen",
        summary=(
            "Klant wil overstappen naar goedkopere provider na herhaalde storingen; aanbod: {pakket} met zes "
            "maanden korting, klant denkt erover na, aanbod per mail",
        ),
        note="Opzegverzoek: overstap naar concurrent (prijs + storingen). Retentie-aanbod {pakket}, 6 mnd "
        "korting, per mail gestuurd. Klant beslist binnen een week.",
        remember=(
            note("Overweegt over te stappen naar andere provider (prijs, storingen); retentie-aanbod gedaan"),
            promise("Aanbod per mail sturen en klant {dag} bellen voor besluit", "dag", 18),
        ),
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam} {achternaam}. Ik wil mijn abonnement opzeggen. Ik stap over naar een "
                "andere provider. [Die is tien euro goedkoper en|Na al die storingen ben ik er wel klaar "
                "mee, en] ik heb geen zin meer om steeds te bellen.",
            ),
            a(
                "Dat is jammer om te horen, maar ik snap het: als je steeds moet bellen, is de lol er snel "
                "af. Mag ik vragen wat voor jou de doorslag geeft?",
            ),
            c(
                "Eerlijk? Het internet is 's avonds gewoon niet betrouwbaar. En dan ook nog duurder dan de "
                "rest.",
            ),
            a(
                "Dat is een duidelijk verhaal. Ik zie dat je deze maand al twee keer contact hebt gehad over "
                "uitval. Ik wil je niet aan het lijntje houden, dus: ik kan je {pakket} aanbieden met zes "
                "maanden korting, en we sturen een monteur die de lijn echt doormeet. Zal ik dat aanbod "
                "mailen, dan kun je het rustig vergelijken?",
            ),
            c("Mail maar. Maar ik beloof niks."),
            a("Helemaal goed. Ik stuur het vandaag en ik bel je {dag} even, dan hoor ik wat je besluit."),
            c("Oké. Na zessen, graag."),
        ],
    ),
    script(
        "churn_fed_up_u", "churn_cancel", "phone", "abonnement_opzeggen", "u",
        subject="Opzeggen abonnement",
        summary="Klant zegt op na slechte ervaringen met levering en storingen; opzegging per einde contract "
        "verwerkt, geen aanbod gewenst",
        note="Opzegging per contracteinde. Klant ontevreden (levering, storing). Geen retentie gewenst. "
        "Bevestiging per mail.",
        remember=(note("Heeft opgezegd na ontevredenheid over levering en storingen"),),
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik wil mijn abonnement opzeggen. En ik zeg u eerlijk: ik ben er "
                "klaar mee. Eerst duurde de levering weken, daarna storing na storing.",
            ),
            a(
                "Dat spijt me echt, {aanspreek}. Dat is niet de ervaring die we u willen geven. Ik wil de "
                "opzegging zo makkelijk mogelijk voor u maken. Mag ik uw postcode en huisnummer, dan pak ik "
                "uw gegevens erbij?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Dank u. Uw contract loopt tot het einde van volgende maand. Ik zet de opzegging per die "
                "datum in. Wilt u dat ik nog iets uitzoek om u te laten blijven, of liever niet?",
            ),
            c("Liever niet. Het heeft lang genoeg geduurd."),
            a(
                "Dat respecteer ik. U krijgt de bevestiging per mail, en een retourlabel voor het modem. Ik "
                "geef uw ervaringen door; het is belangrijk dat we ervan leren.",
            ),
            c("Dat zal wel. Maar goed, u kunt er niks aan doen. Dag."),
            a("Dank u voor uw eerlijkheid. Alle goeds, {aanspreek}."),
        ],
    ),
    # --- callbacks and promises ---------------------------------------------------------------------------
    script(
        "callback_after_17_u", "callback_after_17", "phone", "abonnement_wijzigen", "u",
        subject="Terugbellen na 17:00",
        summary="Vraag over contractverlenging; klant werkt overdag, terugbelafspraak {dag} na 17:00",
        note="Klant wil advies over verlenging. Werkt overdag, niet bereikbaar. Terugbellen {dag} na 17u.",
        remember=(
            preference("Bel liever na 17:00"),
            promise("Terugbellen over contractverlenging (na 17:00)", "dag", 17),
        ),
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik heb een vraag over mijn contract, dat loopt binnenkort af. "
                "Maar ik sta op mijn werk en ik heb eigenlijk geen tijd. Kunt u mij na vijf uur terugbellen?",
            ),
            a(
                "Natuurlijk. Dan heeft u er ook echt even de tijd voor. Welk nummer kan ik het beste bellen?",
            ),
            c("Mijn mobiele nummer, {telefoon}. Maar echt na vijf uur, overdag neem ik niet op."),
            a(
                "Genoteerd: na vijf uur, op uw mobiel. Ik bel u {dag} tussen vijf en zes. Ik zet ook in uw "
                "gegevens dat u liever na vijf uur gebeld wordt, dan weten mijn collega's dat.",
            ),
            c("Graag. Dank u."),
        ],
    ),
    script(
        "promise_contract_u", "agent_promise", "phone", "abonnement_wijzigen", "u",
        subject="Contractvraag, terugbelafspraak",
        summary="Vraag over overstap naar {pakket} en kosten modem; medewerker zoekt uit en belt {dag} voor "
        "12 uur terug",
        note="Klant wil naar {pakket}, vraag of modem vervangen moet. Uitzoeken bij techniek. Terugbellen "
        "{dag} <12u.",
        remember=(promise("Terugbellen over overstap naar {pakket} en modemkosten", "dag", 12),),
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik wil graag overstappen naar {pakket}, maar ik wil eerst weten "
                "of ik dan een nieuw modem nodig heb en wat dat kost.",
            ),
            a(
                "Goede vraag. Ik pak uw gegevens erbij om te zien welk modem u heeft. Mag ik uw postcode en "
                "huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Ik zie een {modem}. Of die geschikt is voor {pakket}, hangt af van uw aansluiting, en dat "
                "wil ik zeker weten voordat ik u iets beloof. Ik leg het voor aan onze technische collega's.",
            ),
            c("En hoe lang duurt dat? Ik wil het wel graag weten voor het einde van de maand."),
            a("Ik bel u {dag} voor twaalf uur terug met het antwoord. Is dit nummer goed?"),
            c("Ja, dit nummer is goed. Dank u wel."),
            a("Dan spreken we elkaar {dag}. Fijne dag nog."),
        ],
    ),
    script(
        "promise_port_je", "agent_promise", "phone", "abonnement_wijzigen", "je",
        subject="Nummerbehoud, terugbelafspraak",
        summary="Nummer overzetten van andere provider lukt niet; medewerker neemt contact op met "
        "donor-provider en belt {dag} terug",
        note="Nummerporting mislukt (verkeerde klantcode donor). Zelf uitzoeken, {dag} terugbellen.",
        remember=(promise("Terugbellen over mislukte nummerbehoud-aanvraag", "dag", 16),),
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam}. Ik ben overgestapt naar jullie, maar mijn oude nummer is nog steeds "
                "niet overgezet. Ik heb nu twee simkaarten en niemand kan me bereiken op mijn nieuwe.",
            ),
            a("Ah, dat is onhandig. Ik kijk even; wat is je postcode en huisnummer?"),
            c("{postcode}, {huisnummer}."),
            a(
                "Ik zie dat de overzetting is afgewezen door je oude provider, waarschijnlijk omdat de "
                "klantcode niet klopte. Ik ga zelf met ze bellen om het recht te zetten, dan hoef jij dat "
                "niet te doen.",
            ),
            c("Oké, fijn. Want ik heb al een uur met hen aan de telefoon gehangen vorige week."),
            a("Ik bel je {dag} voor vier uur terug om te vertellen hoe het staat. Deal?"),
            c("Deal. Dankje!"),
        ],
    ),
    # --- delivery -------------------------------------------------------------------------------------------
    script(
        "damaged_screen_je", "delivery_damaged", "phone", "levering_beschadigd", "je",
        subject="Toestel beschadigd geleverd",
        summary="{product} met gebarsten scherm geleverd; vervangend toestel verstuurd, bezorging {datum}, "
        "kapotte retour met label",
        note="{product} kapot bij levering (scherm gebarsten). Vervanging besteld, levering {datum}. "
        "Retourlabel gemaild.",
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam}. Ik heb vandaag mijn nieuwe {product} gekregen en het scherm is "
                "gebarsten. Zo uit de doos! [Ik was er zo blij mee.|Echt balen.]",
            ),
            a(
                "O nee, dat is echt balen, je kijkt er naar uit en dan dit. Dat lossen we op. Wat is je "
                "ordernummer?",
            ),
            c("{order}."),
            a(
                "Ik stuur je vandaag een nieuw exemplaar; die wordt {datum} bezorgd. In de mail zit een "
                "retourlabel voor de kapotte. Je hoeft niks voor te schieten.",
            ),
            c("Moet ik eerst foto's sturen ofzo?"),
            a(
                "Hoeft niet. Ik geloof je. Als je er toch een hebt, mag je hem meesturen, dan geven we het "
                "door aan de pakketdienst.",
            ),
            c("Top, dankjewel!"),
        ],
    ),
    script(
        "delivery_status_phone_u", "delivery_status", "phone", "levering", "u",
        subject="Waar blijft mijn bestelling?",
        summary="Vraag naar status bestelling {order} ({product}); staat klaar voor verzending, bezorging "
        "{datum}",
        note="Status order {order}: wordt morgen verzonden, bezorging {datum}. Track & trace per mail.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik heb op {besteldatum} een {product} besteld en ik heb nog "
                "niks gehoord. Ik wilde even vragen hoe het ermee staat.",
            ),
            a("Dat zoek ik voor u op. Heeft u het ordernummer bij de hand?"),
            c("Ja, {order}."),
            a(
                "Dank u. Uw bestelling ligt klaar in het magazijn en gaat morgen mee met de pakketdienst. De "
                "verwachte bezorgdatum is {datum}. U krijgt een mail met een track-and-tracecode.",
            ),
            c("O, dan is het goed. Ik was al bang dat het kwijt was."),
            a("Nee hoor, het komt eraan. Nog een fijne dag."),
        ],
    ),
    # --- product questions, subscriptions, compliments --------------------------------------------------
    script(
        "product_voicemail_u", "product_question", "phone", "product_instellen", "u",
        subject="Voicemail instellen",
        summary="Hulp bij instellen voicemail op {toestel}; stap voor stap doorlopen, werkt",
        note="Voicemail ingesteld met klant (1233 bellen, begroeting ingesproken).",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Mijn kleindochter zegt dat ik een voicemail moet hebben, maar "
                "ik weet niet hoe dat moet op mijn nieuwe telefoon.",
            ),
            a(
                "Dat gaan we samen doen, het is niet moeilijk. Heeft u de telefoon bij de hand? Dan gaan we "
                "hem instellen terwijl ik aan de lijn blijf. O, u belt er misschien mee?",
            ),
            c("Nee, ik bel met de vaste telefoon. Ik heb hem hier naast me liggen."),
            a(
                "Prima. Belt u met uw mobiel het nummer 1233. Dan hoort u een stem die u door de stappen "
                "leidt.",
            ),
            c("Een twee drie drie... ja, ze zegt welkom bij uw voicemail."),
            a(
                "Dan kiest u voor het inspreken van een begroeting. U kunt bijvoorbeeld zeggen: u spreekt "
                "met de voicemail van {voornaam} {achternaam}, spreek een bericht in.",
            ),
            c("O, wat spannend. Wacht. ... Zo. Ik heb het ingesproken."),
            a("Heel goed! Voortaan kunnen mensen een bericht achterlaten. Kan ik nog iets voor u doen?"),
            c("Nee, wat fijn. Dat zal mijn kleindochter leuk vinden."),
        ],
    ),
    script(
        "product_esim_je", "product_question", "phone", "product_instellen", "je",
        subject="eSIM activeren",
        summary="eSIM op nieuwe {toestel} activeren; QR-code opnieuw verstuurd en activatie gelukt",
        note="eSIM activatie: QR-code verlopen, nieuwe gestuurd naar {email}. Geactiveerd tijdens gesprek.",
        turns=[
            GREET,
            c(
                "Hé, met {voornaam}. Ik krijg die eSIM niet geactiveerd op mijn nieuwe {toestel}. Hij zegt "
                "steeds 'code verlopen'.",
            ),
            a(
                "Ah, die QR-codes zijn maar een paar dagen geldig. Ik stuur je een nieuwe. Naar welk "
                "mailadres?",
            ),
            c("{email}."),
            a("Verstuurd. Scan hem bij instellingen, mobiel netwerk, eSIM toevoegen. Ik blijf even hangen."),
            c("Oké... scannen... 'eSIM wordt geactiveerd'... ja! Ik heb bereik."),
            a("Yes, dan ben je klaar. Je oude simkaart werkt nu niet meer, die mag je weggooien."),
            c("Top, bedankt!"),
        ],
    ),
    script(
        "upgrade_speed_je", "subscription_change", "phone", "abonnement_wijzigen", "je",
        subject="Sneller internet",
        summary="Klant wil sneller internet voor thuiswerken en gamen; overgezet naar {pakket} per direct",
        note="Upgrade naar {pakket}. Ingang direct, geen nieuw modem nodig. Bevestiging per mail.",
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam}. Ik wil sneller internet. We werken nu allebei thuis en de kinderen "
                "gamen, dat trekt het niet meer.",
            ),
            a(
                "Snap ik, met zo'n druk huis. Wat is je postcode en huisnummer, dan kijk ik wat er kan op "
                "jouw adres?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "Op jouw adres kan {pakket}. Dat kan per direct en je modem is er al geschikt voor. Je "
                "betaalt {bedrag} per maand. Zal ik het doen?",
            ),
            c("Ja, doe maar."),
            a("Staat erin. Over een uurtje merk je het verschil. Je krijgt een bevestiging per mail."),
            c("Nice, dank je!"),
        ],
    ),
    script(
        "downgrade_tv_u", "subscription_change", "phone", "abonnement_wijzigen", "u",
        subject="Tv-pakket verkleinen",
        summary="Klant wil kleiner tv-pakket om te besparen; overgezet naar basispakket per volgende maand",
        note="Tv-pakket van Plus naar Basis, per 1e volgende maand. Besparing uitgelegd.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Wij kijken eigenlijk bijna geen tv meer, alleen het nieuws. Kan "
                "het pakket kleiner?",
            ),
            a("Natuurlijk. Ik kijk even mee; mag ik uw postcode en huisnummer?"),
            c("{postcode}, {huisnummer}."),
            a(
                "U heeft nu het Plus-pakket met ruim honderd zenders. Het Basispakket heeft alle Nederlandse "
                "zenders, dus ook het nieuws. Dat scheelt u tien euro per maand.",
            ),
            c("Dat is precies wat we nodig hebben. Graag."),
            a(
                "Dan gaat het in per de eerste van volgende maand. U krijgt een bevestiging per post. Fijne "
                "dag!",
            ),
        ],
    ),
    script(
        "compliment_phone_u", "compliment", "phone", "compliment", "u",
        subject="Compliment voor medewerker",
        summary="Klant belt om collega {collega} te complimenteren voor de hulp bij het vorige contact",
        note="Compliment voor {collega}: 'super geholpen'. Doorgegeven aan teamleider.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik bel eigenlijk nergens voor. Ik wil even zeggen dat jullie "
                "collega {collega} me [vorige week|laatst] super geholpen heeft. Zo geduldig! Dat mag ook "
                "weleens gezegd worden.",
            ),
            a(
                "Wat ontzettend leuk om te horen! Dat ga ik zeker aan {collega} en aan de teamleider "
                "doorgeven.",
            ),
            c("Ja, doe dat. Je hoort altijd alleen de klachten, hè. Dit was echt goed."),
            a("Dank u wel dat u de moeite neemt om te bellen. Daar worden we hier blij van. Fijne dag!"),
        ],
    ),
    script(
        "phishing_letter_u", "general_question", "phone", "overig", "u",
        subject="Verdacht bericht, echt van ons?",
        summary="Klant kreeg sms over 'openstaande betaling' met link; phishing bevestigd, geen openstaande "
        "facturen",
        note="Phishing-sms gemeld. Geen openstaand bedrag. Advies: niet klikken, verwijderen, melden bij "
        "fraudehelpdesk.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik krijg een sms'je van 'Voorbeeld Telecom' dat ik {bedrag} "
                "moet betalen, anders wordt mijn nummer afgesloten. Met een linkje. Is dat echt van u?",
            ),
            a(
                "Goed dat u even belt voordat u ergens op klikt! Ik kijk het voor u na. Mag ik uw postcode "
                "en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a(
                "U heeft geen enkele openstaande factuur. Dit bericht is dus niet van ons; het is nep. Klikt "
                "u niet op de link en verwijdert u het bericht maar.",
            ),
            c("Dat dacht ik al. Mijn buurvrouw is er vorige maand ingetrapt, die is een hoop geld kwijt."),
            a("Wat naar voor haar. U heeft het heel goed gedaan. Kan ik u verder nog ergens mee helpen?"),
            c("Nee, dank u wel."),
        ],
    ),
    script(
        "stock_question_phone_u", "stock_question", "phone", "voorraad_niet_leverbaar", "u",
        subject="Toestel niet op voorraad",
        summary="Vraag naar levertijd {toestel}; verwachting {week}, klant laat zich mailen bij voorraad",
        note="{toestel} niet op voorraad; verwacht {week}. Klant op mailattendering gezet.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik wil de {toestel} bestellen, maar op de website staat "
                "'tijdelijk uitverkocht'.",
            ),
            a("Klopt, die is op dit moment erg gewild. De verwachting is dat we hem in {week} weer hebben."),
            c("Kunt u mij een seintje geven als hij er is?"),
            a(
                "Zeker, ik zet u op de lijst. U krijgt een mail zodra hij binnen is, en dan kunt u hem "
                "meteen bestellen.",
            ),
            c("Prima, dank u."),
        ],
    ),
    # --- callback requests (voicemail): only used for open contacts in the queue ---------------------------
    script(
        "voicemail_invoice_u", "callback_request", "phone", "factuur", "u",
        subject="Terugbelverzoek: factuur",
        summary="Terugbelverzoek over factuur",
        turns=[
            c(
                "Ja, {dagdeel_l}, met {aanspreek}. Ik heb een vraag over mijn factuur, er staat een bedrag "
                "op dat ik niet begrijp, {bedrag}. Wilt u mij terugbellen? Mijn nummer is {telefoon}. Dank u "
                "wel.",
            ),
        ],
    ),
    script(
        "voicemail_technician_u", "callback_request", "phone", "storing_internet", "u",
        subject="Terugbelverzoek: monteur",
        summary="Terugbelverzoek over monteursafspraak",
        turns=[
            c(
                "{dagdeel}, u spreekt met {voornaam} {achternaam}. De monteur zou vandaag komen tussen acht "
                "en twaalf, maar er is niemand geweest. Het is nu [half een|één uur|kwart over twaalf]. Ik "
                "heb er een vrije dag voor opgenomen. Wilt u mij zo snel mogelijk bellen? {telefoon}.",
            ),
        ],
    ),
    script(
        "voicemail_order_je", "callback_request", "phone", "levering_vertraagd", "je",
        subject="Terugbelverzoek: bestelling",
        summary="Terugbelverzoek over bestelling",
        turns=[
            c(
                "Hoi, met {voornaam}. Ik wacht nog steeds op mijn {product}, ordernummer {order}. Ik heb al "
                "een keer gebeld en toen zou het er {vorige_datum} zijn. Bel me even terug? Thanks.",
            ),
        ],
    ),
    script(
        "voicemail_callback_je", "callback_request", "phone", "abonnement", "je",
        subject="Terugbelverzoek",
        summary="Terugbelverzoek over abonnement",
        turns=[
            c(
                "Hey, met {voornaam} {achternaam}. Ik heb een vraag over mijn abonnement, ik wil misschien "
                "een extra simkaart voor mijn dochter. Bel maar terug na vijven, dan ben ik thuis. Doei.",
            ),
        ],
    ),
    script(
        "voicemail_outage_u", "callback_request", "phone", "storing_tv", "u",
        subject="Terugbelverzoek: storing tv",
        summary="Terugbelverzoek over tv-storing",
        turns=[
            c(
                "Ja, hallo, met {aanspreek} uit {stad}. Mijn tv doet het alweer niet. Ik heb al van alles "
                "geprobeerd. Wilt u terugbellen? Het nummer is {telefoon}. Ik ben [morgen|de hele dag] "
                "thuis.",
            ),
        ],
    ),
    # --- callers we do not know yet ------------------------------------------------------------------------
    script(
        "prospect_fiber_u", "prospect_question", "phone", "overig", "u",
        subject="Nog geen klant: glasvezel",
        summary="Geen klant; vraag of glasvezel beschikbaar is in {stad}; beschikbaarheid gecheckt, aanbod "
        "gemaild",
        note="Prospect, vraag glasvezel {stad}. Beschikbaar. Aanbod {pakket} gemaild.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {voornaam} {achternaam}. Ik ben nog geen klant, maar ik wil weten of ik bij "
                "jullie glasvezel kan krijgen. Ik woon in {stad}.",
            ),
            a(
                "Leuk dat u aan ons denkt! Wat is uw postcode en huisnummer? Dan kijk ik wat er op uw adres "
                "mogelijk is.",
            ),
            c("{postcode}, {huisnummer}."),
            a("Op uw adres ligt glasvezel. U kunt {pakket} nemen. Zal ik het aanbod naar u mailen?"),
            c("Graag, dan bekijk ik het rustig met mijn [vrouw|man|partner]."),
            a("Doe ik. En als u vragen heeft, belt u gerust weer. Fijne dag!"),
        ],
    ),
    script(
        "other_phone_daughter_u", "prospect_question", "phone", "overig", "u",
        subject="Belt met ander nummer",
        summary="Klant belt met telefoon van dochter; gegevens opgezocht via postcode en huisnummer, vraag "
        "over afschrijving beantwoord",
        note="Belde vanaf onbekend nummer (dochter). Geïdentificeerd met postcode + huisnummer + "
        "geboortedatum. Afschrijving uitgelegd.",
        turns=[
            GREET,
            c(
                "Ja, {dagdeel_l}, met {aanspreek}. Ik bel met de telefoon van mijn dochter, want de mijne is "
                "leeg. Ik heb een vraag over een afschrijving.",
            ),
            a(
                "Geen probleem. Omdat u met een ander nummer belt, zie ik uw gegevens niet vanzelf. Om u te "
                "helpen zoek ik ze even op; mag ik uw postcode en huisnummer?",
            ),
            c("{postcode}, {huisnummer}."),
            a("Dank u. En voor de zekerheid: wat is uw geboortedatum?"),
            c("Twaalf maart, [negentienzevenenveertig|negentienvierenvijftig]."),
            a(
                "Ik heb u gevonden. Er is {bedrag} afgeschreven voor de maand {maand}; dat is uw gewone "
                "maandbedrag.",
            ),
            c("O, dan is het goed. Ik dacht dat het meer was. Dank u wel."),
        ],
    ),
)  # fmt: skip
