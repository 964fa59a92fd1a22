"""Writes for agents: create a user with a role and a team (a password must meet the policy)."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from gezien.accounts.models import Role, Team, User
from gezien.accounts.passwords import password_check
from gezien.accounts.roles import roles_sync
from gezien.core.errors import Conflict, Invalid


@transaction.atomic
def team_ensure(*, name: str) -> Team:
    team, _created = Team.objects.get_or_create(name=name)
    return team


@transaction.atomic
def agent_create(
    *,
    username: str,
    password: str | None,
    role: str = Role.AGENT,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    team: Team | None = None,
) -> User:
    if role not in Role.values:
        raise Invalid(_("Onbekende rol: %(r)s") % {"r": role}, field="role")
    if User.objects.filter(username=username).exists():
        raise Conflict(_("Gebruiker %(u)s bestaat al.") % {"u": username}, field="username")
    if password is not None:
        planned = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            is_staff=role == Role.ADMIN,
        )
        password_check(password, user=planned, role=role)
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        team=team,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    agent_set_role(user=user, role=role)
    return user


@transaction.atomic
def agent_set_role(*, user: User, role: str) -> None:
    if role not in Role.values:
        raise Invalid(_("Onbekende rol: %(r)s") % {"r": role}, field="role")
    if not Group.objects.filter(name=role).exists():
        roles_sync()
    user.groups.set([Group.objects.get(name=role)])
