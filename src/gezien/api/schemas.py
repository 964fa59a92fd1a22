"""The shapes the API's resource modules share: a person, a channel, a period and an error.

Each is declared once here, so that the same person (or channel, or refusal) reads the same on every
endpoint. Resource modules declare only the shapes that are theirs."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from gezien.accounts.models import User
from gezien.api.input import In
from gezien.core.period import Period, period_from

# --- channel --------------------------------------------------------------------------------------------

ChannelLiteral = Literal["phone", "chat", "email", "webform"]


# --- person ---------------------------------------------------------------------------------------------


class PersonOut(Schema):
    """Someone in the desk (an agent, a team lead, a manager), the same shape wherever one comes back."""

    id: int
    username: str
    full_name: str = Field(description="first and last name; empty when unknown")
    name: str = Field(description="how the desk names them: the full name, else the username")
    team: str | None

    @staticmethod
    def resolve_username(obj: User) -> str:
        return obj.get_username()

    @staticmethod
    def resolve_full_name(obj: User) -> str:
        return obj.get_full_name()

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.display_name

    @staticmethod
    def resolve_team(obj: User) -> str | None:
        return obj.team.name if obj.team_id is not None and obj.team is not None else None


def username_of(user: User | None) -> str | None:
    """The username of an optional person (who made, changed or owns something), for `*_by` fields."""
    return user.get_username() if user is not None else None


def name_of(user: User | None) -> str | None:
    """The display name of an optional person, for `*_by` fields that show a name."""
    return user.display_name if user is not None else None


# --- cite -----------------------------------------------------------------------------------------------


class CiteBrief(Schema):
    """The words behind a hint, protocol or incident: `words` in message `message_id` made the analysis
    raise `signal`."""

    signal: str
    words: str
    message_id: int | None


def stored_cite(item: Any) -> dict[str, Any]:
    """A cite as the models store it ([signal, words, message_id]) in the shape of `CiteBrief`."""
    signal, words, message_id = [*item, "", "", None][:3]
    return {"signal": str(signal), "words": str(words), "message_id": message_id}


# --- period ---------------------------------------------------------------------------------------------

FormatLiteral = Literal["json", "csv"]


class PeriodQuery(In):
    """A period of whole days, as every endpoint over a period takes it: `?from=&to=`."""

    from_: str | None = Field(
        None, alias="from", description="first day (YYYY-MM-DD), default 27 days before `to`"
    )
    to: str | None = Field(None, description="last day (YYYY-MM-DD), default today (Europe/Amsterdam)")

    def period(self) -> Period:
        """The period asked for (422 with the field at fault for a day that cannot be read)."""
        return period_from({"from": self.from_, "to": self.to})


class ReportQuery(PeriodQuery):
    """A period and the answer's format: the figure endpoints answer CSV too."""

    format: FormatLiteral = Field("json", description="json, or csv for a spreadsheet download")


# --- error ----------------------------------------------------------------------------------------------


class ErrorItemOut(Schema):
    loc: list[str | int] = Field(description="where the fault is, e.g. ['body', 'text'] or ['path']")
    msg: str = Field(description="what is wrong, in the desk's language")
    type: str = Field(description="the kind of fault, e.g. Invalid, NotFound, missing")


class ErrorOut(Schema):
    """Every refusal (4xx) and failure (5xx) of the API has this body."""

    detail: list[ErrorItemOut]


def error_body(msg: str, *, loc: list[str | int] | None = None, kind: str = "error") -> dict[str, Any]:
    """One error in the shape of `ErrorOut`."""
    return {"detail": [{"loc": loc if loc is not None else [], "msg": str(msg), "type": kind}]}
