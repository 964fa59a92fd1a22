"""/api/settings: the desk's settings (admins; docs/api.md "Settings"). GET shows every value, where it
comes from and its default; PATCH saves the fields it names (null: back to the environment's default).
One value that cannot be used answers 422 naming it, and nothing is saved."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from gezien.api.auth import require_perm
from gezien.api.input import In
from gezien.audit.log import request_actor
from gezien.core.client import client_address
from gezien.desksettings.selectors import settings_shown, settings_values
from gezien.desksettings.services import settings_save

router = Router(tags=["settings"])


class HolidayIn(In):
    date: str = Field(description="YYYY-MM-DD")
    name: str = Field(max_length=80)
    hours: str = Field(default="", description='"09:00-14:00" (shorter hours), or "" closed')


class HolidayOut(Schema):
    date: str
    name: str
    hours: str = Field(description='"09:00-14:00", or "" when closed')


class SettingsValues(Schema):
    organisation_name: str = Field(description="GEZIEN_ORGANISATION_NAME")
    base_url: str = Field(description="GEZIEN_BASE_URL: every link in mails and API answers starts with it")
    opening_hours: dict[str, str] = Field(
        description='per weekday ma..zo: "08:00-18:00", "08:00-12:00, 13:00-17:00" or "" (closed)'
    )
    holidays_extra: list[str] = Field(
        description="optional days off: goede_vrijdag, bevrijdingsdag, bevrijdingsdag_lustrum"
    )
    holidays: list[HolidayOut] = Field(description="the organisation's own days: closed or shorter hours")
    capacity: dict[str, int] = Field(description="contacts at once per channel (GEZIEN_CAPACITY)")
    routing_capacity: int
    after_contact_seconds: int
    break_minutes: int
    survey_send: str = Field(description="email or off")
    survey_kind: str = Field(description='nps, csat or per channel "phone=nps,chat=csat,*=nps"')
    survey_quiet_days: int
    survey_valid_days: int
    contact_value_eur: int


class SettingsOut(SettingsValues):
    saved: list[str] = Field(description="the settings saved in the desk; the others are the defaults")
    defaults: SettingsValues = Field(description="the environment's defaults (GEZIEN_*)")


class SettingsPatchIn(In):
    """Only the fields sent are changed; null puts a setting back to its default."""

    organisation_name: str | None = None
    base_url: str | None = None
    opening_hours: dict[str, str] | None = None
    holidays_extra: list[str] | None = None
    holidays: list[HolidayIn] | None = None
    capacity: dict[str, int] | None = None
    routing_capacity: int | None = None
    after_contact_seconds: int | None = None
    break_minutes: int | None = None
    survey_send: str | None = None
    survey_kind: str | None = None
    survey_quiet_days: int | None = None
    survey_valid_days: int | None = None
    contact_value_eur: int | None = None


def _answer() -> dict[str, Any]:
    shown = settings_shown()
    return {
        **settings_values(),
        "saved": [s.key for s in shown if s.saved],
        "defaults": {s.key: s.default for s in shown},
    }


@router.get("/settings", response=SettingsOut)
def read_settings(request: HttpRequest) -> dict[str, Any]:
    require_perm(request, "desksettings.view_desksetting")
    return _answer()


@router.patch("/settings", response=SettingsOut)
def change_settings(request: HttpRequest, payload: SettingsPatchIn) -> dict[str, Any]:
    require_perm(request, "desksettings.change_desksetting")
    actor_id, actor_name = request_actor(request)
    settings_save(
        changes=payload.model_dump(exclude_unset=True),
        actor_id=actor_id,
        actor_name=actor_name,
        source=client_address(request),
    )
    return _answer()
