"""Roles are Django auth groups with a fixed set of permissions each; higher roles include lower ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig, apps
from django.db.models import QuerySet

from gezien.accounts.models import DESK_ROLES, ROLE_ORDER, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

__all__ = [
    "DESK_ROLES",
    "ROLE_ORDER",
    "ROLE_PERMISSIONS",
    "desk_people",
    "roles_sync",
    "user_role",
]

_AGENT_PERMS = [
    "contacts.handle_contact",
    "contacts.view_contact",
    "customers.view_customer",
    "customers.add_customer",
    "customers.change_customer",
    "customers.add_identity",
    "customers.change_identity",
    "customers.delete_identity",
    "customers.add_remembereddetail",
    "customers.change_remembereddetail",
    "customers.delete_remembereddetail",
    # Saying a signal on a message is wrong ("niet boos") or missing ("wel teleurgesteld").
    "contacts.add_signalcorrection",
    "contacts.change_signalcorrection",
    "contacts.view_signalcorrection",
    # Macros (standaardantwoorden): everyone uses the shared ones and keeps their own.
    "replies.view_macro",
    "replies.add_macro",
    "replies.change_macro",
    # Kennisbank: read, write and keep articles current; say whether an article helped.
    "knowledge.view_article",
    "knowledge.add_article",
    "knowledge.change_article",
    "knowledge.view_articlefeedback",
    "knowledge.add_articlefeedback",
    "knowledge.change_articlefeedback",
    # Routing: everyone sees the skills and can run routing for a contact again.
    "routing.view_skill",
    "routing.route_contact",
    # Root-cause board: see problems, link contacts to them and say "ik zie dit ook".
    "rootcause.view_problem",
    "rootcause.add_problem",
    "rootcause.link_problem",
    "rootcause.view_spike",
    # Workforce (issue 6): one's own state and one's own wellbeing page.
    "presence.set_own_state",
    "wellbeing.view_own_wellbeing",
    # Coaching (issue 19): the habit reads of one's own contacts, with comments on them.
    "coaching.view_own_reads",
    # E-mail: mark a contact as spam, which blocks its sender.
    "mail.add_blockedsender",
    # Privacy: make part of a message unreadable (a card number the customer typed).
    "privacy.redact_message",
    # Phone: listen to call recordings and see their analysis (docs/phone.md, "Recordings").
    "phone.listen_recording",
    # The practice room (issue 19): rehearse hard conversations against a simulated customer.
    "practice.practise",
]
_TEAMLEAD_PERMS = [
    *_AGENT_PERMS,
    "contacts.supervise_queue",
    "replies.manage_shared_macros",
    "knowledge.archive_article",
    "knowledge.delete_article",
    # Routing: add skills, set the skills of their own team's people.
    "routing.add_skill",
    "routing.manage_skills",
    # Service levels: see the SLA policies (targets per channel and priority).
    "sla.view_slapolicy",
    # Workforce: the live queue, the plan (and editing the forecast and schedule), their team's wellbeing.
    "presence.view_live",
    "planning.view_plan",
    "planning.edit_forecast",
    "wellbeing.view_team_wellbeing",
    # The practice room: write scenarios, assign them to the team, see the team's progress.
    "practice.manage_practice",
    "coaching.view_team_reads",
]
_MANAGER_PERMS = [
    *_TEAMLEAD_PERMS,
    "customers.delete_customer",
    # Privacy: a customer's data exported on a subject-access request, or erased on request.
    "privacy.export_customer",
    "privacy.erase_customer",
    # Phone: remove a call recording before its retention period ends.
    "phone.delete_recording",
    # Service levels: change the SLA policies.
    "sla.add_slapolicy",
    "sla.change_slapolicy",
    "routing.manage_skills_all_teams",
    # Root-cause board: answer any department's problem, dismiss spikes, edit the reason tree.
    "rootcause.answer_any_problem",
    "rootcause.answer_problem",
    "rootcause.change_spike",
    "rootcause.manage_reasons",
    "presence.view_live_all_teams",
    "planning.manage_targets",
    "wellbeing.view_all_wellbeing",
    "wellbeing.manage_wellbeing_policy",
    "coaching.view_all_reads",
    "coaching.manage_coaching_policy",
]
_ADMIN_PERMS = [
    *_MANAGER_PERMS,
    "accounts.manage_users",
    # The audit log (issue 17): who read or changed what; admins read and export it.
    "audit.view_auditentry",
    # E-mail: the mailboxes, and the quarantine (read a mail raw, retry it, let spam through).
    "mail.view_mailbox",
    "mail.add_mailbox",
    "mail.change_mailbox",
    "mail.view_inboundmail",
    "mail.change_inboundmail",
    "mail.view_blockedsender",
    "mail.delete_blockedsender",
    # Chat: the widgets websites embed.
    "chat.view_chatwidget",
    "chat.add_chatwidget",
    "chat.change_chatwidget",
    "chat.delete_chatwidget",
    # Webhooks: the subscriptions (events out to other systems) and their delivery log.
    "webhooks.view_webhooksubscription",
    "webhooks.add_webhooksubscription",
    "webhooks.change_webhooksubscription",
    "webhooks.delete_webhooksubscription",
    # The desk's settings (issue 20): opening hours, holidays, capacity, surveys, contact value, name.
    "desksettings.view_desksetting",
    "desksettings.change_desksetting",
]
_DEPARTMENT_PERMS: list[str] = [
    # Root-cause board: their own department's problems (the services check which department).
    "rootcause.view_problem",
    "rootcause.answer_problem",
    "rootcause.view_spike",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.AGENT: _AGENT_PERMS,
    Role.TEAMLEAD: _TEAMLEAD_PERMS,
    Role.MANAGER: _MANAGER_PERMS,
    Role.ADMIN: _ADMIN_PERMS,
    Role.DEPARTMENT: _DEPARTMENT_PERMS,
}


def user_role(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The highest role a user holds, or None."""
    return user.role if isinstance(user, User) and user.is_authenticated else None


def roles_sync(sender: object = None, **_: object) -> None:
    """Create the role groups and give each exactly its permissions. Idempotent; runs after migrate.

    migrate and flush send post_migrate once per app: this runs at the last app's, when every app's
    permissions exist (run at each of some thirty apps, with a query per permission, it made a test
    flush on PostgreSQL take seconds: ~7,000 queries)."""
    from django.contrib.auth.models import Group, Permission

    if sender is not None and sender is not _last_app_migrated():
        return
    codenames = {perm.split(".")[1] for perms in ROLE_PERMISSIONS.values() for perm in perms}
    existing = {
        f"{perm.content_type.app_label}.{perm.codename}": perm
        for perm in Permission.objects.filter(codename__in=codenames).select_related("content_type")
    }
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([existing[perm] for perm in perms if perm in existing])


def _last_app_migrated() -> AppConfig:
    """The app post_migrate is sent for last (migrate and flush send it for each app with models)."""
    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]


def desk_people() -> QuerySet[User]:
    """Everyone with a role in the desk (agent or higher), active or not."""
    return User.objects.filter(groups__name__in=DESK_ROLES).distinct()
