"""Property-based fuzz test of the whole REST API: bad input never gives a 500.

Schemathesis reads the OpenAPI schema django-ninja builds for `gezien.api.main.api` and, for every
operation, generates requests: boundary and wrong-type values, missing parts and unexpected methods
(coverage phase), then random valid and invalid data (fuzzing phase, 30 examples). Each request goes
in-process to the Django WSGI application with an agent's bearer token, and each answer must

- not be a 5xx (`not_a_server_error`; the server's traceback is added to the failure);
- when its status is documented, have the documented content type, headers and body schema;
- be refused (401/403) when a successful request is replayed without a token or with a wrong one.

Path ids, team, reason, agent and signal names are drawn half of the time from the seeded data, so that
requests get past the 404s to the code behind them; free-text and date-time fields and other string or integer
parameters now and then get an awkward value (NUL, year 1, 2**63, ...). Generation is deterministic.

Checks left out on purpose: `status_code_conformance` (django-ninja does not document its 401/404/422
answers, so every refusal would count), `positive_data_acceptance` (the schema cannot say what a valid
phone number or a non-empty message is, so the domain's 422s would count) and `negative_data_rejection`
(pydantic's lax parsing accepts e.g. a Unix time for a date-time, or a JSON array for an all-optional body).

The test runs inside the usual rolled-back transaction (`db`): the requests use the test's own database
connection, as django.test.Client's do. Within one operation, the examples share (and change) the data.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.management.color import no_style
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, connection
from django.db.models import Model
from django.utils import timezone
from hypothesis import HealthCheck, settings

from gezien.accounts.models import ApiToken
from gezien.accounts.services import agent_create, team_ensure
from gezien.accounts.tokens import token_create
from gezien.api.main import api as ninja_api
from gezien.assist.models import Incident, WarmTransfer
from gezien.assist.services import incident_log, transfer_announce
from gezien.config.wsgi import application
from gezien.contacts.models import Contact, ContactReason, Message
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer, Identity, RememberedDetail
from gezien.customers.services import customer_create, detail_add
from gezien.notifications.models import Notification

pytestmark = pytest.mark.slow  # schemathesis sends thousands of requests

SEEDED_IDS = [1, 2]
TEAM = "Team Noord"
REASON = "levering"
USERNAME = "fuzz-agent"
COLLEAGUE = "fuzz-collega"


# Strings that have broken web applications before: NUL (which PostgreSQL refuses), LIKE wildcards,
# quotes, case-folding surprises, invisible and right-to-left characters, numbers-as-text, long text,
# and date-times at the ends of the calendar (year 1 or 9999 once moved to UTC or local time).
AWKWARD_STRINGS = [
    "\x00",
    "a\x00b",
    " ",
    "\t\r\n",
    "%",
    "_",
    "\\",
    "'",
    '"',
    "İ",
    "ß",
    "ǅ",
    "🙂",
    "\u200b",
    "\u202e",
    "0",
    "-1",
    "9" * 40,
    "null",
    "<b>",
    "x" * 5000,
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
]
AWKWARD_INTEGERS = [0, -1, 2**31, 2**63, -(2**63) - 1, 10**30]

# Body fields that take free text or a date-time, where the awkward strings are tried.
AWKWARD_FIELDS = [
    "text",
    "name",
    "value",
    "subject",
    "summary",
    "external_id",
    "transfer_note",
    "note",
    "first_name",
    "last_name",
    "customer_number",
    "identities[*].value",
    "transcript[*].text",
    "opened_at",
    "sent_at",
    "due_at",
]


def _from(dictionary: str, probability: float = 0.5) -> dict[str, Any]:
    return {"dictionary": dictionary, "probability": probability}


CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20_240_601,
        "generation": {
            "max-examples": 30,
            "deterministic": True,
            "database": "none",
            # The token is sent with every request (and replayed without it by `ignored_auth`).
            "with-security-parameters": False,
            # Any other string or integer parameter is now and then an awkward one.
            "dictionaries": {
                "string": {"dictionary": "awkward-strings", "probability": 0.2},
                "integer": {"dictionary": "awkward-integers", "probability": 0.2},
            },
        },
        "phases": {"stateful": {"enabled": False}},
        # Hide the token in failure reports, but not the fields merely named like it ("author").
        "output": {
            "sanitization": {
                "keys-to-sanitize": ["authorization", "token"],
                "sensitive-markers": ["authoriz"],
            }
        },
        "checks": {
            "status_code_conformance": {"enabled": False},
            "positive_data_acceptance": {"enabled": False},
            "negative_data_rejection": {"enabled": False},
        },
        "dictionaries": {
            "ids": {"values": SEEDED_IDS},
            "teams": {"values": [TEAM]},
            "reasons": {"values": [REASON]},
            "agents": {"values": [USERNAME, COLLEAGUE]},
            "signals": {"values": ["anger", "churn", "bereavement", "formal"]},
            "hints": {"values": ["address", "listen_first", "signpost", "known_problem:levering"]},
            "awkward-strings": {"values": AWKWARD_STRINGS},
            "awkward-integers": {"values": AWKWARD_INTEGERS},
        },
        "parameters": {
            "path.contact_id": _from("ids"),
            "path.customer_id": _from("ids"),
            "path.identity_id": _from("ids"),
            "path.detail_id": _from("ids"),
            "path.token_id": _from("ids"),
            "path.message_id": _from("ids"),
            "path.incident_id": _from("ids"),
            "path.transfer_id": _from("ids"),
            "path.notification_id": _from("ids"),
            "path.hint": _from("hints"),
            "body.to_agent_id": _from("ids"),
            "query.customer_id": _from("ids"),
            "query.team": _from("teams"),
            "query.agent": _from("agents"),
            "body.customer_id": _from("ids"),
            "body.team": _from("teams"),
            "body.reason": _from("reasons"),
            "body.assigned_agent": _from("agents"),
            "body.signal": _from("signals"),
            **{f"body.{field}": _from("awkward-strings", 0.25) for field in AWKWARD_FIELDS},
        },
    }
)


def wsgi_app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """Django's WSGI application without the end-of-request clean-up of database connections.

    As in django.test.Client: that clean-up would close the test's connection (and, in a test wrapped in
    a transaction, lose it). The body is read before the clean-up signals are connected again.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_dict(ninja_api.get_openapi_schema(), config=CONFIG)
