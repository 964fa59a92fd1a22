"""Prepare and inspect a Gezien data dir for the benchmark, in-process (run in a subprocess).

bench/bench_gezien.py runs this with Gezien's own Python (.venv) and the environment of one
benchmark data dir (GEZIEN_DATA_DIR, GEZIEN_SECRET_KEY), so every bench gets a fresh SQLite
database without sharing Django's process-wide settings. Each command prints one JSON line.

    python bench/gezien_seed.py api --customers 1000      migrate, agent + API token, customers
    python bench/gezien_seed.py cti --customers 200 --agents 40   the same, and phone agents (bench_cti)
    python bench/gezien_seed.py view --earlier 200         migrate, agent + password, one long history
    python bench/gezien_seed.py demo-info                  id ranges and a login for the demo data
    python bench/gezien_seed.py count                      contacts by recognition
    python bench/gezien_seed.py queries --contact-id N     SQL queries per API call and per page
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import timedelta
from typing import Any

BENCH_USER = "bench-agent"
BENCH_PASSWORD = "bench-password-42"  # noqa: S105 - a throwaway account in a throwaway database
PHONE_BASE = 31612340000  # customers get 06-1234xxxx, i.e. +31612340000 + i in E.164
OUTBOX_BATCH = 30  # contacts in the outbox batch whose statements are counted (~300/s for 0.1 s)
# The load is one client far past a real integration's GEZIEN_TOKEN_RATE: its token counts its requests
# like any other (the cost is measured) under a limit it never reaches.
BENCH_RATE = "100000000/min"


def phone_e164(index: int) -> str:
    return f"+{PHONE_BASE + index}"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gezien.config.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _agent(password: str | None) -> Any:
    from gezien.accounts.services import agent_create

    return agent_create(username=BENCH_USER, password=password, role="agent", first_name="Bench")


def cmd_api(args: argparse.Namespace) -> dict[str, Any]:
    """A migrated database with one agent, its API token and `customers` customers with a phone each."""
    from django.db import transaction

    from gezien.accounts.tokens import token_create
    from gezien.customers.services import customer_create

    _migrate()
    user = _agent(None)
    _record, token = token_create(user=user, name="bench", rate=BENCH_RATE)
    with transaction.atomic():
        for index in range(args.customers):
            customer_create(
                first_name=f"Klant{index}",
                last_name="Bench",
                identities=[("phone", f"06-1234{index:04d}")],
                # Fixed numbers: random ones (the default) collide now and then among 1,000.
                customer_number=f"B{100000 + index}",
            )
    return {"token": token, "customers": args.customers, "phones": [phone_e164(0), phone_e164(1)]}


def cmd_cti(args: argparse.Namespace) -> dict[str, Any]:
    """`cmd_api`'s database plus `agents` phone agents who answer the bench's calls (bench/bench_cti.py)."""
    from gezien.accounts.services import agent_create

    answer = cmd_api(args)
    names = [f"cti-agent-{index}" for index in range(args.agents)]
    for name in names:
        agent_create(username=name, password=None, role="agent", first_name=name)
    return {**answer, "agents": names}


def cmd_view(args: argparse.Namespace) -> dict[str, Any]:
    """One customer with `earlier` closed contacts (customer message, agent reply, closed), then one open."""
    from django.db import transaction
    from django.utils import timezone

    from gezien.contacts.handling import contact_set_status
    from gezien.contacts.services import contact_open, message_add
    from gezien.customers.services import customer_create

    _migrate()
    user = _agent(BENCH_PASSWORD)
    customer = customer_create(
        first_name="Anouk", last_name="de Vries", identities=[("phone", "06-12345678")]
    )
    now = timezone.now()
    channels = ("phone", "email", "chat", "webform")
    with transaction.atomic():
        for index in range(args.earlier):
            at = now - timedelta(days=2 * (args.earlier - index), hours=index % 7)
            channel = channels[index % len(channels)]
            opened = contact_open(
                channel=channel,
                identities=[("phone", "06-12345678")],
                text=f"Vraag {index}: mijn factuur van deze maand klopt niet, graag uitleg.",
                at=at,
            )
            contact = opened.contact
            if contact.customer_id != customer.pk:
                raise RuntimeError(f"earlier contact {contact.pk} not recognised: {contact.recognition}")
            message_add(
                contact=contact,
                author="agent",
                # An agent's message in an e-mail contact is sent as mail (and needs a mailbox with SMTP
                # and the customer's address): the earlier e-mail contacts carry a note, as calls do.
                kind="note" if channel in ("phone", "email") else "message",
                agent=user,
                text=f"Uitgelegd dat de factuur {index} een naverrekening bevat; klant tevreden.",
                at=at + timedelta(minutes=5),
            )
            contact_set_status(contact=contact, status="closed", actor=user, at=at + timedelta(minutes=6))
    current = contact_open(
        channel="phone",
        identities=[("phone", "06-12345678")],
        text="Belt opnieuw over de factuur.",
    ).contact
    return {
        "contact_id": current.pk,
        "customer_id": customer.pk,
        "recognition": current.recognition,
        "earlier": customer.contacts.exclude(pk=current.pk).count(),
        "username": BENCH_USER,
        "password": BENCH_PASSWORD,
    }


def cmd_demo_info(args: argparse.Namespace) -> dict[str, Any]:
    """What the RSS bench needs to cycle through the demo: id ranges, a searchable name, a login."""
    from django.db.models import Max, Min

    from gezien.accounts.tokens import token_create
    from gezien.contacts.models import Contact
    from gezien.customers.models import Customer, Identity

    contacts = Contact.objects.aggregate(lo=Min("id"), hi=Max("id"))
    customers = Customer.objects.aggregate(lo=Min("id"), hi=Max("id"))
    phones = list(Identity.objects.filter(kind="phone").values_list("value", flat=True)[:500])
    from gezien.accounts.models import User

    user = User.objects.get(username=args.user)
    _record, token = token_create(user=user, name="bench-rss", rate=BENCH_RATE)
    last_name = Customer.objects.exclude(last_name="").values_list("last_name", flat=True).first() or "a"
    return {
        "contacts": Contact.objects.count(),
        "contact_ids": [contacts["lo"], contacts["hi"]],
        "contact_ids_contiguous": contacts["hi"] - contacts["lo"] + 1 == Contact.objects.count(),
        "customers": Customer.objects.count(),
        "customer_ids": [customers["lo"], customers["hi"]],
        "customer_ids_contiguous": customers["hi"] - customers["lo"] + 1 == Customer.objects.count(),
        "phones": phones,
        "search": last_name.split()[-1],
        "token": token,
    }


def cmd_count(args: argparse.Namespace) -> dict[str, Any]:
    from django.db.models import Count

    from gezien.contacts.models import Contact, Message, OutboxEntry

    rows = Contact.objects.values("recognition").annotate(n=Count("id")).order_by("recognition")
    return {
        "contacts": Contact.objects.count(),
        "messages": Message.objects.count(),
        "outbox": OutboxEntry.objects.count(),
        "by_recognition": {row["recognition"]: row["n"] for row in rows},
    }


def cmd_queries(args: argparse.Namespace) -> dict[str, Any]:
    """SQL queries and time for one API open-contact call and one contact page (Django test Client)."""
    import time

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gezien.accounts.tokens import token_create

    os.environ.setdefault("GEZIEN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from gezien.accounts.models import User

    user = User.objects.get(username=BENCH_USER)
    out: dict[str, Any] = {}
    if args.contact_id:
        client = Client()
        client.force_login(user)
        client.get(f"/desk/contacts/{args.contact_id}/")  # warm caches (templates, translations)
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(f"/desk/contacts/{args.contact_id}/")
            elapsed = time.perf_counter() - started
        out["view"] = _query_report(ctx.captured_queries, response.status_code, elapsed)
        out["view"]["html_bytes"] = len(response.content)
    if args.api:
        from gezien.contacts.outbox import outbox_drain

        _record, token = token_create(user=user, name="bench-queries", rate=BENCH_RATE)
        client = Client(headers={"authorization": f"Bearer {token}"})
        body = {"channel": "phone", "identity": {"kind": "phone", "value": phone_e164(1)}, "text": "warm"}
        # The request alone: its outbox row is handled apart, in a batch, as the server's thread does.
        settings.GEZIEN_ANALYSIS_INLINE = False
        outbox_drain()  # first: on a busy machine it can outlast the token cache of the warm-up request
        client.post("/api/contacts", body, content_type="application/json")
        with CaptureQueriesContext(connection) as ctx:
            body["text"] = "measured"
            started = time.perf_counter()
            response = client.post("/api/contacts", body, content_type="application/json")
            elapsed = time.perf_counter() - started
        out["api"] = _query_report(ctx.captured_queries, response.status_code, elapsed)
        out["api"]["recognition"] = response.json().get("recognition")
        for n in range(OUTBOX_BATCH - 1):
            body["text"] = f"measured {n}"
            client.post("/api/contacts", body, content_type="application/json")
        with CaptureQueriesContext(connection) as drained:
            outbox_drain()
        out["api"]["outbox_per_contact"] = round(len(drained.captured_queries) / OUTBOX_BATCH, 2)
    return out


def _query_report(queries: list[dict[str, str]], status: int, elapsed: float) -> dict[str, Any]:
    return {
        "status": status,
        "wall_ms": round(elapsed * 1000, 2),
        "queries": len(queries),
        "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 2),
        "sql": [q["sql"][:160] for q in queries],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    api = sub.add_parser("api")
    api.add_argument("--customers", type=int, default=1000)
    api.set_defaults(func=cmd_api)
    cti = sub.add_parser("cti")
    cti.add_argument("--customers", type=int, default=200)
    cti.add_argument("--agents", type=int, default=40)
    cti.set_defaults(func=cmd_cti)
    view = sub.add_parser("view")
    view.add_argument("--earlier", type=int, default=200)
    view.set_defaults(func=cmd_view)
    demo = sub.add_parser("demo-info")
    demo.add_argument("--user", default="agent")
    demo.set_defaults(func=cmd_demo_info)
    sub.add_parser("count").set_defaults(func=cmd_count)
    queries = sub.add_parser("queries")
    queries.add_argument("--contact-id", type=int, default=0)
    queries.add_argument("--api", action="store_true")
    queries.set_defaults(func=cmd_queries)
    args = parser.parse_args(argv)
    _setup()
    print(json.dumps(args.func(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
