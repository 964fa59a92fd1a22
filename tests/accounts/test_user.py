"""The desk's own user: the name people see, the team, the role helpers, and the admin pages for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from gezien.accounts.http import current_user
from gezien.accounts.models import Role, Team, User
from gezien.accounts.roles import user_role
from gezien.accounts.services import agent_create, agent_set_role, team_ensure
from gezien.contacts.handling import contact_assign
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_the_project_user_is_the_auth_user() -> None:
    assert get_user_model() is User


def test_the_display_name_is_the_full_name(make_user: Callable[..., User]) -> None:
    assert make_user("sanne", first_name="Sanne", last_name="de Vries").display_name == "Sanne de Vries"


def test_the_display_name_is_the_username_without_a_name() -> None:
    user = agent_create(username="kees01", password=None)
    assert user.display_name == "kees01"


def test_the_team_is_on_the_user_and_the_team_knows_its_members() -> None:
    zuid = team_ensure(name="Team Zuid")
    user = agent_create(username="emre", password=None, team=zuid)
    user.refresh_from_db()
    assert user.team == zuid
    assert list(Team.objects.get(name="Team Zuid").members.all()) == [user]


def test_a_team_that_is_removed_leaves_its_people_without_a_team() -> None:
    zuid = team_ensure(name="Team Zuid")
    user = agent_create(username="emre", password=None, team=zuid)
    zuid.delete()
    user.refresh_from_db()
    assert user.team is None


@pytest.mark.parametrize(
    ("role", "helper"),
    [
        (Role.AGENT, "is_agent"),
        (Role.TEAMLEAD, "is_teamlead"),
        (Role.MANAGER, "is_manager"),
        (Role.ADMIN, "is_admin_role"),
        (Role.DEPARTMENT, "is_department_owner"),
    ],
)
def test_exactly_one_role_helper_is_true(make_user: Callable[..., User], role: str, helper: str) -> None:
    user = make_user("iemand", role)
    helpers = ["is_agent", "is_teamlead", "is_manager", "is_admin_role", "is_department_owner"]
    assert user.role == role
    assert [name for name in helpers if getattr(user, name)] == [helper]


def test_only_the_desk_roles_work_in_the_desk(make_user: Callable[..., User]) -> None:
    assert make_user("sanne", Role.AGENT).works_in_desk
    assert make_user("mia", Role.MANAGER).works_in_desk
    assert not make_user("lotte", Role.DEPARTMENT).works_in_desk
    gone = make_user("oud", Role.AGENT)
    gone.is_active = False
    assert not gone.works_in_desk


def test_the_highest_of_several_roles_counts(make_user: Callable[..., User]) -> None:
    from django.contrib.auth.models import Group

    user = make_user("piet", Role.AGENT)
    user.groups.add(Group.objects.get(name=Role.MANAGER))
    assert user.role == Role.MANAGER
    assert user.is_manager and not user.is_agent


def test_a_changed_role_shows_at_once(make_user: Callable[..., User]) -> None:
    user = make_user("piet", Role.AGENT)
    agent_set_role(user=user, role=Role.TEAMLEAD)
    assert user.is_teamlead


def test_a_user_without_a_role_has_none() -> None:
    user = User.objects.create_user(username="los", password=None)
    assert user.role is None
    assert not (user.is_agent or user.works_in_desk)
    assert user_role(user) is None


def test_nobody_signed_in_has_no_role() -> None:
    assert user_role(AnonymousUser()) is None


def test_an_administrator_manages_people_in_the_django_admin(
    client: Client, make_user: Callable[..., User]
) -> None:
    admin = make_user("beheer", Role.ADMIN)
    sanne = make_user("sanne", Role.AGENT)
    client.force_login(admin)
    listing = client.get(f"/admin/accounts/user/?team__id__exact={sanne.team_id}")
    assert listing.status_code == 200
    assert "sanne" in listing.content.decode()
    page = client.get(f"/admin/accounts/user/{sanne.pk}/change/")
    assert page.status_code == 200
    assert 'name="team"' in page.content.decode()
    assert client.get("/admin/accounts/user/add/").status_code == 200


def test_an_administrator_moves_someone_to_another_team_in_the_admin(
    client: Client, make_user: Callable[..., User]
) -> None:
    admin = make_user("beheer", Role.ADMIN)
    sanne = make_user("sanne", Role.AGENT)
    zuid = team_ensure(name="Team Zuid")
    client.force_login(admin)
    page = client.get(f"/admin/accounts/user/{sanne.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "username": "sanne",
            "team": zuid.pk,
            "groups": [g.pk for g in sanne.groups.all()],
            "date_joined_0": sanne.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": sanne.date_joined.strftime("%H:%M:%S"),
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    answer = client.post(f"/admin/accounts/user/{sanne.pk}/change/", data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    sanne.refresh_from_db()
    assert sanne.team == zuid


def test_the_desk_names_someone_without_a_full_name_by_their_username(
    client: Client, customer: Customer, make_user: Callable[..., User]
) -> None:
    named = make_user("sanne", first_name="Sanne", last_name="de Vries")
    bare = make_user("kees01", first_name="", last_name="")
    contact = contact_open(channel="chat", identities=[("phone", "06-12345678")], text="Waar?").contact
    contact_assign(contact=contact, agent=bare)
    client.force_login(named)
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    timeline = page[page.index('data-testid="full-timeline"') :]
    assert "kees01" in timeline.split("</table>")[0]
    assert '<summary data-testid="me">Sanne de Vries</summary>' in page
    client.force_login(bare)
    assert '<summary data-testid="me">kees01</summary>' in client.get("/desk/").content.decode()


def test_the_current_user_of_a_request_is_the_signed_in_person(make_user: Callable[..., User]) -> None:
    request = RequestFactory().get("/")
    request.user = make_user("sanne")
    assert current_user(request).username == "sanne"
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        current_user(request)
