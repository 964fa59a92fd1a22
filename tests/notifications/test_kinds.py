"""Notification and contact event kinds are registered by the features that write them, each with a
label people read; the lower apps keep no list of them."""

from __future__ import annotations

import pytest

from gezien.contacts.models import EVENT_KINDS, ContactEvent
from gezien.notifications.kinds import kind_check, kind_label, kind_register, kinds


def test_every_kind_the_desk_writes_is_registered_with_a_dutch_label():
    labels = {k.code: str(k.label) for k in kinds()}
    assert labels["incident"] == "Incident"
    assert labels["transfer"] == "Doorverbinden"
    assert labels["retention"] == "Klantbehoud"
    assert labels["wellbeing"] == "Welzijn"
    assert labels["capacity"] == "Bezetting"


def test_a_kind_no_feature_registered_is_refused_and_shown_by_its_code():
    with pytest.raises(ValueError, match="onbekend"):
        kind_check("onbekend")
    assert kind_label("onbekend") == "onbekend"


def test_a_kind_is_a_short_identifier():
    with pytest.raises(ValueError):
        kind_register("met spatie", "x")
    with pytest.raises(ValueError):
        kind_register("x" * 21, "x")


def test_contact_event_kinds_of_the_features_above_contacts_are_registered_by_them():
    assert {"routed", "protocol", "incident", "warm_transfer", "problem", "survey"} <= {
        k.code for k in EVENT_KINDS.kinds()
    }
    assert "routed" not in ContactEvent.Kind.values  # contacts names no feature built on it
    assert ContactEvent(kind="survey").kind_label == "Enquête"