schema.app = wsgi_app


@contextmanager
def server_tracebacks() -> Iterator[list[str]]:
    """Collect the traceback of every exception Django turns into a 500 response."""
    caught: list[str] = []

    def remember(sender: Any, **kwargs: Any) -> None:
        caught.append("".join(traceback.format_exception(*sys.exc_info())))

    got_request_exception.connect(remember, weak=False)
    try:
        yield caught
    finally:
        got_request_exception.disconnect(remember)


def restart_id_sequences(*models: type[Model]) -> None:
    """Let the next row of each (empty) table get id 1, on SQLite and PostgreSQL alike.

    Inside the test's transaction, like everything else; PostgreSQL does not roll sequences back.
    """
    assert not any(model._default_manager.exists() for model in models)
    sequences = [{"table": model._meta.db_table, "column": model._meta.pk.column} for model in models]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), sequences):
            cursor.execute(sql)


@pytest.fixture
def seeded(db: None) -> dict[str, str]:
    """Two of everything the paths name (ids 1 and 2), and the headers of an agent's token (id 1)."""
    restart_id_sequences(
        ApiToken, Customer, Identity, RememberedDetail, Contact, Message, Incident, WarmTransfer, Notification
    )
    team = team_ensure(name=TEAM)
    agent = agent_create(username=USERNAME, password=None, role="agent", team=team)
    colleague = agent_create(username=COLLEAGUE, password=None, role="agent", team=team)
    token = token_create(user=agent, name="fuzz")[1]
    token_create(user=colleague, name="colleague")
    ContactReason.objects.create(code=REASON, name="Levering")
    ContactReason.objects.create(code="factuur", name="Factuur")
    annie = customer_create(
        first_name="Annie",
        last_name="Jansen",
        identities=[("phone", "06-12345678"), ("email", "A.Jansen@Ziggo.nl")],
    )
    customer_create(first_name="Bram", last_name="Bakker", identities=[("phone", "06-87654321")])
    first = contact_open(
        channel="phone", identities=[("phone", "06-12345678")], text="Waar blijft mijn pakket?"
    ).contact
    contact_open(channel="email", identities=[("email", "onbekend@example.nl")], text="Hallo?")
    detail_add(
        customer=annie,
        kind="promise",
        text="Bellen over de levering",
        due_at=timezone.now() + timedelta(days=1),
    )
    detail_add(customer=annie, kind="note", text="Slechthorend, graag rustig praten")
    # The assist's ids 1: an incident the agent reported, a warm transfer announced to them (and its notice).
    incident_log(contact=first, source="reported", note="Schold", reported_by=agent)
    transfer_announce(contact=first, from_agent=colleague, to_agent=agent, note="Pakket kwijt")
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_answers_bad_input_with_a_server_error(
    case: schemathesis.Case[Any], seeded: dict[str, str]
) -> None:
    # DELETE /api/tokens/1 revokes the token this test uses; every other request should still get in.
    ApiToken.objects.filter(pk=1).update(revoked_at=None)
    with server_tracebacks() as caught:
        response = case.call(headers=seeded)
        try:
            case.validate_response(response, headers=seeded)
        except Exception as failure:
            for text in caught:
                failure.add_note(f"Server traceback:\n{text}")
            raise
