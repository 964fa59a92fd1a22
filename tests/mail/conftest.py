from tests.mail.dovecot import dovecot, imap_account  # noqa: F401 (the Dovecot IMAP server fixtures)
