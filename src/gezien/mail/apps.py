from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "gezien.mail"
    label = "mail"
    verbose_name = "E-mail"

    def ready(self) -> None:
        from gezien.contacts.models import Channel
        from gezien.contacts.sending import sender_register
        from gezien.core.tick import periodic
        from gezien.mail.delivery import deliveries_due
        from gezien.mail.intake import mails_pending, on_mail_processed
        from gezien.mail.outgoing import acknowledge_processed, email_reply

        # An agent's reply on an e-mail contact leaves through the contact's mailbox.
        sender_register(Channel.EMAIL, email_reply)
        # Retries that fell due, and queued mails whose task was lost or whose sender stopped mid-send.
        periodic("mail_deliveries")(deliveries_due)
        # Mails stored but never handled (their process stopped in between): nothing is left pending.
        periodic("mail_pending")(mails_pending)
        # A mail that opened a new contact is acknowledged when its mailbox asks for that.
        on_mail_processed(acknowledge_processed)
