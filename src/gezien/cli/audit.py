"""The audit log: `gezien audit list|verify`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gezien.cli._base import moment, setup


def cmd_audit_list(args: argparse.Namespace) -> int:
    setup()
    import json

    from gezien.audit.export import entry_dict
    from gezien.audit.selectors import audit_entries

    entries = audit_entries(
        customer_id=args.customer,
        actor_id=args.actor,
        action=args.action or None,
        since=moment(args.since),
        until=moment(args.until, end=True),
    )[: args.limit]
    for entry in entries:
        row = entry_dict(entry)
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            who = row["actor_name"] or "-"
            customer = f" klant {row['customer_id']}" if row["customer_id"] is not None else ""
            print(f"#{row['id']} {row['at']} {who} ({row['source']}) {row['action']} "
                  f"{row['object_type']}:{row['object_id']}{customer}")  # fmt: skip
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    setup()
    from gezien.audit.selectors import audit_verify

    ok, first_bad = audit_verify(full=not args.quick)
    if ok:
        print("Keten intact.")
        return 0
    print(f"Keten verbroken bij #{first_bad}.", file=sys.stderr)
    return 1


def add(sub: Any) -> None:
    audit = sub.add_parser("audit", help="the audit log: who read or changed what")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    listing = audit_sub.add_parser("list", help="entries, newest first")
    listing.add_argument("--customer", type=int, default=None, help="about this customer (id)")
    listing.add_argument("--actor", type=int, default=None, help="by this person (user id)")
    listing.add_argument(
        "--action", default="", help="e.g. contact.view, or contact. for every contact action"
    )
    listing.add_argument("--since", default="", help="from this date (YYYY-MM-DD) or moment")
    listing.add_argument("--until", default="", help="up to and including this date, or before this moment")
    listing.add_argument("--limit", type=int, default=100)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(func=cmd_audit_list)
    verify = audit_sub.add_parser("verify", help="check the hash chain; exit 1 when broken")
    verify.add_argument(
        "--quick", action="store_true", help="from the last checkpoint only, not from the first entry"
    )
    verify.set_defaults(func=cmd_audit_verify)
