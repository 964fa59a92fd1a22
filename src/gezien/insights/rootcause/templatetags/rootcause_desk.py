"""The desk's "Signalen" block on a contact page: the proposed reason (one-click confirm), open problems
about the contact's reason (one-click "Koppel aan signaal" and "Ik zie dit ook"), and the status and
latest answer of the problems the contact is linked to."""

from __future__ import annotations

from typing import Any

from django import template

from gezien.assist.situation import reasons_by_id
from gezien.insights.rootcause.proposal import loaded_features, propose_reason
from gezien.insights.rootcause.selectors import open_problems_for_contact

register = template.Library()

# How the analysis' pseudo-words read in the "why" of a proposal.
_FEATURE_WORDS = {"_churn": "opzeggen", "_event_bereavement": "overlijden", "_event_moving": "verhuizing"}


@register.inclusion_tag("web/rootcause/_contact_signals.html", takes_context=True)
def contact_signals(context: template.Context) -> dict[str, Any]:

    request = context["request"]
    contact = context["contact"]
    user = request.user
    out: dict[str, Any] = {"contact": contact, "request": request, "csrf_token": context.get("csrf_token")}
    if not user.has_perm("rootcause.view_problem"):
        return out
    out["show"] = True
    out["problems"] = open_problems_for_contact(contact)
    out["can_link"] = user.has_perm("rootcause.link_problem")
    out["can_create"] = user.has_perm("rootcause.add_problem")
    proposal = propose_reason(contact.pk, words=loaded_features(contact))
    if proposal is not None and proposal.reason_id != contact.reason_id:
        reason = reasons_by_id().get(proposal.reason_id)
        if reason is not None and reason.active:
            out["proposal"] = {
                "reason": reason,
                "percent": round(100 * proposal.probability),
                "words": [_FEATURE_WORDS.get(w, w) for w in proposal.words],
            }
    return out
