"""The webhook receiver on 127.0.0.1 (tests/webhooks/conftest.py): the browser test checks that a
form's contact reaches it signed."""

from tests.webhooks.conftest import _sender_stopped_after, receiver

__all__ = ["_sender_stopped_after", "receiver"]
