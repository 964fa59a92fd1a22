"""Who wants to know when a customer answered a survey (honest resolution listens for "customer
confirms resolved") without surveys knowing them.

`survey_answered(response)` is called by the answering service inside its transaction; listeners hear
about it once, after the commit, and never when it rolls back. A failing listener is logged and undoes
nothing. `on_survey_answering` listeners are told inside that transaction instead (a record that must
commit with the answer, e.g. an outgoing webhook event); their error undoes the answer. A listener
reads `response.resolved` (True, False or None when not answered),
`response.score`, `response.invitation.kind` and `response.invitation.contact`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from gezien.insights.surveys.models import SurveyResponse

logger = logging.getLogger(__name__)

AnsweredListener = Callable[["SurveyResponse"], None]
_listeners: list[AnsweredListener] = []
_in_transaction: list[AnsweredListener] = []


def on_survey_answered(listener: AnsweredListener) -> None:
    """Have `listener(response)` called after a transaction that stored a survey answer commits."""
    if listener not in _listeners:
        _listeners.append(listener)


def on_survey_answering(listener: AnsweredListener) -> None:
    """Have `listener(response)` called inside the transaction that stores a survey answer."""
    if listener not in _in_transaction:
        _in_transaction.append(listener)


def survey_answered(response: SurveyResponse) -> None:
    for listener in _in_transaction:
        listener(response)
    if _listeners:
        transaction.on_commit(lambda: _tell(response))


def _tell(response: SurveyResponse) -> None:
    for listener in list(_listeners):
        try:
            listener(response)
        except Exception:
            logger.exception("A listener on survey answers failed for response %s.", response.pk)
