"""CPU of one chat message in-process, request by request: the customer's `POST /widget/api/v1/messages`,
the agent's `POST /api/contacts/{id}/messages`, an integration's `GET /api/contacts/{id}`, each straight
through the WSGI app of `gezien serve` (no server, no client), and the outbox drain after them.

    .venv/bin/python bench/cpu_chat.py -n 200              # median CPU per request and per drained message
    .venv/bin/python bench/cpu_chat.py -n 200 --profile customer|agent|poll|drain   # cProfile, top 40
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cpu_open import wsgi_request

ORIGIN = "http://winkel.example"


def wsgi_call(
    application: Any, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[str, bytes]:
    raw = b"" if body is None else json.dumps(body).encode()
    return wsgi_request(application, method, path, raw, headers or {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=200, help="rounds (a message, a reply, a poll) to measure")
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--profile", choices=["customer", "agent", "poll", "drain"])
    parser.add_argument("--queries", action="store_true", help="print the SQL of one message and one reply")
    args = parser.parse_args(argv)
    os.environ["GEZIEN_DATA_DIR"] = tempfile.mkdtemp(prefix="gezien-cpu-chat-")
    os.environ.setdefault("GEZIEN_SECRET_KEY", "cpu-chat-bench-secret-key-0123456789abcdefghijklmnop")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gezien.config.settings")
    os.environ.setdefault("GEZIEN_DEBUG", "0")
    from bench.gezien_seed import _agent, _migrate, _setup

    _setup()
    _migrate()
    from django.conf import settings

    settings.GEZIEN_ANALYSIS_INLINE = False  # the rows wait for the drain below
    from gezien.accounts.tokens import token_create
    from gezien.chat.services import widget_create
    from gezien.config import wsgi
    from gezien.contacts.analysing import analysis_warm_up
    from gezien.contacts.outbox import outbox_drain

    widget_create(name="Winkel", allowed_origins=[ORIGIN], key="cpu", session_rate=600, address_rate=10000)
    user = _agent(None)
    staff = {"Authorization": f"Bearer {token_create(user=user, name='cpu-chat', rate='100000000/min')[1]}"}
    analysis_warm_up()
    app = wsgi.application
    chats = []
    for i in range(args.chats):
        status, out = wsgi_call(
            app, "POST", "/widget/api/v1/cpu/sessions", {"name": f"Klant {i}"}, {"Origin": ORIGIN}
        )
        assert status.startswith("201"), (status, out[:300])
        customer = {"Authorization": f"Bearer {json.loads(out)['token']}", "Origin": ORIGIN}
        status, out = wsgi_call(
            app, "POST", "/widget/api/v1/messages", {"text": f"Hallo, klant {i}"}, customer
        )
        assert status.startswith("201"), (status, out[:300])
        status, out = wsgi_call(app, "GET", f"/api/messages/{json.loads(out)['message']['id']}", None, staff)
        chats.append((customer, json.loads(out)["contact_id"]))
    outbox_drain()
    costs: dict[str, list[float]] = {"customer": [], "agent": [], "poll": [], "drain": []}
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()

    def timed(kind: str, call: Any) -> Any:
        started = time.process_time()
        if profiler and args.profile == kind:
            profiler.enable()
        result = call()
        if profiler and args.profile == kind:
            profiler.disable()
        costs[kind].append(time.process_time() - started)
        return result

    def customer_says(customer: dict[str, str], n: int) -> tuple[str, bytes]:
        text = f"Waar blijft mijn pakket? ({n})"
        return wsgi_call(app, "POST", "/widget/api/v1/messages", {"text": text}, customer)

    def agent_says(contact_id: int, n: int) -> tuple[str, bytes]:
        body = {"author": "agent", "text": f"Ik kijk het na ({n})."}
        return wsgi_call(app, "POST", f"/api/contacts/{contact_id}/messages", body, staff)

    def poll(contact_id: int) -> tuple[str, bytes]:
        return wsgi_call(app, "GET", f"/api/contacts/{contact_id}", None, staff)

    for n in range(args.n):
        customer, contact_id = chats[n % len(chats)]
        status, out = timed("customer", functools.partial(customer_says, customer, n))
        assert status.startswith("201"), (status, out[:300])
        status, out = timed("agent", functools.partial(agent_says, contact_id, n))
        assert status.startswith("201"), (status, out[:300])
        status, out = timed("poll", functools.partial(poll, contact_id))
        assert status.startswith("200"), (status, out[:300])
        if n % 4 == 3:  # the drain thread gathers a few messages per batch under load
            timed("drain", outbox_drain)
    if args.queries:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        customer, contact_id = chats[0]
        for kind, call in (
            (
                "customer",
                lambda: wsgi_call(
                    app, "POST", "/widget/api/v1/messages", {"text": "Nog een vraag"}, customer
                ),
            ),
            (
                "agent",
                lambda: wsgi_call(
                    app,
                    "POST",
                    f"/api/contacts/{contact_id}/messages",
                    {"author": "agent", "text": "Antwoord"},
                    staff,
                ),
            ),
        ):
            with CaptureQueriesContext(connection) as captured:
                call()
            print(f"--- {kind}: {len(captured.captured_queries)} queries")
            for query in captured.captured_queries:
                print("  ", query["sql"][:160])
    for kind, values in costs.items():
        per = 4 / 2 if kind == "drain" else 1  # a drain handles 4 rounds: 8 messages
        print(
            f"{kind}: median {1000 * statistics.median(values) / (4 if kind == 'drain' else 1):.2f} ms CPU"
            f"{' per round (message + reply)' if kind == 'drain' else ' per request'}, n={len(values)}"
        )
        del per
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
