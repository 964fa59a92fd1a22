"""E-mail and web-form conversations: formal complaint letters, everyday mail and contact forms."""

from __future__ import annotations

from gezien.demo.scenarios import Script, a, c, life_event, note, preference, promise, script

SIGN = "Met vriendelijke groet,\n\n{agent_volledig}\nKlantenservice Voorbeeld Telecom"
SIGN_JE = "Groetjes,\n{agent}\nKlantenservice Voorbeeld Telecom"

SCRIPTS: tuple[Script, ...] = (
    # --- formal_complaint_letter ----------------------------------------------------------------------------
    script(
        "letter_delivery", "formal_complaint_letter", "email", "klacht", "u",
        subject=(
            "Formele klacht inzake bestelling {order}",
            "Klacht: levering en communicatie bestelling {order}",
        ),
        summary="Formele klacht over vertraagde levering {product} en tegenstrijdige informatie; excuses, "
        "levering {datum} gegarandeerd en {bedrag} compensatie",
        remember=(
            promise("Controleren dat {product} op {datum} is geleverd en klant informeren", "datum", 17),
        ),
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nHierbij dien ik formeel een klacht in over de gang van zaken rond "
                "mijn bestelling {order}, geplaatst op {besteldatum}. Bij de bestelling werd mij een "
                "levering binnen twee werkdagen toegezegd. Inmiddels zijn wij ruim een week verder en is er "
                "nog steeds niets geleverd.\n\nIk heb in deze periode [twee|drie] keer telefonisch contact "
                "met uw klantenservice gehad. Elke keer kreeg ik een andere verklaring: eerst lag het aan de "
                "pakketdienst, daarna aan het magazijn, en de laatste keer werd mij verteld dat het toestel "
                "'onderweg' was, terwijl de track-and-trace al dagen niet is bijgewerkt.\n\nIk verwacht van "
                "een organisatie als de uwe dat afspraken worden nagekomen, of dat er in elk geval eerlijk "
                "wordt gecommuniceerd. Ik verzoek u mij binnen vijf werkdagen schriftelijk te laten weten "
                "wanneer het toestel wordt geleverd en welke compensatie u mij biedt.\n\nMet vriendelijke "
                "groet,\n\n{naam}\n{postcode} {stad}",
            ),
            a(
                "{geachte},\n\nDank u voor uw e-mail, en vooral: excuses. U had een levering binnen twee "
                "werkdagen verwacht en u heeft bij elk contact een ander verhaal gehoord. Dat is niet hoe "
                "wij met u om willen gaan, en ik begrijp uw ergernis volkomen.\n\nIk heb uw bestelling "
                "uitgezocht. Uw {product} is door een achterstand in ons magazijn te laat verzonden; de "
                "informatie die u kreeg, klopte niet. Het toestel is vandaag met voorrang verzonden en wordt "
                "op {datum} bij u bezorgd. Ik volg dat zelf en ik laat u die dag weten of het gelukt "
                "is.\n\nAls compensatie voor het ongemak hebben wij {bedrag} op uw volgende factuur in "
                "mindering gebracht.\n\n" + SIGN,
            ),
            c(
                "Geachte {agent_volledig},\n\nDank voor uw heldere antwoord. Ik wacht de levering af.\n\nMet "
                "vriendelijke groet,\n{naam}",
            ),
        ],
    ),
    script(
        "letter_technician_noshow", "formal_complaint_letter", "email", "klacht", "u",
        subject="Klacht: monteur niet verschenen",
        summary="Formele klacht: monteur twee keer niet verschenen, klant nam vrije dagen op; nieuwe "
        "afspraak met vaste monteur {datum}, vergoeding {bedrag}",
        remember=(
            promise("Nieuwe monteursafspraak {datum} 8-10 uur bewaken; klant vooraf bellen", "datum", 8),
            preference("Wil alles per e-mail bevestigd"),
        ),
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nTot mijn grote ongenoegen moet ik u melden dat de monteur die op "
                "{vorige_datum} tussen 8.00 en 12.00 uur bij mij zou komen om het defecte modem te "
                "vervangen, niet is verschenen. Dit is de tweede keer. Ik heb voor beide afspraken een vrije "
                "dag opgenomen. Niemand heeft mij gebeld of bericht gestuurd dat de afspraak niet "
                "doorging.\n\nIk ben inmiddels ruim een week zonder internet, terwijl ik voor mijn werk en "
                "voor het contact met mijn kleinkinderen daarvan afhankelijk ben. Ik betaal intussen gewoon "
                "het volledige abonnementsbedrag.\n\nIk verzoek u dringend:\n1. mij binnen twee werkdagen "
                "een afspraak te geven die wél wordt nagekomen;\n2. mij te compenseren voor de dagen zonder "
                "internet en de twee verloren vrije dagen;\n3. mij dit schriftelijk te bevestigen.\n\nIn "
                "afwachting van uw reactie,\n\nHoogachtend,\n\n{naam}\nKlantnummer {klantnummer}",
            ),
            a(
                "{geachte},\n\nUw e-mail heb ik met schaamte gelezen. Twee keer een vrije dag opnemen en "
                "twee keer tevergeefs wachten, zonder dat iemand u belt: dat had nooit mogen gebeuren. Mijn "
                "oprechte excuses.\n\nIk heb het volgende voor u geregeld:\n1. Een nieuwe afspraak op "
                "{datum} tussen 8.00 en 10.00 uur, met een vaste monteur uit uw regio. Ik bel u de dag "
                "ervoor zelf om dit te bevestigen.\n2. Een vergoeding van {bedrag} voor de dagen zonder "
                "internet en uw verloren vrije dagen; dit bedrag storten wij binnen vijf werkdagen op uw "
                "rekening.\n3. Tot de monteur is geweest, zet ik kosteloos extra mobiele data op uw "
                "abonnement.\n\nDeze e-mail geldt als schriftelijke bevestiging.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "letter_billing", "formal_complaint_letter", "email", "klacht", "u",
        subject="Bezwaar tegen onjuiste facturering",
        summary="Formele klacht over drie maanden onjuiste facturering (tv-pakket na opzegging); {bedrag2} "
        "gecrediteerd en schriftelijk bevestigd",
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nBij dezen maak ik bezwaar tegen de facturen van de afgelopen drie "
                "maanden. Drie maanden geleden heb ik telefonisch mijn tv-pakket opgezegd; dit werd mij door "
                "uw medewerker bevestigd. Desondanks wordt het pakket nog steeds in rekening gebracht, in "
                "totaal {bedrag2}.\n\nIk heb hierover al eerder contact opgenomen, maar het probleem is niet "
                "verholpen. Ik verzoek u het te veel betaalde bedrag per omgaande terug te storten en mij "
                "schriftelijk te bevestigen dat het tv-pakket is beëindigd per de datum van "
                "opzegging.\n\nMocht ik binnen tien werkdagen geen reactie ontvangen, dan zie ik mij "
                "genoodzaakt de zaak voor te leggen aan de Geschillencommissie.\n\nMet vriendelijke "
                "groet,\n\n{naam}",
            ),
            a(
                "{geachte},\n\nDank u voor uw brief. U heeft volkomen gelijk: uw telefonische opzegging is "
                "destijds niet goed verwerkt, en ook na uw eerdere contact is dat niet rechtgezet. Excuses "
                "daarvoor.\n\nIk heb het tv-pakket beëindigd per de datum van uw opzegging en het te veel "
                "betaalde bedrag van {bedrag2} gecrediteerd. U ontvangt dit binnen vijf werkdagen op uw "
                "rekening. Bijgaand vindt u de gecorrigeerde facturen.\n\n" + SIGN,
            ),
            c(
                "Geachte heer/mevrouw,\n\nIk heb het bedrag ontvangen. Dank voor de afhandeling.\n\nMet "
                "vriendelijke groet,\n{naam}",
            ),
        ],
    ),
    script(
        "letter_treatment", "formal_complaint_letter", "email", "klacht_bejegening", "u",
        subject="Klacht over de bejegening door uw medewerker",
        summary="Klacht over bejegening aan de telefoon (onderbroken, niet geluisterd); excuses, gesprek "
        "nagegaan met teamleider, teruggebeld",
        remember=(
            note("Klacht over bejegening ingediend; voelde zich niet gehoord. Extra aandacht voor uitpraten"),
        ),
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nOp {vorige_contact} heb ik uw klantenservice gebeld over een "
                "storing. Ik wil u laten weten hoe ik dat gesprek heb ervaren. De medewerker onderbrak mij "
                "voortdurend, vroeg direct naar mijn postcode en huisnummer terwijl ik nog aan het uitleggen "
                "was, en las vervolgens stappen voor die ik al lang had uitgevoerd. Op mijn opmerking dat ik "
                "dit al had gedaan, werd geantwoord dat 'het protocol dat nu eenmaal voorschrijft'.\n\nIk "
                "ben {Achternaam}, [zeventig|achtenzestig] jaar oud en al meer dan vijftien jaar klant bij "
                "u. Ik verwacht geen wonderen, maar wel dat er naar mij geluisterd wordt.\n\nMet "
                "vriendelijke groet,\n\n{naam}",
            ),
            a(
                "{geachte},\n\nDank u dat u de moeite heeft genomen om ons dit te schrijven. Uit uw brief "
                "lees ik dat u zich niet gehoord voelde, en dat terwijl u al zo lang klant bij ons bent. Dat "
                "spijt mij oprecht.\n\nIk heb het gesprek met de teamleider besproken. Uw ervaring gebruiken "
                "we in de coaching van ons team: eerst luisteren, dan pas de stappen. Over de storing zelf: "
                "ik zie dat die inmiddels is verholpen. Ik bel u {dag} om te horen of alles nu naar wens "
                "werkt.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "letter_contract_change", "formal_complaint_letter", "email", "klacht", "u",
        style="stiff",
        subject="Ongevraagde contractwijziging",
        summary="Klacht over ongevraagde contractverlenging na telefonische verkoop; standaardantwoord met "
        "verwijzing naar voorwaarden, klant niet tevreden",
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nVorige maand werd ik gebeld door een medewerker van Voorbeeld "
                "Telecom die mij een 'gratis upgrade' aanbood. Nu blijkt dat mijn contract daardoor met twee "
                "jaar is verlengd. Dat is mij op geen enkel moment verteld. Ik heb nooit ingestemd met een "
                "verlenging.\n\nIk verzoek u de verlenging ongedaan te maken en mij het oorspronkelijke "
                "contract te laten behouden.\n\nMet vriendelijke groet,\n\n{naam}",
            ),
            a(
                "{geachte},\n\nWij hebben uw schrijven in goede orde ontvangen. Conform artikel 7.3 van "
                "onze Algemene Voorwaarden wordt bij een wijziging van het abonnement een nieuwe "
                "contractperiode aangevangen. De bevestiging hiervan is op de datum van het gesprek per "
                "e-mail aan u verzonden. Binnen de wettelijke bedenktijd van veertien dagen is door u geen "
                "bezwaar gemaakt.\n\nWij betreuren het dat u hierover ontevreden bent. Wij zien geen "
                "aanleiding tot aanpassing.\n\n"
                + SIGN,
            ),
            c(
                "Geachte heer/mevrouw,\n\nIk vind dit een onbevredigend antwoord. Ik heb geen e-mail "
                "ontvangen en ik voel mij misleid. Ik overweeg mijn abonnementen elders onder te "
                "brengen.\n\n{naam}",
            ),
            a(
                "{geachte},\n\nNaar aanleiding van uw reactie heb ik de opname van het verkoopgesprek laten "
                "beluisteren. Daarin is de verlenging inderdaad niet duidelijk benoemd. Ik heb de verlenging "
                "ongedaan gemaakt; uw oorspronkelijke contract blijft gelden.\n\n" + SIGN,
            ),
        ],
    ),
    # --- everyday e-mail ----------------------------------------------------------------------------------
    script(
        "mail_invoice_higher_u", "invoice_higher", "email", "factuur_hoger", "u",
        subject="Vraag over factuur {maand}",
        summary="Vraag over hogere factuur {maand}: eenmalige kosten voor verzending wifi-punt; uitgelegd",
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nMijn factuur van {maand} is {bedrag}, terwijl ik normaal minder "
                "betaal. Kunt u mij uitleggen waar het verschil vandaan komt?\n\nMet vriendelijke "
                "groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nDank voor uw vraag. Het verschil komt door de eenmalige verzendkosten van het "
                "wifi-punt dat u in {maand} heeft besteld. Vanaf de volgende maand betaalt u weer het gewone "
                "bedrag.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "mail_moving_u", "moving_house", "email", "verhuizing", "u",
        life_event=True,
        subject="Verhuizing per {verhuisdatum}",
        summary="Verhuizing naar {nieuwe_stad} per {verhuisdatum} per mail doorgegeven; "
        "overzetting bevestigd",
        remember=(life_event("Verhuist op {verhuisdatum} naar {nieuwe_stad}"),),
        turns=[
            c(
                "Goedendag,\n\nWij verhuizen op {verhuisdatum} naar {nieuwe_stad}. Ik wil graag ons internet "
                "en onze tv meenemen naar het nieuwe adres. Wat moet ik daarvoor doen?\n\nMet vriendelijke "
                "groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nWat leuk dat u gaat verhuizen, en fijn dat u het tijdig doorgeeft. Ik heb de "
                "overzetting ingepland op {verhuisdatum}. Op uw huidige adres stopt de dienst dezelfde dag. "
                "U kunt het modem zelf meenemen en op het nieuwe adres aansluiten.\n\n" + SIGN,
            ),
            c("Dank u wel voor de snelle reactie.\n\n{naam}"),
        ],
    ),
    script(
        "mail_hardship_u", "financial_hardship", "email", "factuur_betalingsregeling", "u",
        life_event=True,
        subject="Verzoek betalingsregeling",
        summary="Verzoek betalingsregeling na ziekte en inkomensverlies; regeling vier termijnen toegekend",
        remember=(life_event("Inkomen gedaald door langdurige ziekte; betalingsregeling vier termijnen"),),
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nDoor langdurige ziekte is mijn inkomen flink gedaald. Ik ben "
                "daardoor achterstand opgelopen met de betaling van mijn facturen ({bedrag2}). Ik wil dit "
                "graag netjes oplossen. Is een betalingsregeling mogelijk?\n\nMet vriendelijke "
                "groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nDank u voor uw open bericht; ik kan me voorstellen dat het u moeite heeft "
                "gekost om dit te schrijven. Ik wens u veel beterschap.\n\nIk heb een regeling voor u "
                "getroffen: het bedrag van {bedrag2} betaalt u in vier maandelijkse termijnen, zonder extra "
                "kosten. De incasso van de achterstand is stopgezet.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "mail_divorce_je", "divorce", "email", "abonnement_overzetten", "je",
        life_event=True,
        subject="Abonnement op mijn naam na scheiding",
        summary="Klant gescheiden; abonnement van ex-partner op eigen naam gezet na ontvangen formulier",
        remember=(life_event("Gescheiden; abonnement op eigen naam gezet"),),
        turns=[
            c(
                "Hoi,\n\nIk ben net gescheiden en het internet staat nog op naam van mijn ex. Ik woon er nu "
                "alleen en wil het op mijn naam. Het formulier met onze handtekeningen zit in de "
                "bijlage.\n\nGroetjes,\n{voornaam}",
            ),
            a(
                "Hoi {voornaam},\n\nDank je voor het formulier, het is compleet. Ik heb het abonnement "
                "vandaag op jouw naam gezet; er verandert verder niets aan je prijs of je nummer. Veel "
                "sterkte met alles.\n\n"
                + SIGN_JE,
            ),
        ],
    ),
    script(
        "mail_churn_u", "churn_cancel", "email", "abonnement_opzeggen", "u",
        subject="Opzegging abonnement",
        summary="Schriftelijke opzegging per einde contract; bevestigd, retourlabel modem meegestuurd",
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nHierbij zeg ik mijn abonnement op per het einde van de "
                "contractperiode. Ik ben niet tevreden over de service van de afgelopen maanden en stap over "
                "naar een andere provider.\n\nMet vriendelijke groet,\n{naam}\nKlantnummer {klantnummer}",
            ),
            a(
                "{geachte},\n\nWij bevestigen de opzegging van uw abonnement per het einde van uw "
                "contractperiode. Het spijt ons dat u niet tevreden bent. Mocht u ons willen vertellen wat "
                "er beter had gekund, dan horen we dat graag.\n\nBijgaand vindt u een retourlabel voor het "
                "modem.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "mail_churn_offer_je", "churn_cancel", "email", "abonnement_opzeggen", "je",
        subject="Ik wil opzeggen",
        summary="Opzegverzoek na herhaalde storingen; retentie-aanbod {pakket} met korting en lijnmeting "
        "gedaan",
        remember=(note("Opzegverzoek na storingen; aanbod {pakket} met korting gemaild, wacht op reactie"),),
        turns=[
            c(
                "Hoi,\n\nZoals ik al aan de telefoon zei: ik wil opzeggen. Het internet valt nog steeds weg "
                "en ik heb een aanbod van een andere provider liggen die goedkoper is. Kunnen jullie mijn "
                "opzegging verwerken?\n\n{voornaam}",
            ),
            a(
                "Hoi {voornaam},\n\nDank je voor je mail. Ik snap heel goed dat je er klaar mee bent na al "
                "die storingen. Voordat ik je opzegging verwerk, wil ik je nog één ding voorleggen, zoals "
                "beloofd: {pakket} met zes maanden 50% korting, en een monteur die je lijn helemaal "
                "doormeet en vervangt waar nodig. Als je toch weg wilt, verwerk ik de opzegging direct, "
                "zonder gedoe. Laat je het me weten?\n\n"
                + SIGN_JE,
            ),
            c("Hoi {agent},\n\nIk denk erover na, ik laat het je voor vrijdag weten.\n\n{voornaam}"),
        ],
    ),
    script(
        "mail_compliment_u", "compliment", "email", "compliment", "u",
        subject="Compliment",
        summary="Compliment per mail voor {collega} over hulp bij storing",
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nIk wil u laten weten dat uw medewerker {collega} mij vorige week "
                "uitstekend heeft geholpen. {collega} nam de tijd, legde alles rustig uit en belde de "
                "volgende dag zelfs terug om te vragen of alles werkte. Dat maak je niet vaak mee. Wilt u "
                "dit compliment doorgeven?\n\nMet vriendelijke groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nWat een mooi bericht, hartelijk dank! Ik heb uw compliment doorgegeven aan "
                "{collega} en aan de teamleider. Dit soort berichten maakt ons werk extra leuk.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "mail_illness_u", "illness_hospital", "email", "abonnement_wijzigen", "u",
        life_event=True,
        subject="Abonnement tijdelijk aanpassen, opname",
        summary="Klant wordt langdurig opgenomen; abonnement tijdelijk op pauze, geen kosten",
        remember=(life_event("Langdurig opgenomen in revalidatiecentrum; abonnement op pauze"),),
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nIk word binnenkort voor enkele maanden opgenomen in een "
                "revalidatiecentrum. In die tijd gebruik ik thuis geen internet en tv. Is het mogelijk het "
                "abonnement tijdelijk stop te zetten?\n\nMet vriendelijke groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nDank voor uw bericht, en sterkte met uw revalidatie. Ik heb uw abonnement "
                "vanaf {datum} op pauze gezet. U betaalt in die periode niets. Als u weer thuis bent, kunt u "
                "ons bellen of mailen, dan zetten we alles weer aan.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "mail_outage_u", "technical_fault_written", "email", "storing_internet", "u",
        subject="Internet werkt niet",
        summary="Storing internet per mail gemeld; storing in de wijk, opgelost verklaard, compensatie "
        "automatisch",
        turns=[
            c(
                "Goedemorgen,\n\nSinds gisteravond werkt ons internet niet. Het lampje op het modem knippert "
                "oranje. Wat kan ik doen?\n\nMet vriendelijke groet,\n{naam}\n{postcode}",
            ),
            a(
                "{geachte},\n\nDank voor uw melding. Er was gisteravond een storing in uw wijk; die is "
                "vanochtend om 07.40 uur opgelost. Werkt het bij u nog niet, haal dan de stekker van het "
                "modem 30 seconden uit het stopcontact. De dagen zonder internet worden automatisch "
                "verrekend.\n\n" + SIGN,
            ),
            c("Het werkt weer. Dank u.\n\n{naam}"),
        ],
    ),
    script(
        "mail_damaged_u", "delivery_damaged", "email", "levering_beschadigd", "u",
        subject="Beschadigd pakket ontvangen, order {order}",
        summary="Pakket {order} beschadigd ontvangen; foto's opgevraagd, vervangend toestel verstuurd",
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nVandaag ontving ik mijn bestelling {order}, maar de doos was "
                "ingedeukt en de {product} heeft een kras op het scherm. Hoe gaan we dit oplossen?\n\nMet "
                "vriendelijke groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nWat vervelend dat uw nieuwe {product} beschadigd is aangekomen. Wilt u ons "
                "twee foto's sturen, één van de doos en één van het scherm? Dan sturen we direct een nieuw "
                "exemplaar.\n\n"
                + SIGN,
            ),
            c("Bijgaand de foto's.\n\n{naam}"),
            a(
                "{geachte},\n\nDank u wel. Er is een nieuwe {product} verzonden; die wordt {datum} bezorgd. "
                "De bezorger neemt het beschadigde toestel direct mee.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "mail_product_u", "product_question", "email", "product", "u",
        subject="Vraag over toestel voor mijn moeder",
        summary="Advies gevraagd voor eenvoudige telefoon voor moeder; seniorentoestel en hulp bij instellen "
        "geadviseerd",
        turns=[
            c(
                "Goedendag,\n\nMijn moeder is [83|87|79] en wil een eenvoudige mobiele telefoon met grote "
                "knoppen. Welke kunt u aanraden, en kan zij die bij u laten instellen?\n\nMet vriendelijke "
                "groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nDank u voor uw vraag. Voor uw moeder raad ik een toestel met grote toetsen en "
                "een noodknop aan; die hebben wij vanaf {bedrag}. In onze winkels stellen collega's het "
                "toestel kosteloos voor haar in, met de belangrijkste nummers er al in.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "mail_general_u", "general_question", "email", "overig", "u",
        subject="Machtiging voor mijn zoon",
        summary="Klant wil zoon machtigen om namens hem contact op te nemen; machtigingsformulier gestuurd",
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nIk wil graag dat mijn zoon namens mij contact met u kan opnemen "
                "over mijn abonnement. Hoe regel ik dat?\n\nMet vriendelijke groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nDat kan met een machtiging. In de bijlage vindt u het formulier; als u en uw "
                "zoon het ondertekenen en terugsturen, zetten wij hem als gemachtigde in uw "
                "gegevens.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "mail_prospect_u", "prospect_question", "email", "overig", "u",
        subject="Informatie over overstappen",
        summary="Geen klant; vraag over overstappen en opzegging bij huidige provider, uitleg gegeven",
        turns=[
            c(
                "Goedendag,\n\nIk overweeg over te stappen naar Voorbeeld Telecom. Moet ik zelf mijn huidige "
                "abonnement opzeggen, of regelt u dat?\n\nMet vriendelijke groet,\n{naam}",
            ),
            a(
                "Geachte heer/mevrouw {Achternaam},\n\nLeuk dat u overweegt over te stappen. Wij regelen de "
                "opzegging bij uw huidige provider voor u, zodat u niet zonder internet komt te zitten.\n\n"
                + SIGN,
            ),
        ],
    ),
    # --- webform_question -----------------------------------------------------------------------------------
    script(
        "form_contract_end", "webform_question", "webform", "abonnement", "u",
        subject="Contactformulier: einddatum contract",
        summary="Vraag via formulier naar einddatum contract; datum doorgegeven en verlengopties gemaild",
        turns=[
            c(
                "Onderwerp: Abonnement\nNaam: {naam}\nKlantnummer: {klantnummer}\nE-mail: {email}\n\nVraag: "
                "Wanneer loopt mijn contract af? Ik wil weten of ik kosteloos kan overstappen naar een ander "
                "pakket.",
            ),
            a(
                "{geachte},\n\nUw contract loopt af op {datum}. Daarna is het maandelijks opzegbaar en kunt "
                "u kosteloos van pakket wisselen. In de bijlage vindt u de pakketten die op uw adres "
                "mogelijk zijn. Zal ik u bellen om ze samen door te nemen?\n\n"
                + SIGN,
            ),
        ],
    ),
    script(
        "form_number_porting", "webform_question", "webform", "abonnement_wijzigen", "je",
        subject="Contactformulier: nummer meenemen",
        summary="Vraag via formulier over nummerbehoud bij overstap; uitgelegd en overstapcode opgevraagd",
        turns=[
            c(
                "Onderwerp: Mobiel\nNaam: {naam}\nE-mail: {email}\n\nVraag: hoi, ik wil mijn nummer van mijn "
                "werk meenemen naar mijn privé-abonnement. kan dat?",
            ),
            a(
                "Hoi {voornaam},\n\nDat kan! Je werkgever moet wel toestemming geven, omdat het nummer nu "
                "op hun naam staat. Vraag hen om een overstapformulier te tekenen; dan zetten wij het "
                "nummer over.\n\n"
                + SIGN_JE,
            ),
            c("Oke top, ik vraag het na.\n\n{voornaam}"),
        ],
    ),
    script(
        "form_extra_tvbox", "webform_question", "webform", "abonnement_wijzigen", "u",
        subject="Contactformulier: extra tv-ontvanger",
        summary="Extra tv-box voor slaapkamer besteld via formulier; levering {datum}",
        turns=[
            c(
                "Onderwerp: Televisie\nNaam: {naam}\nKlantnummer: {klantnummer}\nE-mail: {email}\n\nVraag: "
                "Ik wil graag een tweede tv-ontvanger voor de slaapkamer. Wat kost dat?",
            ),
            a(
                "{geachte},\n\nEen extra TV-box 4K kost 5 euro per maand. Ik heb hem voor u besteld; hij "
                "wordt {datum} bezorgd. Aansluiten gaat zoals bij de eerste box.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "form_invoice_copy", "webform_question", "webform", "factuur", "je",
        subject="Contactformulier: kopie factuur",
        summary="Kopie facturen gevraagd voor thuiswerkvergoeding werkgever; verwezen naar app en pdf's "
        "gestuurd",
        turns=[
            c(
                "Onderwerp: Facturen\nNaam: {naam}\nE-mail: {email}\n\nVraag: Hoi, mijn werkgever wil "
                "kopieën van mijn internetfacturen van de afgelopen drie maanden voor de "
                "thuiswerkvergoeding. Kunnen jullie die sturen?",
            ),
            a(
                "Hoi {voornaam},\n\nIn de bijlage vind je de facturen van de afgelopen drie maanden als pdf. "
                "Je kunt ze voortaan ook zelf downloaden in de app onder 'Facturen'.\n\n" + SIGN_JE,
            ),
        ],
    ),
    script(
        "form_return_device", "webform_question", "webform", "levering_retour", "u",
        subject="Contactformulier: toestel retour",
        summary="Toestel {product} binnen bedenktijd retour; retourlabel verstuurd, terugbetaling na "
        "ontvangst",
        turns=[
            c(
                "Onderwerp: Retour\nNaam: {naam}\nOrdernummer: {order}\nE-mail: {email}\n\nVraag: Ik wil de "
                "{product} terugsturen, hij bevalt mij niet. Ik heb hem een week.",
            ),
            a(
                "{geachte},\n\nU zit binnen de bedenktijd van veertien dagen, dus dat kan. In de bijlage "
                "vindt u het retourlabel. Zodra we het toestel hebben ontvangen, storten we het bedrag "
                "binnen vijf werkdagen terug.\n\n" + SIGN,
            ),
            c("Het pakket is verstuurd. Dank u.\n\n{naam}"),
        ],
    ),
    script(
        "form_technician_mess", "webform_question", "webform", "klacht", "u",
        subject="Contactformulier: klacht monteur",
        summary="Klacht via formulier: monteur liet rommel en gat in muur achter; excuses, hersteller "
        "ingepland",
        turns=[
            c(
                "Onderwerp: Klacht\nNaam: {naam}\nKlantnummer: {klantnummer}\nE-mail: {email}\n\nVraag: De "
                "monteur heeft gisteren het nieuwe kastje opgehangen, maar er zit een groot gat in de muur "
                "naast de meterkast en hij heeft alle rommel laten liggen. Dit vind ik onacceptabel.",
            ),
            a(
                "{geachte},\n\nDat had niet zo mogen gaan, excuses. Ik heb een collega ingepland die op "
                "{datum} het gat komt dichten en afwerken, kosteloos. De monteur is op de hoogte "
                "gesteld.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "form_moving", "webform_question", "webform", "verhuizing", "je",
        subject="Contactformulier: verhuizen",
        summary="Verhuizing via formulier doorgegeven; klant gevraagd nieuw adres te bevestigen",
        turns=[
            c(
                "Onderwerp: Verhuizen\nNaam: {naam}\nE-mail: {email}\n\nVraag: Ik ga op {verhuisdatum} "
                "verhuizen, wat moet ik doen voor mijn internet?",
            ),
            a(
                "Hoi {voornaam},\n\nLeuk, een nieuw huis! Stuur je ons even je nieuwe adres (postcode en "
                "huisnummer)? Dan check ik wat daar kan en plan ik de overzetting op {verhuisdatum}.\n\n"
                + SIGN_JE,
            ),
            c("Het nieuwe adres is in {nieuwe_stad}, postcode volgt zodra ik hem heb!\n\n{voornaam}"),
            a("Top, dan wacht ik op de postcode. Groetjes, {agent}"),
        ],
    ),
    script(
        "form_wifi_point", "webform_question", "webform", "product", "je",
        subject="Contactformulier: wifi-punt",
        summary="Vraag over wifi-punt voor tuinhuis; bereik uitgelegd, wifi-punt besteld",
        turns=[
            c(
                "Onderwerp: Wifi\nNaam: {naam}\nE-mail: {email}\n\nVraag: Werkt zo'n wifi-punt ook in mijn "
                "tuinhuis? Dat staat zo'n 15 meter van het huis.",
            ),
            a(
                "Hoi {voornaam},\n\nMeestal wel, als er niet te veel muren tussen zitten. Je kunt hem 30 "
                "dagen proberen; werkt het niet goed, dan stuur je hem gratis terug.\n\n" + SIGN_JE,
            ),
            c("Oké, ik probeer het! Wil je er een sturen?\n\n{voornaam}"),
            a("Besteld, hij komt {datum}. Veel plezier in je tuinhuis! Groetjes, {agent}"),
        ],
    ),
    script(
        "form_dissatisfied_wait", "webform_question", "webform", "klacht", "u",
        subject="Contactformulier: lange wachttijd",
        summary="Klacht over lange wachttijd aan de telefoon; excuses, vraag over factuur alsnog beantwoord",
        turns=[
            c(
                "Onderwerp: Klacht\nNaam: {naam}\nKlantnummer: {klantnummer}\nE-mail: {email}\n\nVraag: Ik "
                "heb vanochtend {wachttijd} in de wacht gestaan en toen werd de verbinding verbroken. Mijn "
                "vraag was simpel: waarom is er {bedrag} afgeschreven in plaats van het gewone bedrag?",
            ),
            a(
                "{geachte},\n\nExcuses voor de lange wachttijd, en dat de verbinding daarna ook nog werd "
                "verbroken; dat is frustrerend. Het bedrag van {bedrag} bevat de eenmalige kosten voor de "
                "nieuwe tv-box. Vanaf volgende maand betaalt u weer het gewone bedrag.\n\n" + SIGN,
            ),
        ],
    ),
)  # fmt: skip
