"""Contact waves: problems made elsewhere that land on customer service all at once.

In week -6 the Fairphone 6 sells out ("stock_wave"); in week -3 the carrier and the warehouse in
Tilburg get stuck ("logistics_wave"). Many customers ask the same question within a few days, and the
agents, who have reported the problem again and again, start to sound tired.
"""

from __future__ import annotations

from gezien.demo.scenarios import Script, a, c, script
from gezien.demo.scenarios_mail import SIGN, SIGN_JE
from gezien.demo.scenarios_phone import GREET

SCRIPTS: tuple[Script, ...] = (
    # --- stock_wave: the Fairphone 6 is sold out ------------------------------------------------------------
    script(
        "stock_phone_u", "stock_wave", "phone", "voorraad_niet_leverbaar", "u",
        subject="Fairphone 6 niet leverbaar",
        summary="Fairphone 6 besteld maar niet op voorraad; verwachte levering {week}, klant wacht",
        note="Fairphone 6 uitverkocht, verwacht {week}. Klant wacht af.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik heb de Fairphone 6 besteld. Op de website stond 'op "
                "voorraad', maar nu krijg ik een mail dat hij niet leverbaar is. Hoe zit dat?",
            ),
            a(
                "Dat klopt helaas. De Fairphone 6 is veel vaker besteld dan verwacht en de voorraad is op. "
                "De website liep achter. Excuses daarvoor. De verwachting is dat we hem in {week} weer "
                "hebben.",
            ),
            c("{week}? Dat is nog ver weg. Had dat dan niet op de website kunnen staan?"),
            a(
                "Dat had zeker gemoeten. Ik heb het ook doorgegeven aan de afdeling die de voorraad beheert. "
                "U kunt wachten, dan staat uw bestelling vooraan, of kosteloos annuleren.",
            ),
            c("Ik wacht wel. Maar ik vind het wel slordig."),
            a("Dat begrijp ik. U krijgt bericht zodra hij verzonden wordt."),
        ],
    ),
    script(
        "stock_phone_je", "stock_wave", "phone", "voorraad_niet_leverbaar", "je",
        subject="Fairphone 6 uitverkocht",
        summary="Klant wil Fairphone 6; uitverkocht tot {week}, klant annuleert en kiest ander toestel",
        note="Fairphone 6 niet leverbaar. Klant annuleert, kiest {toestel}.",
        turns=[
            GREET,
            c("Hoi, met {voornaam}. Ik had de Fairphone 6 besteld, maar ik hoor niks. Wanneer komt hij?"),
            a(
                "Hoi {voornaam}. Ik moet je teleurstellen: de Fairphone 6 is uitverkocht. Je bent niet de "
                "enige, we krijgen er vandaag heel veel vragen over. De nieuwe voorraad komt in {week}.",
            ),
            c("Pff. Zo lang kan ik niet wachten, mijn telefoon is echt kapot. Wat kan ik dan?"),
            a(
                "Ik kan je bestelling kosteloos omzetten naar een ander toestel dat wel op voorraad is, "
                "bijvoorbeeld de {toestel}.",
            ),
            c("Doe die maar dan. Jammer, maar oké."),
            a("Geregeld. Die is morgen bij je."),
        ],
    ),
    script(
        "stock_phone_agent_tired_u", "stock_wave", "phone", "voorraad_niet_leverbaar", "u",
        style="blunt",
        subject="Fairphone 6 niet leverbaar",
        summary="Vraag over niet geleverde Fairphone 6; kort standaardantwoord {week}, klant ontevreden",
        note="Fairphone 6, zelfde verhaal. Verwacht {week}.",
        turns=[
            GREET,
            c("{dagdeel}, met {aanspreek}. Ik bel over mijn Fairphone 6. Die zou vandaag komen maar..."),
            a("Die is uitverkocht. Verwachting {week}.", interrupt=True),
            c("O. Nou, dat is kort. Had u me dat niet even kunnen mailen?"),
            a(
                "Het spijt me, {heer_mevrouw}, ik heb vandaag al veertig mensen hierover gesproken. We "
                "hebben het ook al tig keer doorgegeven aan inkoop. Meer weet ik ook niet.",
            ),
            c("Daar kan ik ook niks aan doen. Nou ja. Dag."),
        ],
    ),
    script(
        "stock_chat_je", "stock_wave", "chat", "voorraad_niet_leverbaar", "je",
        subject="Fairphone 6 levertijd",
        summary="Chatvraag levertijd Fairphone 6; uitverkocht, verwacht {week}",
        turns=[
            c("hoi wanneer is de fairphone 6 weer op voorraad?"),
            a(
                "Hoi {voornaam}! De Fairphone 6 is helaas uitverkocht 😕 We verwachten nieuwe voorraad in "
                "{week}.",
            ),
            c("ah jammer. kan ik een seintje krijgen?"),
            a("Ja! Ik zet je op de lijst, je krijgt een mail zodra hij er is."),
            c("top"),
        ],
    ),
    script(
        "stock_chat_cancel_je", "stock_wave", "chat", "voorraad_niet_leverbaar", "je",
        subject="Fairphone 6 annuleren",
        summary="Klant annuleert bestelling Fairphone 6 wegens levertijd; geld binnen 3 dagen terug",
        turns=[
            c(
                "ik wil mijn bestelling annuleren, de fairphone 6 komt pas in {week} zeggen jullie. "
                "belachelijk",
            ),
            c("op de site stond gewoon op voorraad"),
            a("Hoi {voornaam}, ik snap je ergernis, op de site stond het echt verkeerd. Sorry daarvoor."),
            a("Ik heb je bestelling geannuleerd. Je krijgt je geld binnen 3 werkdagen terug."),
            c("oke, dank"),
        ],
    ),
    script(
        "stock_chat_stiff_u", "stock_wave", "chat", "voorraad_niet_leverbaar", "u",
        style="stiff",
        subject="Fairphone 6",
        summary="Vraag over Fairphone 6; formeel standaardantwoord, verwacht {week}",
        turns=[
            c("Goedemorgen. Ik heb de Fairphone 6 besteld. Kunt u zeggen wanneer ik hem ontvang?"),
            a(
                "Geachte klant, Hartelijk dank voor uw bericht. Wij delen u mede dat het door u bestelde "
                "artikel momenteel niet leverbaar is. De verwachte leverdatum betreft {week}. Wij danken u "
                "voor uw begrip.",
            ),
            c("Dat is wel erg kort door de bocht. Is er geen alternatief?"),
            a("U kunt de bestelling kosteloos annuleren of omzetten naar een ander toestel."),
        ],
    ),
    script(
        "stock_mail_u", "stock_wave", "email", "voorraad_niet_leverbaar", "u",
        subject="Fairphone 6 - leverdatum",
        summary="Mail over niet geleverde Fairphone 6; uitleg uitverkocht, verwacht {week}, alternatief "
        "aangeboden",
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nOp uw website stond de Fairphone 6 als 'op voorraad, morgen in "
                "huis'. Ik heb hem besteld, maar ontvang nu bericht dat hij niet leverbaar is. Ik vind dit "
                "misleidend. Wanneer kan ik het toestel verwachten?\n\nMet vriendelijke groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nU heeft gelijk: de website toonde de Fairphone 6 ten onrechte als op "
                "voorraad, en dat had niet mogen gebeuren. Het toestel is veel vaker besteld dan verwacht. "
                "De nieuwe voorraad verwachten wij in {week}; uw bestelling staat vooraan. Wilt u liever "
                "niet wachten, dan kunt u kosteloos annuleren of een ander toestel kiezen.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "stock_form", "stock_wave", "webform", "voorraad_niet_leverbaar", "je",
        subject="Contactformulier: Fairphone 6",
        summary="Formuliervraag levering Fairphone 6; uitverkocht tot {week}",
        turns=[
            c(
                "Onderwerp: Bestelling\nNaam: {naam}\nE-mail: {email}\n\nVraag: Waar blijft mijn Fairphone "
                "6?? Ik heb hem al een week geleden besteld en niks gehoord.",
            ),
            a(
                "Hoi {voornaam},\n\nSorry dat je niks hebt gehoord. De Fairphone 6 is uitverkocht; we "
                "verwachten nieuwe voorraad in {week}. Je bestelling staat vooraan. Liever annuleren kan "
                "altijd kosteloos.\n\n"
                + SIGN_JE,
            ),
        ],
    ),
    # --- logistics_wave: the carrier and the warehouse in Tilburg are stuck -----------------------------
    script(
        "logi_phone_u", "logistics_wave", "phone", "levering_vertraagd", "u",
        subject="Pakket blijft in sortering",
        summary="Track & trace staat dagen op 'in sortering' door storing bij pakketdienst en magazijn "
        "Tilburg; nieuwe verwachting {datum}",
        note="Pakket {order} vast bij pakketdienst (bekend probleem magazijn Tilburg). Verwachting {datum}.",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Mijn pakket staat al {dagen} dagen op 'in sortering'. "
                "Ordernummer {order}. Is het kwijt?",
            ),
            a(
                "Vervelend dat u zo lang niks ziet gebeuren. Het is niet kwijt. Er is deze week een groot "
                "probleem bij de pakketdienst en in ons magazijn in Tilburg; duizenden pakketten liggen "
                "stil.",
            ),
            c("Duizenden? Nou, dan ben ik niet de enige."),
            a(
                "Nee, helaas niet. Ze werken met extra mensen om de achterstand weg te werken. De "
                "verwachting voor uw pakket is {datum}.",
            ),
            c("Goed. Dank u voor de uitleg."),
        ],
    ),
    script(
        "logi_phone_je", "logistics_wave", "phone", "levering_vertraagd", "je",
        subject="Pakket niet bezorgd",
        summary="Pakket {order} vast in magazijn Tilburg door probleem pakketdienst; verwachting {datum}",
        note="Pakket vast Tilburg. Verwachting {datum}.",
        turns=[
            GREET,
            c("Hoi, met {voornaam}. Waar blijft mijn pakket? {order}. Track & trace doet al dagen niks."),
            a(
                "Hoi {voornaam}. Je bent helaas niet de enige, we hebben een groot probleem met de "
                "pakketdienst en ons magazijn in Tilburg. Je pakket ligt daar. Verwachting is {datum}.",
            ),
            c("Lekker dan. Ik had hem nodig voor het weekend."),
            a(
                "Snap ik, sorry. Als hij {datum} niet binnen is, laat het dan weten, dan sturen we een "
                "nieuwe.",
            ),
        ],
    ),
    script(
        "logi_phone_frustrated_agent_u", "logistics_wave", "phone", "levering_vertraagd", "u",
        subject="Pakket vast bij pakketdienst",
        summary="Pakket {order} vast bij pakketdienst; medewerker geeft eerlijk aan dat het probleem intern "
        "bekend is en gemeld; verwachting {datum}",
        note="Weer een pakket vast Tilburg. Klant gerustgesteld. Probleem gemeld bij logistiek (opnieuw).",
        turns=[
            GREET,
            c(
                "{dagdeel}, met {aanspreek}. Ik wacht al een week op mijn bestelling {order}. Wat is er toch "
                "aan de hand bij jullie?",
            ),
            a(
                "Ik ga u eerlijk zeggen hoe het zit. Het magazijn in Tilburg en de pakketdienst hebben een "
                "achterstand. Wij hier bij de klantenservice hebben dat al meerdere keren aangekaart, want u "
                "bent vandaag de [vijftigste|zestigste] die erover belt.",
            ),
            c("Dus jullie weten het gewoon en er gebeurt niks?"),
            a(
                "Er gebeurt wel iets, maar niet zo snel als wij zouden willen. Ik zet uw bestelling op de "
                "lijst voor voorrang. De verwachting is {datum}. Ik meld uw geval ook weer bij de logistieke "
                "afdeling.",
            ),
            c("Nou, u kunt er ook niks aan doen. Succes vandaag."),
            a("Dank u, dat waardeer ik. Fijne dag."),
        ],
    ),
    script(
        "logi_chat_je", "logistics_wave", "chat", "levering_vertraagd", "je",
        subject="Pakket in sortering",
        summary="Chat: pakket {order} vast bij pakketdienst/magazijn Tilburg; verwachting {datum}",
        turns=[
            c("hoi, mijn pakket staat al dagen op 'in sortering', {order}"),
            a(
                "Hoi {voornaam}, sorry! Er is een storing bij de pakketdienst en in ons magazijn in Tilburg. "
                "Je pakket is niet kwijt.",
            ),
            a("De verwachting is dat hij {datum} bij je is."),
            c("ohh oke, hopelijk dan"),
        ],
    ),
    script(
        "logi_chat_delivered_not_je", "logistics_wave", "chat", "levering_vertraagd", "je",
        subject="Status 'bezorgd' maar niks ontvangen",
        summary="Track & trace zegt bezorgd maar niets ontvangen; onderzoek bij pakketdienst, nieuw toestel "
        "als het {datum} niet terecht is",
        turns=[
            c("er staat dat mijn pakket bezorgd is maar ik heb niks gekregen??"),
            c("ik was gewoon thuis, niemand aangebeld"),
            a(
                "Hoi {voornaam}, wat vervelend! Dat zien we deze week vaker door de problemen bij de "
                "pakketdienst.",
            ),
            a(
                "Wil je even bij de buren vragen? Ik start een onderzoek. Is hij {datum} niet terecht, dan "
                "sturen we een nieuwe.",
            ),
            c("oke, ik check de buren"),
        ],
    ),
    script(
        "logi_chat_u", "logistics_wave", "chat", "levering_vertraagd", "u",
        subject="Bestelling vertraagd",
        summary="Chat: bestelling {order} vertraagd door achterstand magazijn; verwachting {datum}",
        turns=[
            c("Goedemiddag. Mijn bestelling {order} is nog niet bezorgd. Kunt u zien waar hij is?"),
            a(
                "Goedemiddag {aanspreek}. Uw pakket ligt in ons magazijn in Tilburg, waar deze week een "
                "grote achterstand is.",
            ),
            a("Wij verwachten dat hij {datum} bij u bezorgd wordt. Excuses voor het ongemak."),
            c("Dank u voor de informatie."),
        ],
    ),
    script(
        "logi_mail_u", "logistics_wave", "email", "levering_vertraagd", "u",
        subject="Waar is mijn pakket? ({order})",
        summary="Mail over pakket {order} vast bij pakketdienst; uitleg achterstand magazijn Tilburg, "
        "verwachting {datum}",
        turns=[
            c(
                "Geachte heer/mevrouw,\n\nIk heb op {besteldatum} een bestelling geplaatst ({order}). De "
                "track-and-trace staat sindsdien op 'aangemeld bij pakketdienst'. Kunt u mij vertellen wat "
                "er aan de hand is?\n\nMet vriendelijke groet,\n{naam}",
            ),
            a(
                "{geachte},\n\nExcuses voor het lange wachten. Door een storing bij onze pakketdienst en een "
                "achterstand in ons magazijn in Tilburg liggen deze week veel pakketten stil, ook het uwe. "
                "Wij verwachten dat het {datum} bij u wordt bezorgd.\n\n" + SIGN,
            ),
        ],
    ),
    script(
        "logi_form", "logistics_wave", "webform", "levering_vertraagd", "je",
        subject="Contactformulier: pakket",
        summary="Formulier: pakket {order} niet ontvangen; vertraging pakketdienst, verwachting {datum}",
        turns=[
            c(
                "Onderwerp: Levering\nNaam: {naam}\nOrdernummer: {order}\nE-mail: {email}\n\nVraag: Mijn "
                "pakket is nog steeds niet gekomen. Al vier dagen niks in de track & trace.",
            ),
            a(
                "Hoi {voornaam},\n\nSorry voor het wachten! Door problemen bij de pakketdienst en in ons "
                "magazijn in Tilburg is er vertraging. Je pakket komt naar verwachting "
                "{datum}.\n\n" + SIGN_JE,
            ),
        ],
    ),
)  # fmt: skip
