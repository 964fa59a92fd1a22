"""People and their access: `gezien createuser`, `unlock`, `reset-2fa`, `token create|list|revoke`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from gezien.cli._base import audit_cli, setup


def cmd_createuser(args: argparse.Namespace) -> int:
    setup()
    from gezien.accounts.services import agent_create, team_ensure
    from gezien.core.errors import DomainError

    password = args.password or os.environ.get("GEZIEN_PASSWORD")
    if not password:
        password = getpass.getpass("Wachtwoord: ")
    try:
        user = agent_create(
            username=args.username,
            password=password,
            role=args.role,
            first_name=args.first_name,
            last_name=args.last_name,
            team=team_ensure(name=args.team) if args.team else None,
        )
    except DomainError as exc:
        print(f"gezien: {exc.message}", file=sys.stderr)
        return 2
    audit_cli("user.create", "user", user.pk, role=args.role)
    print(f"Gebruiker {args.username} aangemaakt ({args.role}).")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    setup()
    from gezien.accounts.models import User
    from gezien.accounts.signin import account_unlock
    from gezien.accounts.throttle import address_unlock

    if args.address:
        was = address_unlock(args.address)
        print(f"Adres {args.address} {'ontgrendeld' if was else 'was niet geblokkeerd'}.")
        return 0
    if not args.username:
        print("gezien: noem een gebruiker (of --address)", file=sys.stderr)
        return 2
    user = User.objects.filter(username=args.username).first()
    if user is None:
        print(f"gezien: onbekende gebruiker {args.username}", file=sys.stderr)
        return 2
    was = account_unlock(user=user, by=None, source="cli")
    print(f"Gebruiker {user.username} {'ontgrendeld' if was else 'was niet geblokkeerd'}.")
    return 0


def cmd_reset_2fa(args: argparse.Namespace) -> int:
    setup()
    from gezien.accounts.models import User
    from gezien.accounts.signin import second_factor_reset

    user = User.objects.filter(username=args.username).first()
    if user is None:
        print(f"gezien: onbekende gebruiker {args.username}", file=sys.stderr)
        return 2
    was_on = second_factor_reset(user=user, by=None, source="cli")
    print(f"Tweestapsverificatie van {user.username} {'staat uit' if was_on else 'stond al uit'}.")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    setup()
    from gezien.accounts.models import ApiToken, User
    from gezien.accounts.tokens import token_create, token_revoke
    from gezien.core.errors import DomainError

    if args.action == "revoke":
        record = ApiToken.objects.filter(pk=args.id).first()
        if record is None:
            print(f"gezien: onbekend token {args.id}", file=sys.stderr)
            return 2
        token_revoke(token=record)
        print(f"Token {record.prefix}… ingetrokken.")
        return 0
    user = User.objects.filter(username=args.user).first()
    if user is None:
        print(f"gezien: onbekende gebruiker {args.user}", file=sys.stderr)
        return 2
    if args.action == "list":
        for item in ApiToken.objects.filter(user=user):
            state = "ingetrokken" if item.revoked_at else "actief"
            expires = f"{item.expires_at:%Y-%m-%d}" if item.expires_at else "-"
            shown = ",".join(item.scopes)
            print(
                f"{item.pk}\t{item.prefix}…\t{item.name}\t{state}\t{item.created_at:%Y-%m-%d}\t{expires}\t{shown}"
            )
        return 0
    scopes = [scope for part in args.scopes for scope in part.replace(",", " ").split()]
    try:
        _record, token = token_create(
            user=user, name=args.name, scopes=scopes or ["*"], days=args.days, rate=args.rate
        )
    except DomainError as exc:
        print(f"gezien: {exc.message}", file=sys.stderr)
        return 2
    print(token)
    return 0


def add(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    create = sub.add_parser("createuser", help="create an agent")
    create.add_argument("username")
    create.add_argument("--role", default="agent", choices=["agent", "teamlead", "manager", "admin"])
    create.add_argument("--team", default="")
    create.add_argument("--first-name", default="")
    create.add_argument("--last-name", default="")
    create.add_argument("--password", default="", help="or set GEZIEN_PASSWORD, or be prompted")
    create.set_defaults(func=cmd_createuser)
    unlock = sub.add_parser("unlock", help="let someone sign in again after too many failed attempts")
    unlock.add_argument("username", nargs="?", default="")
    unlock.add_argument("--address", default="", help="unlock a client address instead")
    unlock.set_defaults(func=cmd_unlock)
    reset_2fa = sub.add_parser("reset-2fa", help="switch someone's two-factor sign-in off")
    reset_2fa.add_argument("username")
    reset_2fa.set_defaults(func=cmd_reset_2fa)
    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="action", required=True)
    token_create_p = token_sub.add_parser("create")
    token_create_p.add_argument("--user", required=True)
    token_create_p.add_argument("--name", default="")
    token_create_p.add_argument(
        "--scopes", nargs="*", default=[], help='e.g. "contacts:read contacts:write" (default: *, all)'
    )
    token_create_p.add_argument("--days", type=int, default=None, help="default GEZIEN_TOKEN_DAYS; 0: never")
    token_create_p.add_argument("--rate", default="", help='its own limit, e.g. "1200/min"')
    token_list_p = token_sub.add_parser("list")
    token_list_p.add_argument("--user", required=True)
    token_revoke_p = token_sub.add_parser("revoke")
    token_revoke_p.add_argument("id", type=int)
    token.set_defaults(func=cmd_token)
