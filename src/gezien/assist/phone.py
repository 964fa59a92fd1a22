"""R10 on the phone: the greeting by part of the day (Europe/Amsterdam), with the company and the agent's own
name, and a short opening checklist whose steps tick themselves off as the agent's notes show them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from gezien.assist import phrases
from gezien.assist.situation import Situation
from gezien.desksettings.store import desk_setting

if TYPE_CHECKING:
    from gezien.accounts.models import User

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def part_of_day(at: datetime) -> str:
    """ "goedemorgen" before 12:00, "goedemiddag" before 18:00, "goedenavond" after, in Amsterdam."""
    hour = at.astimezone(AMSTERDAM).hour
    return next(word for word, until in phrases.GREETING_PARTS if hour < until)


def greeting(*, at: datetime, agent_name: str, lang: str = "nl", organisation: str | None = None) -> str:
    part = part_of_day(at)
    org = organisation or desk_setting("organisation_name")
    if lang == "en":
        return phrases.GREETING["en"].format(part=phrases.GREETING_EN[part], org=org, agent=agent_name)
    return phrases.GREETING["nl"].format(part=part.capitalize(), org=org, agent=agent_name)


@dataclass(frozen=True)
class Step:
    key: str
    text: str
    done: bool
    failed: bool = False  # known not done (a recording shows the agent talked over the customer)
    moments: tuple[str, ...] = ()  # where in the call, as "m:ss"


@dataclass(frozen=True)
class ListenCheck:
    """Whether the agent let the customer finish, from the call's recording (`phone.recordings`):
    `interrupted_at` the seconds into the call where the agent started over the customer."""

    finished: bool
    turns: int
    interrupted_at: tuple[float, ...]


_listen_sources: list[Callable[[int], ListenCheck | None]] = []


def listen_checked_by(source: Callable[[int], ListenCheck | None]) -> None:
    """Register where the checklist reads a call's "let the customer finish" (again: replaces it)."""
    _listen_sources[:] = [source]


def listen_check(contact_id: int) -> ListenCheck | None:
    return next((found for source in _listen_sources if (found := source(contact_id)) is not None), None)


def clock(seconds: float) -> str:
    """Seconds into a call as people read them: "0:07", "12:30", "1:02:03"."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _listen_step(check: ListenCheck | None) -> Step:
    text = _("Laat de klant uitpraten; onderbreek niet.")
    if check is None:
        return Step("listen", text, False)
    moments = tuple(clock(at) for at in check.interrupted_at)
    return Step("listen", text, check.finished, failed=not check.finished, moments=moments)


@dataclass(frozen=True)
class PhoneOpening:
    greeting: str
    steps: tuple[Step, ...]


def phone_opening(
    situation: Situation, agent: User, at: datetime, *, listen: ListenCheck | None = None
) -> PhoneOpening:
    """The greeting line and the opening checklist; a step is done when the agent's words show it, and
    "let the customer finish" when the call's recording shows it (`listen`: ticked or crossed)."""
    acts = situation.agent_acts
    name = agent.first_name or agent.get_username()
    steps = [
        Step("greeting", _("Begroet met dagdeel, bedrijfsnaam en uw eigen naam."), "greeting" in acts),
        _listen_step(listen),
    ]
    if situation.listen_first:
        steps.append(
            Step(
                "acknowledge", _("Erken het gevoel van de klant vóór u iets oplost."), situation.acknowledged
            )
        )
    if situation.recognised:
        steps.append(Step("recognised", _("De klant is herkend: vraag niet opnieuw naar gegevens."), True))
    else:
        steps.append(
            Step("signpost", _("Zeg waarom u gegevens nodig hebt, en vraag ze dan."), "signposting" in acts)
        )
    steps.append(
        Step("paraphrase", _("Vat samen wat de klant vraagt en check of het klopt."), "paraphrase" in acts)
    )
    steps.append(
        Step(
            "promise",
            _("Spreek af wat er gebeurt en wanneer; leg het vast als toezegging."),
            "promise" in acts,
        )
    )
    return PhoneOpening(greeting(at=at, agent_name=name, lang=situation.lang), tuple(steps))
