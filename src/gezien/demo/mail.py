"""The demo's mailbox, and a few mails taken in through the real intake (`gezien.mail.intake.ingest`).

The mailbox `klantenservice` sends to a folder under the data folder (`file://.../mail/klantenservice`), so
replies work on one machine without configuration; it has no IMAP (connect a real one in the desk or with
`gezien mailbox add`, see the README). The mails show what the intake does: a customer's mail with its
Outlook history folded away and a colleague in CC, a reply by iPhone threaded by its headers, an unknown
sender whose name fills the new-customer form, an out-of-office reply, and two mails in the quarantine
(flagged as spam upstream; no sender at all).
"""

from __future__ import annotations

from email.utils import format_datetime

from django.conf import settings
from django.utils import timezone

from gezien.accounts.models import Team
from gezien.demo.plan import CustomerPlan, OrgPlan
from gezien.mail.intake import ingest
from gezien.mail.models import Mailbox
from gezien.mail.services import mailbox_add

NAME = "klantenservice"
ADDRESS = "klantenservice@voorbeeldtelecom.nl"
TEAM = "Team Noord"
SIGNATURE = "Met vriendelijke groet,\nKlantenservice Voorbeeld Telecom\n088 123 45 67"


def _mail(*, sender: str, subject: str, body: str, message_id: str, extra: str = "") -> bytes:
    head = (
        f"From: {sender}\nTo: Voorbeeld Telecom <{ADDRESS}>\nSubject: {subject}\n"
        f"Date: {format_datetime(timezone.now())}\nMessage-ID: <{message_id}@demo.voorbeeldtelecom.example>\n"
        f"{extra}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n"
    )
    return (head + "\n" + body).replace("\n", "\r\n").encode()


def _with_email(plan: OrgPlan) -> list[tuple[CustomerPlan, str]]:
    """Everyday customers (past the showcase stories) who write by e-mail, in the plan's order."""
    found = []
    for customer in plan.customers[40:]:
        address = next((i.value for i in customer.identities if i.kind == "email"), None)
        if address:
            found.append((customer, address))
    return found


def _mails(plan: OrgPlan) -> list[bytes]:
    (first, first_address), (second, second_address), *_rest = _with_email(plan)
    first_name = f"{first.first_name} {first.last_name}"
    second_name = f"{second.first_name} {second.last_name}"
    return [
        _mail(
            sender=f"{first_name} <{first_address}>",
            subject="RE: Storing internet",
            message_id="demo-storing-1",
            extra=f"Cc: Partner van {first.first_name} <huisgenoot.{first_address}>\n",
            body=(
                "Goedemiddag,\n\nSinds gisteravond valt mijn internet weer om de paar minuten weg. "
                "Ik heb het modem opnieuw opgestart, maar dat helpt niet. "
                "Ik werk thuis en dit kost me echt klanten. "
                "Kunt u een monteur sturen?\n\n"
                f"Met vriendelijke groet,\n{first_name}\n\n"
                f"Van: Voorbeeld Telecom Klantenservice <{ADDRESS}>\n"
                "Verzonden: dinsdag 1 december 2026 10:12\n"
                f"Aan: {first_name}\n"
                "Onderwerp: RE: Storing internet\n\n"
                f"Beste {first_name},\n\nDe storing in uw wijk is opgelost. Mocht u nog problemen hebben, "
                f"laat het ons weten.\n\n{SIGNATURE}\n"
            ),
        ),
        _mail(
            sender=f"{second_name} <{second_address}>",
            subject="Factuur december klopt niet",
            message_id="demo-factuur-1",
            body=(
                "Hallo,\n\nOp mijn factuur van december staat twee keer het abonnement. Wilt u dat "
                "rechtzetten?\n\nGroet,\n" + second.first_name + "\n"
            ),
        ),
        _mail(
            sender=f"{second_name} <{second_address}>",
            subject="Re: Factuur december klopt niet",
            message_id="demo-factuur-2",
            extra="In-Reply-To: <demo-factuur-1@demo.voorbeeldtelecom.example>\n",
            body=(
                "Ik zie nu dat het om € 42,50 gaat. Graag terugstorten op mijn rekening.\n\n"
                f"Op 7 dec. 2026 om 09:14 schreef {second_name} <{second_address}>:\n"
                "> Hallo,\n>\n> Op mijn factuur van december staat twee keer het abonnement.\n\n"
                "-- \nVerzonden vanaf mijn iPhone\n"
            ),
        ),
        _mail(
            sender="Thomas Bakker <thomas.bakker@kpnmail.example>",
            subject="Glasvezel op mijn nieuwe adres?",
            message_id="demo-glasvezel-1",
            body=(
                "Beste mensen,\n\nIk verhuis in februari naar Zwolle (8011 AB 12). Kan ik daar glasvezel "
                "van jullie krijgen, en wat kost dat?\n\nVriendelijke groet,\nThomas Bakker\n"
            ),
        ),
        _mail(
            sender=f"{first_name} <{first_address}>",
            subject="Automatisch antwoord: Uw factuur van december",
            message_id="demo-afwezig-1",
            extra="Auto-Submitted: auto-replied\n",
            body="Ik ben afwezig tot en met 4 januari en lees mijn e-mail niet.\n",
        ),
        _mail(
            sender="Prijzenbureau <winnaar@prijzen.example>",
            subject="Gefeliciteerd! U heeft een iPhone gewonnen",
            message_id="demo-spam-1",
            extra="X-Spam-Flag: YES\nX-Spam-Status: Yes, score=12.4\n",
            body="Klik hier om uw prijs op te halen.\n",
        ),
        # A mail with no sender at all: nothing to answer, so it waits in the quarantine for an admin.
        (
            f"To: {ADDRESS}\r\nSubject: Klacht\r\n"
            "Message-ID: <demo-kapot-1@demo.voorbeeldtelecom.example>\r\n"
            "\r\nMijn klacht staat in de bijlage.\r\n"
        ).encode(),
    ]


def load_mail_demo(plan: OrgPlan) -> int:
    """The mailbox and its demo mails; nothing when the mailbox is there. Returns the mails taken in."""
    if Mailbox.objects.filter(name=NAME).exists():
        return 0
    folder = settings.DATA_DIR / "mail" / NAME
    mailbox = mailbox_add(
        name=NAME,
        address=ADDRESS,
        smtp_url=f"file://{folder}",
        team=Team.objects.filter(name=TEAM).first(),
        signature=SIGNATURE,
    )
    mails = _mails(plan)
    for raw in mails:
        ingest(mailbox, raw)
    return len(mails)
