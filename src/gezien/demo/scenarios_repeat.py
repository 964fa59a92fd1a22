"""Repeat chains: the same late delivery, the same broken modem, contacted about again and again.

Chain scripts carry a `step`: the generator plays step 1, 2, ... for one customer over about two weeks
and fills `{vorige_datum}` with the date promised in the previous contact, `{vorige_contact}` with the
date of that contact and `{collega}` with the agent who handled it, so every step refers back to the one
before. Frustration grows with every step ("Dit is nu de vijfde keer dat ik bel!").
"""

from __future__ import annotations

from gezien.demo.scenarios import Script, a, c, note, promise, script
from gezien.demo.scenarios_mail import SIGN, SIGN_JE
from gezien.demo.scenarios_phone import GREET, GREET_BLUNT

LATE = "late_delivery_repeat"
FAULT = "fault_repeat"

SCRIPTS: tuple[Script, ...] = (
    # --- late_delivery_repeat, step 1 -----------------------------------------------------------------------
    script(
        "late1_phone_u", LATE, "phone", "levering_vertraagd", "u", step=1,
        subject="Bestelling niet geleverd",
        summary="1e contact: {product} (order {order}) niet geleverd op {vorige_datum}; vertraging in "
        "magazijn, nieuwe leverdatum {datum} toegezegd",
        note="Order {order} ({product}) niet geleverd. Vertraging magazijn. Nieuwe datum {datum} "
        "doorgegeven.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik heb op {besteldatum} een {product} besteld. Die zou "
                "{vorige_datum} komen, maar ik heb niks ontvangen. [Ik ben de hele dag thuis gebleven.|Ook "
                "geen bericht.]",
            ),
            a("Vervelend dat u voor niets heeft gewacht. Ik zoek het voor u uit; heeft u het ordernummer?"),
            c("Ja, {order}."),
            a(
                "Dank u. Ik zie dat uw bestelling door drukte in ons magazijn nog niet is verzonden. De "
                "nieuwe verwachte leverdatum is {datum}. Excuses dat u daar niet eerder over bent "
                "geïnformeerd.",
            ),
            c("Nou, goed dan. Als het dan maar komt."),
            a("U krijgt een mail met de track-and-trace zodra hij verzonden is. Fijne dag nog."),
        ],
    ),
    script(
        "late1_phone_je", LATE, "phone", "levering_vertraagd", "je", step=1,
        subject="Bestelling niet geleverd",
        summary="1e contact: {product} (order {order}) niet bezorgd op {vorige_datum}; vertraging bij "
        "magazijn, nieuwe datum {datum} genoemd",
        note="Order {order} niet bezorgd. Achterstand magazijn. Nieuwe datum {datum}.",
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam}. Ik heb een {product} besteld, zou {vorige_datum} komen, maar er is "
                "niks gekomen. Ordernummer is {order}.",
            ),
            a(
                "Hoi {voornaam}, balen! Ik kijk even... Je bestelling staat nog in het magazijn, daar is het "
                "erg druk. De nieuwe verwachte datum is {datum}.",
            ),
            c("Hm oké. Jammer, ik had er wel op gerekend. Maar prima."),
            a("Snap ik. Je krijgt een mail zodra hij onderweg is. Fijne dag!"),
        ],
    ),
    script(
        "late1_chat_je", LATE, "chat", "levering_vertraagd", "je", step=1,
        subject="Waar blijft mijn bestelling?",
        summary="1e contact (chat): {product} (order {order}) niet geleverd; nieuwe leverdatum {datum}",
        turns=[
            c("hoi, mijn {product} zou {vorige_datum} komen maar er is niks gekomen? order {order}"),
            a("Hoi {voornaam}! Vervelend. Ik check het even voor je."),
            a(
                "Je bestelling is nog niet verzonden door drukte in het magazijn. Nieuwe verwachte "
                "leverdatum: {datum}.",
            ),
            c("oke, balen. dan wacht ik nog even"),
        ],
    ),
    script(
        "late1_email_u", LATE, "email", "levering_vertraagd", "u", step=1,
        subject="Bestelling {order} niet ontvangen",
        summary="1e contact (mail): {product} (order {order}) niet ontvangen; nieuwe leverdatum {datum} "
        "gemaild",
        turns=[
            c(
                "Goedendag,\n\nOp {besteldatum} heb ik een {product} besteld (order {order}). Volgens de "
                "bevestiging zou het {vorige_datum} bezorgd worden, maar ik heb niets ontvangen. Kunt u "
                "nagaan waar het blijft?\n\nMet vriendelijke groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nExcuses dat uw bestelling niet op tijd is. Door drukte in ons magazijn is hij "
                "nog niet verzonden. De nieuwe verwachte leverdatum is {datum}.\n\n" + SIGN,
            ),
        ],
    ),
    # --- step 2 -------------------------------------------------------------------------------------------
    script(
        "late2_phone_u", LATE, "phone", "levering_vertraagd", "u", step=2,
        subject="Bestelling nog steeds niet geleverd",
        summary="2e contact: {product} (order {order}) ook op {vorige_datum} niet geleverd; opnieuw "
        "vertraagd, nieuwe datum {datum}, klant geïrriteerd",
        note="2e keer over order {order}. Wederom niet geleverd. Nieuwe datum {datum}. Klant geïrriteerd.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik heb {vorige_contact} al gebeld over mijn bestelling, "
                "{order}. Toen werd me gezegd dat hij {vorige_datum} zou komen. Nou, weer niks. [Wat is er "
                "nou aan de hand?|Ik begin me echt af te vragen of hij ooit komt.]",
            ),
            a(
                "Dat is vervelend, en ik snap dat u het zat begint te worden, zeker nadat u al een datum had "
                "gekregen. Ik ga kijken waar hij is.",
            ),
            a(
                "Uw {product} is nog steeds niet verzonden. Het magazijn loopt achter. De verwachting is nu "
                "{datum}.",
                hold=20.0,
            ),
            c("Weer een nieuwe datum. En hoe weet ik dat het deze keer wel klopt?"),
            a(
                "Eerlijk gezegd kan ik dat niet garanderen, maar ik zet een notitie dat u al twee keer "
                "contact heeft gehad, zodat het met voorrang wordt opgepakt.",
            ),
            c("Nou ja. We zullen zien."),
        ],
    ),
    script(
        "late2_phone_je", LATE, "phone", "levering_vertraagd", "je", step=2,
        subject="Bestelling nog steeds niet geleverd",
        summary="2e contact: {product} (order {order}) ook {vorige_datum} niet gekomen; nieuwe datum {datum}",
        note="2e contact order {order}. Niet geleverd op {vorige_datum}. Nieuwe datum {datum}.",
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam} weer. Ik heb {vorige_contact} al gebeld over mijn {product}. Die zou "
                "{vorige_datum} komen, maar nee hoor. Weer niks.",
            ),
            a("Ah nee, dat is echt balen. Ik ga meteen voor je kijken. Ordernummer {order}, toch?"),
            c("Ja."),
            a(
                "Hij ligt nog in het magazijn. Ze hebben een achterstand. Nieuwe verwachte datum is {datum}. "
                "Ik snap dat dat niet is wat je wilt horen.",
            ),
            c("Nee, inderdaad niet. Ik heb hem gewoon nodig. Maar oké."),
        ],
    ),
    script(
        "late2_chat_je", LATE, "chat", "levering_vertraagd", "je", step=2,
        subject="Nog steeds geen bestelling",
        summary="2e contact (chat): {product} (order {order}) niet geleverd op {vorige_datum}; nieuwe datum "
        "{datum}",
        turns=[
            c("hoi, ik had {vorige_contact} al gebeld over mijn bestelling {order}"),
            c("hij zou {vorige_datum} komen maar weer niks 🙄"),
            a("Hoi {voornaam}, wat vervelend dat hij er weer niet is. Ik ga het nakijken!"),
            a(
                "Je {product} is helaas nog niet verzonden, het magazijn heeft een achterstand. Nieuwe "
                "verwachting: {datum}.",
            ),
            c("serieus? weer een nieuwe datum..."),
            a("Ik snap je frustratie. Ik heb een notitie gezet dat je al vaker contact hebt gehad."),
            c("oke"),
        ],
    ),
    script(
        "late2_email_u", LATE, "email", "levering_vertraagd", "u", step=2,
        subject="RE: Bestelling {order} niet ontvangen",
        summary="2e contact (mail): {product} (order {order}) op {vorige_datum} niet geleverd; nieuwe datum "
        "{datum}",
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nU schreef mij dat mijn bestelling {order} op {vorige_datum} zou "
                "worden bezorgd. Dat is niet gebeurd. Ik verzoek u mij te laten weten wanneer ik het toestel "
                "wél kan verwachten.\n\nMet vriendelijke groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nExcuses, uw bestelling is helaas opnieuw vertraagd door de achterstand in "
                "ons magazijn. De nieuwe verwachte leverdatum is {datum}. Ik begrijp dat dit teleurstellend "
                "is.\n\n"
                + SIGN,
            ),
        ],
    ),
    # --- step 3 -------------------------------------------------------------------------------------------
    script(
        "late3_phone_u", LATE, "phone", "levering_vertraagd", "u", step=3,
        subject="Derde keer contact over levering",
        summary="3e contact: {product} (order {order}) nog steeds niet geleverd; klant boos, zaak doorgezet "
        "naar logistiek, nieuwe datum {datum}",
        note="3e contact order {order}. Klant boos. Escalatie naar logistiek. Nieuwe datum {datum}.",
        turns=[
            GREET,
            c(
                "Ja, met {aanspreek}. Dit is al de derde keer dat ik contact met jullie opneem over dezelfde "
                "bestelling. {order}. Eerst zou hij {eerste_datum} komen, toen {vorige_datum}, en nog steeds "
                "niks. Uw collega {collega} beloofde me dat het deze keer goed zou gaan.",
            ),
            a(
                "Drie keer, dat is echt te veel, {aanspreek}. Ik kan me voorstellen dat u het vertrouwen "
                "kwijt bent. Vertelt u eens: wat is er voor u het belangrijkst nu?",
            ),
            c(
                "Dat ik gewoon eerlijk hoor wat er aan de hand is. En dat hij komt. Ik heb hem nodig, [mijn "
                "oude telefoon is kapot|het is een cadeau voor mijn kleinzoon].",
            ),
            a(
                "Dat snap ik. Eerlijk dan: er zit een grote achterstand in het magazijn in Tilburg. Ik zet "
                "uw bestelling nu door naar de logistieke afdeling met voorrang. Zij noemen {datum}.",
            ),
            c("Als het dan maar eindelijk klopt."),
            a(
                "Ik heb het genoteerd met uw hele geschiedenis erbij, zodat u het verhaal niet nog eens "
                "hoeft te doen.",
            ),
        ],
    ),
    script(
        "late3_phone_je", LATE, "phone", "levering_vertraagd", "je", step=3,
        style="blunt",
        subject="Derde keer over levering",
        summary="3e contact: {product} (order {order}) niet geleverd; standaardantwoord, nieuwe datum "
        "{datum}, klant gefrustreerd",
        note="Order {order}: 3e contact. Niet verzonden. Datum {datum}.",
        turns=[
            GREET_BLUNT,
            c(
                "Hoi, met {voornaam}. Dit is al de derde keer dat ik bel over mijn bestelling. Eerst zou hij "
                "{eerste_datum} komen, toen...",
            ),
            a("Ordernummer?", interrupt=True),
            c("{order}. Maar luister even, die collega van jullie, {collega}, zei {vorige_datum}..."),
            a("Ik zie dat hij nog niet verzonden is. Nieuwe datum is {datum}.", interrupt=True),
            c("Dat is gewoon hetzelfde verhaal als de vorige keer. Luisteren jullie eigenlijk wel?"),
            a("Ik kan alleen zeggen wat in het systeem staat. Verder nog iets?"),
            c("Nee. Laat maar."),
        ],
    ),
    script(
        "late3_chat_je", LATE, "chat", "levering_vertraagd", "je", step=3,
        subject="Alweer geen levering",
        summary="3e contact (chat): {product} (order {order}) nog niet geleverd; doorgezet naar logistiek, "
        "{datum}",
        turns=[
            c("dit is al de derde keer dat ik contact opneem over order {order}"),
            c("eerst {eerste_datum}, toen {vorige_datum}, nu weer niks. wat is er aan de hand??"),
            a(
                "Hoi {voornaam}, drie keer is echt te vaak, sorry. Ik ga niet weer alleen een datum noemen; "
                "ik zet je bestelling door naar onze logistieke collega's met voorrang.",
            ),
            a("Zij geven {datum} op. Ik heb in je dossier gezet dat dit je derde contact is."),
            c("ik hoop het echt. ik word er een beetje moe van"),
        ],
    ),
    script(
        "late3_email_u", LATE, "email", "levering_vertraagd", "u", step=3,
        subject="Derde keer: bestelling {order}",
        summary="3e contact (mail): {product} (order {order}) nog niet geleverd; excuses, naar logistiek, "
        "{datum}",
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nDit is de derde keer dat ik contact met u opneem over bestelling "
                "{order}. Eerst zou het {eerste_datum} komen, daarna {vorige_datum}. Beide keren is er niets "
                "gebeurd. Ik vind dit zeer teleurstellend.\n\nMet vriendelijke groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nU heeft volkomen gelijk: drie keer contact moeten opnemen over dezelfde "
                "bestelling is te veel. Ik heb uw bestelling met voorrang doorgezet naar onze logistieke "
                "afdeling. Zij verwachten te leveren op {datum}. Ik houd het zelf in de gaten.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "late3_email_je", LATE, "email", "levering_vertraagd", "je", step=3,
        subject="Alweer niks ontvangen ({order})",
        summary="3e contact (mail): {product} (order {order}) nog niet geleverd; doorgezet, nieuwe datum "
        "{datum}",
        turns=[
            c(
                "Hoi,\n\nVoor de derde keer: mijn {product} (order {order}) is nog steeds niet gekomen. "
                "Eerst {eerste_datum}, toen {vorige_datum}. Wat is er aan de hand?\n\n{voornaam}",
            ),
            a(
                "Hoi {voornaam},\n\nSorry, drie keer is echt te veel. Ik heb je bestelling met voorrang "
                "doorgezet naar de logistieke afdeling; zij verwachten {datum}.\n\n" + SIGN_JE,
            ),
        ],
    ),
    # --- step 4 -------------------------------------------------------------------------------------------
    script(
        "late4_phone_u", LATE, "phone", "levering_vertraagd", "u", step=4,
        subject="Vierde keer: bestelling",
        summary="4e contact: {product} (order {order}) ook {vorige_datum} niet geleverd; klant overweegt te "
        "annuleren, medewerker belt uiterlijk {dag} terug",
        note="4e contact order {order}. Klant wil bijna annuleren. Terugbellen {dag} voor 16u met stand van "
        "zaken.",
        remember=(promise("Klant bellen met stand van zaken levering {order}", "dag", 16),),
        turns=[
            GREET,
            c(
                "{dagdeel}. Met {aanspreek}. Voor de vierde keer. Ik word hier zo moe van. Bestelling "
                "{order}. Hij zou {vorige_datum} komen. U raadt het al: niks.",
            ),
            a(
                "Voor de vierde keer, dat is echt niet in orde. Ik hoor dat u het helemaal zat bent, en "
                "terecht.",
            ),
            c(
                "Ik heb elke keer braaf mijn verhaal gedaan, elke keer een nieuwe datum. Ik wil het "
                "eigenlijk gewoon annuleren. Maar dan heb ik helemaal niks.",
            ),
            a(
                "Ik wil niet weer een datum noemen die niet klopt. Ik ga vandaag zelf bij het magazijn "
                "navragen waar uw toestel precies is, en ik bel u uiterlijk {dag} voor vier uur terug. Dan "
                "kunt u beslissen of u wilt wachten of annuleren.",
            ),
            c("Goed. Maar dan wil ik ook echt gebeld worden."),
            a("Dat beloof ik u. {dag} voor vier uur."),
        ],
    ),
    script(
        "late4_phone_je", LATE, "phone", "levering_vertraagd", "je", step=4,
        subject="Vierde keer: bestelling",
        summary="4e contact: {product} (order {order}) nog niet geleverd; belofte terugbellen {dag}",
        note="4e contact. Klant gefrustreerd. Uitzoeken bij magazijn, {dag} terugbellen.",
        remember=(promise("Terugbellen over levering {order}", "dag", 16),),
        turns=[
            GREET,
            c(
                "Met {voornaam}. Vierde keer. Mijn {product}. {order}. Ik ga het niet nog een keer "
                "uitleggen, het staat allemaal bij jullie in het systeem.",
            ),
            a(
                "Je hebt gelijk, het staat er allemaal, en je hoeft het niet nog eens te vertellen. Ik zie "
                "dat hij {vorige_datum} had moeten komen. Sorry.",
            ),
            c("Ik heb echt geen zin meer in sorry. Ik wil m'n telefoon."),
            a(
                "Helder. Ik ga het vandaag zelf uitzoeken bij het magazijn en ik bel jou {dag} terug, "
                "uiterlijk vier uur. Dan weet je waar je aan toe bent.",
            ),
            c("Oké. {dag}. Ik reken erop."),
        ],
    ),
    script(
        "late4_chat_je", LATE, "chat", "levering_vertraagd", "je", step=4,
        subject="Vierde keer contact",
        summary="4e contact (chat): {product} (order {order}) niet geleverd; belofte: {dag} bericht met "
        "stand van zaken",
        remember=(promise("Klant {dag} laten weten waar {order} is", "dag", 16),),
        turns=[
            c("voor de 4e keer: waar is mijn bestelling {order}"),
            c("ik word er echt moe van. elke keer een nieuwe datum en elke keer niks"),
            a("Hoi {voornaam}, ik zie het hele verhaal. Vier keer, dat is echt niet oké. Sorry."),
            a(
                "Ik ga het vandaag zelf navragen bij het magazijn en ik laat je uiterlijk {dag} weten hoe "
                "het zit.",
            ),
            c("ok. als dat ook weer niet gebeurt ben ik weg"),
        ],
    ),
    script(
        "late4_email_u", LATE, "email", "levering_vertraagd", "u", step=4,
        subject="Vierde keer contact over {order}",
        summary="4e contact (mail): {product} (order {order}) niet geleverd; klant overweegt annuleren, "
        "belofte terugbellen {dag}",
        remember=(promise("Klant bellen over levering {order}", "dag", 16),),
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nVoor de vierde keer neem ik contact met u op over bestelling "
                "{order}. De laatste toezegging was {vorige_datum}. Ook die is niet nagekomen. Ik overweeg "
                "de bestelling te annuleren en mijn abonnement op te zeggen.\n\nMet vriendelijke "
                "groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nIk begrijp uw teleurstelling volkomen; vier keer contact moeten opnemen is "
                "niet acceptabel. Ik zoek vandaag persoonlijk uit waar uw {product} is en ik bel u uiterlijk "
                "{dag} voor 16.00 uur.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "late4_email_je", LATE, "email", "levering_vertraagd", "je", step=4,
        style="stiff",
        subject="Nog steeds niks!!",
        summary="4e contact (mail): {product} (order {order}) niet geleverd; formeel standaardantwoord, "
        "terugbelbelofte {dag}",
        remember=(promise("Klant uiterlijk {dag} bellen met nieuwe leverdatum {order}", "dag", 16),),
        turns=[
            c(
                "Hoi,\n\nIk ben het echt zat. Dit is de vierde keer dat ik contact opneem over mijn "
                "{product} (order {order}). Jullie zouden hem {vorige_datum} leveren. Niks. Ik word er gek "
                "van.\n\n{voornaam}",
            ),
            a(
                "{geachte},\n\nHartelijk dank voor uw e-mail. Wij betreuren het ten zeerste dat uw "
                "bestelling nog niet is geleverd. Uw melding is geregistreerd en doorgezet naar de "
                "betreffende afdeling. Wij zullen u uiterlijk {dag} telefonisch informeren over de nieuwe "
                "leverdatum.\n\nWij vertrouwen erop u hiermee voldoende te hebben geïnformeerd.\n\n" + SIGN,
            ),
        ],
    ),
    # --- step 5 -------------------------------------------------------------------------------------------
    script(
        "late5_phone_u", LATE, "phone", "levering_vertraagd", "u", step=5,
        subject="Vijfde keer: levering, klant wil weg",
        summary="5e contact: {product} (order {order}) nog steeds niet geleverd, beloofde terugbelactie niet "
        "gebeurd; klant liet stoom af, toestel uit ander magazijn verstuurd met koerier {datum}, {bedrag} "
        "compensatie",
        note="5e contact! Klant erg boos, terugbelbelofte niet nagekomen. Eerst laten uitrazen. Toestel via "
        "koerier uit ander magazijn, {datum}. Compensatie {bedrag}. Persoonlijke opvolging.",
        remember=(
            note("Vijf keer contact over levering {order}; opzegrisico, persoonlijk opvolgen"),
            promise("Na levering {datum} zelf bellen om te checken of alles in orde is", "datum", 17),
        ),
        turns=[
            GREET,
            c(
                "Dit is nu de vijfde keer dat ik bel! De vijfde keer! Bestelling {order}. Er zou me "
                "{vorige_datum} teruggebeld worden, niemand heeft gebeld. Niemand! Ik ben er klaar mee. [Ik "
                "zit gewoon al twee weken zonder telefoon.|Jullie hebben me al vijf keer aan het lijntje "
                "gehouden.]",
            ),
            a("Vijf keer...", "Dat is...", interrupt=False),
            c(
                "En elke keer moet ik mijn hele verhaal weer doen, en elke keer krijg ik een nieuwe datum, "
                "en elke keer gebeurt er niks. Ik overweeg gewoon alles op te zeggen. Internet, tv, alles.",
                interrupt=True,
            ),
            a(
                "U heeft helemaal gelijk om boos te zijn. U bent vijf keer aan het lijntje gehouden, en de "
                "belofte om u terug te bellen is niet nagekomen. Dat is niet goed, en het spijt me echt.",
            ),
            c("Ja. Nou. Fijn dat iemand dat eens zegt."),
            a(
                "Ik ga nu niet weer in het systeem kijken en u een datum noemen. Ik heb zojuist gezien dat "
                "ons magazijn in Zwolle uw {product} wél op voorraad heeft. Ik laat hem vandaag per koerier "
                "versturen; hij is {datum} bij u. En ik zet {bedrag} op uw volgende factuur als compensatie.",
            ),
            c("Per koerier. En dat klopt dan wel?"),
            a(
                "Ik bel u {datum} zelf, aan het eind van de middag, om te horen of hij er is. Niet een "
                "collega, ik zelf. Mijn naam is {agent}.",
            ),
            c("Goed. {agent}. Ik hoop het echt. Dank u dat u naar me luisterde."),
        ],
    ),
    script(
        "late5_phone_je", LATE, "phone", "levering_vertraagd", "je", step=5,
        subject="Vijfde keer: levering, al vijf keer gebeld",
        summary="5e contact: {product} (order {order}) niet geleverd, klant al vijf keer gebeld en wil "
        "annuleren; bestelling geannuleerd, geld terug, toestel uit winkel gereserveerd",
        note="5e contact. Klant al vijf keer gebeld, wil niet meer wachten. Order {order} geannuleerd, "
        "terugbetaling, toestel gereserveerd in winkel {stad}.",
        remember=(note("Vijf keer contact over levering {order}; order geannuleerd, opzegrisico"),),
        turns=[
            GREET,
            c(
                "Met {voornaam}. Ik heb nu al vijf keer gebeld. Vijf keer! Over dezelfde {product}. Ik ben "
                "er echt klaar mee. Annuleer die hele bestelling maar.",
            ),
            a(
                "Al vijf keer gebeld... dat is echt niet normaal, en ik snap dat je er klaar mee bent. Je "
                "had allang je telefoon moeten hebben.",
            ),
            c(
                "Ja! En niemand die iets doet. Jullie collega zou terugbellen. Niks. Ik voel me gewoon voor "
                "de gek gehouden.",
            ),
            a(
                "Dat snap ik. Je bent ook voor de gek gehouden, zo voelt het, en dat had niet mogen "
                "gebeuren. Wil je echt annuleren, of wil je de telefoon wel hebben, maar gewoon nú?",
            ),
            c("Ik wil hem gewoon nú. Maar niet nog een keer wachten."),
            a(
                "Dan annuleer ik de bestelling en je krijgt je geld binnen drie dagen terug. Ik heb in onze "
                "winkel in {stad} dezelfde {product} voor je gereserveerd, voor dezelfde prijs. Je kunt hem "
                "vandaag ophalen.",
            ),
            c("Oké. Dat is... oké. Eindelijk iemand die iets regelt."),
        ],
    ),
    script(
        "late5_chat_je", LATE, "chat", "levering_vertraagd", "je", step=5,
        subject="Vijfde keer: waar is mijn bestelling",
        summary="5e contact (chat): {product} (order {order}) nog steeds niet geleverd; terugbelbelofte niet "
        "nagekomen, klant boos en wil weg; toestel per koerier {datum}",
        remember=(note("Vijf keer contact over levering {order}; opzegrisico, persoonlijk opvolgen"),),
        turns=[
            c("Dit is nu de vijfde keer dat ik contact opneem over order {order}!!"),
            c(
                "jullie zouden me {vorige_datum} bellen. niemand gebeld. ik heb al vijf keer mijn hele "
                "verhaal gedaan aan de telefoon, in de chat, per mail",
            ),
            c(
                "ik ben er echt klaar mee. als het vandaag niet geregeld wordt zeg ik alles op. internet, "
                "tv, alles",
            ),
            a(
                "Hoi {voornaam}, vijf keer, en dan ook nog een terugbelbelofte die niet is nagekomen. Je "
                "hebt groot gelijk dat je boos bent. Het spijt me echt.",
            ),
            c("ja sorry is leuk maar ik wil gewoon mijn telefoon"),
            a(
                "Helder. Ik heb gezien dat ons magazijn in Zwolle hem wel heeft. Ik laat hem vandaag per "
                "koerier naar je toe sturen, hij is {datum} bij je. Ik zet ook {bedrag} compensatie op je "
                "factuur.",
            ),
            c("oke. en als het weer niet komt?"),
            a(
                "Dan hoor je het van mij, niet andersom. Ik check {datum} zelf of hij er is en ik stuur je "
                "een bericht.",
            ),
            c("oke. dank je"),
        ],
    ),
    script(
        "late5_email_u", LATE, "email", "levering_vertraagd", "u", step=5,
        subject="Vijfde en laatste keer: bestelling {order}",
        summary="5e contact (mail): {product} (order {order}) niet geleverd, klant dreigt op te zeggen; "
        "koerier {datum}, compensatie {bedrag}, persoonlijke opvolging",
        remember=(note("Vijf keer contact over levering {order}; opzegrisico"),),
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nDit is nu de vijfde keer dat ik contact met u opneem over "
                "bestelling {order}. U zou mij {vorige_datum} bellen; dat is niet gebeurd. Ik ben er klaar "
                "mee. Als het toestel niet binnen twee dagen geleverd is, zeg ik al mijn abonnementen bij u "
                "op.\n\n{naam}",
            ),
            a(
                "{geachte},\n\nU heeft volkomen gelijk. Vijf keer contact, een niet nagekomen belofte om u "
                "te bellen: dat is niet de manier waarop wij met u om willen gaan, en het spijt mij "
                "oprecht.\n\nUw {product} wordt vandaag per koerier verstuurd vanuit ons magazijn in Zwolle "
                "en is {datum} bij u. Ik heb {bedrag} op uw volgende factuur in mindering gebracht. Ik bel u "
                "{datum} zelf om te horen of alles in orde is.\n\n" + SIGN,
            ),
        ],
    ),
    # --- fault_repeat: the same broken modem --------------------------------------------------------------
    script(
        "fault1_phone_u", FAULT, "phone", "storing_internet", "u", step=1,
        subject="Internet valt weg",
        summary="1e contact: internet valt meerdere keren per dag weg; {modem} herstart, klant belt terug "
        "als het terugkomt",
        note="Internet valt weg. Modem herstart op afstand. Afgesproken: klant belt terug bij herhaling.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Mijn internet valt een paar keer per dag weg. Dan moet ik het "
                "modem uit en aan zetten.",
            ),
            a("Vervelend. Ik pak uw gegevens erbij; mag ik uw postcode en huisnummer?"),
            c("{postcode}, {huisnummer}."),
            a(
                "Ik zie dat uw {modem} vaak opnieuw opstart. Ik herstart hem nu op afstand en zet de "
                "nieuwste software erop. Als het daarna nog gebeurt, belt u ons dan terug?",
            ),
            c("Dat zal ik doen. Dank u."),
        ],
    ),
    script(
        "fault2_phone_u", FAULT, "phone", "storing_internet", "u", step=2,
        subject="Internet valt nog steeds weg",
        summary="2e contact: internet valt nog steeds weg na software-update; lijnmeting gestart",
        note="2e contact. Uitval gaat door. Lijnmeting 48u gestart.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik heb {vorige_contact} gebeld over mijn internet dat wegvalt. "
                "Uw collega {collega} heeft toen iets aan de software gedaan, maar het gebeurt nog steeds.",
            ),
            a(
                "Dat is vervelend, dan was dat dus niet de oplossing. Ik start een meting op uw lijn van 48 "
                "uur.",
            ),
            c("En dan? Moet ik dan weer bellen?"),
            a("Als de meting iets laat zien, nemen we contact met u op. Anders hoort u het graag van u."),
            c("Hm. Goed."),
        ],
    ),
    script(
        "fault3_phone_u", FAULT, "phone", "storing_internet", "u", step=3,
        style="blunt",
        subject="Derde keer: internet valt weg",
        summary="3e contact: storing aanhoudend; weer modem-resetstappen doorlopen op verzoek systeem, klant "
        "geërgerd",
        note="3e contact. Reset-procedure opnieuw doorlopen (verplicht in script). Klant geërgerd.",
        turns=[
            GREET,
            c(
                "Met {aanspreek}. Voor de derde keer. Mijn internet valt nog steeds weg. Er zou een meting "
                "worden gedaan, maar ik heb niks gehoord.",
            ),
            a("Heeft u het modem al opnieuw opgestart?", interrupt=True),
            c("Dat heb ik al tien keer gedaan. Dat vroeg uw collega ook al. En die daarvoor ook."),
            a("Ik moet het toch even vragen. Wilt u de stekker er dertig seconden uithalen?"),
            c("Meent u dat nou? Luistert u wel naar wat ik zeg?"),
            a(
                "Ik zie dat de meting klaar is en dat er pieken in de ruis zitten. Ik maak een melding voor "
                "de tweede lijn.",
            ),
            c("Pieken in de ruis. Ja. Dag."),
        ],
    ),
    script(
        "fault4_phone_u", FAULT, "phone", "storing_internet", "u", step=4,
        subject="Vierde keer: modem",
        summary="4e contact: modem blijkt defect; nieuw modem opgestuurd, bezorging {datum}",
        note="4e contact. Modem defect (voeding). Nieuw modem verstuurd, levering {datum}.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek} weer. Het is nu de vierde keer. [Ik krijg het er benauwd van.|Ik "
                "word er gewoon moedeloos van.] Ik werk thuis en ik lig er steeds uit.",
            ),
            a(
                "Vier keer, en dan ook nog thuiswerken. Dat is echt te veel gevraagd. Ik heb de meting en de "
                "notities van mijn collega's gelezen; u hoeft niets opnieuw uit te leggen.",
            ),
            c("Dat is voor het eerst. Dank u."),
            a(
                "Alles wijst erop dat uw modem zelf defect is. Ik stuur u vandaag een nieuw modem; dat is "
                "{datum} bij u. Aansluiten is stekker eruit, stekker erin.",
            ),
            c("Dat had drie weken geleden ook gekund."),
            a("Ja, dat had gekund. Excuses daarvoor."),
        ],
    ),
    script(
        "fault5_phone_u", FAULT, "phone", "storing_internet", "u", step=5,
        subject="Vijfde keer: storing, monteur",
        summary="5e contact: ook met nieuw modem uitval; klant al vijf keer gebeld, luisterend gesprek; "
        "monteur {datum} met kabelmeting, compensatie {bedrag}",
        note="5e contact! Nieuw modem helpt niet. Klant eerst laten uitpraten. Monteur {datum}, kabel "
        "doormeten. {bedrag} compensatie.",
        remember=(
            note("Vijf keer gebeld over hetzelfde internetprobleem; monteur ingezet, persoonlijk opvolgen"),
            promise("Monteur {datum} 8-12 uur: kabel doormeten; daarna klant bellen", "datum", 13),
        ),
        turns=[
            GREET,
            c(
                "Ja, met {aanspreek}. Ik heb al vijf keer gebeld. Vijf keer. Ik heb het modem gereset, ik "
                "heb een meting gehad, ik heb een nieuw modem gekregen, en het valt nog steeds weg. Ik wil "
                "niet nog een keer horen dat ik de stekker eruit moet halen.",
            ),
            a(
                "Dat ga ik u ook niet vragen. U heeft al alles gedaan wat we u vroegen, en het is nog steeds "
                "niet opgelost. Dat is frustrerend, en ik snap dat u het vertrouwen in ons kwijt bent.",
            ),
            c(
                "Precies. Ik ben niet boos op u persoonlijk hoor. Maar ik ben gewoon moe. [Ik heb een eigen "
                "bedrijf, ik verlies er geld door.|Mijn kinderen moeten huiswerk maken.]",
            ),
            a(
                "Dank u dat u dat zegt. Als het niet aan het modem ligt, zit het in de kabel naar uw huis. "
                "Ik stuur een monteur die de kabel doormeet, {datum} tussen acht en twaalf. En voor al het "
                "gedoe zet ik {bedrag} op uw factuur.",
            ),
            c("En als de monteur ook niks vindt?"),
            a(
                "Dan bel ik u die middag zelf en bedenken we samen wat de volgende stap is. U hoeft ons niet "
                "meer te bellen; wij bellen u.",
            ),
            c("Goed. Dank u wel. Dit is de eerste keer dat ik het gevoel heb dat iemand echt luistert."),
        ],
    ),
    script(
        "fault1_chat_je", FAULT, "chat", "storing_internet", "je", step=1,
        subject="Internet valt weg",
        summary="1e contact (chat): internet valt vaak weg; modem op afstand herstart",
        turns=[
            c("hoi, mijn internet valt de hele tijd weg, wat kan ik doen?"),
            a(
                "Hoi {voornaam}! Ik herstart je modem even op afstand, dat lost het vaak op. Laat je weten "
                "of het terugkomt?",
            ),
            c("oke thanks"),
        ],
    ),
    script(
        "fault2_chat_je", FAULT, "chat", "storing_internet", "je", step=2,
        subject="Nog steeds uitval",
        summary="2e contact (chat): uitval gaat door; lijnmeting gestart",
        turns=[
            c("hoi, ik had {vorige_contact} al gechat over mijn internet dat wegvalt. gebeurt nog steeds"),
            a(
                "Hoi {voornaam}, vervelend dat het niet is opgelost. Ik start een meting op je lijn van 48 "
                "uur.",
            ),
            c("en dan hoor ik van jullie?"),
            a("Als er iets uitkomt nemen we contact op!"),
        ],
    ),
    script(
        "fault3_chat_je", FAULT, "chat", "storing_internet", "je", step=3,
        subject="Derde keer uitval",
        summary="3e contact (chat): uitval gaat door, geen bericht over meting; melding tweede lijn",
        turns=[
            c(
                "3e keer dat ik contact opneem. internet valt nog steeds weg en ik heb niks gehoord over die "
                "meting",
            ),
            a(
                "Hoi {voornaam}, sorry dat je niks hebt gehoord, dat had wel gemoeten. De meting laat "
                "storingen op je lijn zien.",
            ),
            a(
                "Ik heb een melding gemaakt voor onze technische afdeling ({ticket}). Zij nemen binnen 3 "
                "werkdagen contact op.",
            ),
            c("3 werkdagen. ok."),
        ],
    ),
    script(
        "fault4_chat_je", FAULT, "chat", "storing_internet", "je", step=4,
        subject="Vierde keer uitval",
        summary="4e contact (chat): technische afdeling heeft niet gebeld; nieuw modem verstuurd, {datum}",
        turns=[
            c("vierde keer. niemand heeft gebeld. internet valt nog steeds weg. ik ben het zo zat"),
            a("Hoi {voornaam}, snap ik helemaal, je bent vier keer aan het lijntje gehouden. Dat spijt me."),
            a(
                "Ik stuur je vandaag een nieuw modem, die is er {datum}. En ik zet in je dossier dat jij "
                "niet meer hoeft te bellen.",
            ),
            c("we gaan het zien"),
        ],
    ),
    script(
        "fault2_phone_je", FAULT, "phone", "storing_internet", "je", step=2,
        subject="Internet valt nog steeds weg",
        summary="2e contact: uitval gaat door; lijnmeting gestart",
        note="2e contact, uitval. Meting 48u.",
        turns=[
            GREET,
            c(
                "Hoi, met {voornaam}. Ik heb {vorige_contact} al gechat over mijn internet. Valt nog steeds "
                "weg.",
            ),
            a("Balen. Ik start een meting op je lijn van twee dagen, dan weten we meer."),
            c("Oké. Laat maar horen dan."),
        ],
    ),
    script(
        "fault4_phone_je", FAULT, "phone", "storing_internet", "je", step=4,
        subject="Vierde keer uitval",
        summary="4e contact: uitval aanhoudend; nieuw modem verstuurd, {datum}",
        note="4e contact. Nieuw modem, levering {datum}.",
        turns=[
            GREET,
            c("Met {voornaam}. Vierde keer over mijn internet. Ik word er echt gek van."),
            a(
                "Vier keer, dat is veel te veel. Ik heb alles van de vorige keren gelezen. Ik stuur je een "
                "nieuw modem, {datum} bij je.",
            ),
            c("Eindelijk."),
        ],
    ),
    script(
        "fault5_phone_je", FAULT, "phone", "storing_internet", "je", step=5,
        subject="Vijfde keer: storing",
        summary="5e contact: ook met nieuw modem uitval; al vijf keer gebeld; monteur {datum}, compensatie "
        "{bedrag}",
        note="5e contact. Monteur {datum}. Compensatie {bedrag}.",
        remember=(note("Vijf keer contact over hetzelfde internetprobleem; opzegrisico"),),
        turns=[
            GREET,
            c(
                "Met {voornaam}. Al vijf keer gebeld. Vijf keer! Nieuw modem, meting, alles. Het valt nog "
                "steeds weg. Ik stap gewoon over, echt waar.",
            ),
            a(
                "Dat snap ik heel goed. Vijf keer en nog steeds niet opgelost. Je hebt alles gedaan wat we "
                "vroegen.",
            ),
            c("Ja. Dus?"),
            a(
                "Dus ligt het aan de kabel naar je huis, niet aan jou. Monteur {datum}, die meet alles door. "
                "Ik zet {bedrag} compensatie op je factuur en ik bel je daarna zelf.",
            ),
            c("Oké. Laatste kans dan."),
        ],
    ),
)  # fmt: skip
