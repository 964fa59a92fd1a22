"""Mail parsing, quote folding and recognition of what is not a contact: a pure library (no Django).

`parse(raw)` reads one RFC 5322 message in any state into a `ParsedMail`; `split_quote(text)` separates
the new words from the quoted history and the signature; `classify(parsed)` says whether it is a
customer's mail or a bounce, auto-reply, read receipt, complaint, loop or spam; `normalise_subject`,
`subject_token` and `token_subject` serve threading. See docs/mailparse.md.
"""

from gezien.mailparse.classify import LOOP_HEADER, Classification, Outcome, classify
from gezien.mailparse.htmltext import html_to_text, sanitise
from gezien.mailparse.parsing import MailParseError, MailPart, ParsedMail, parse
from gezien.mailparse.quoting import QuoteSplit, split_quote
from gezien.mailparse.subjects import normalise_subject, subject_token, token_subject

__all__ = [
    "LOOP_HEADER",
    "Classification",
    "MailParseError",
    "MailPart",
    "Outcome",
    "ParsedMail",
    "QuoteSplit",
    "classify",
    "html_to_text",
    "normalise_subject",
    "parse",
    "sanitise",
    "split_quote",
    "subject_token",
    "token_subject",
]
