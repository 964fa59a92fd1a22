"""Calibration: team leads score a sample of contacts by hand on the habits, on the read's own scale
(0..100, or "niet van toepassing"), and the desk shows per habit where they and the automatic read agree.

- The sample (`calibration_sample`): contacts of the lead's scope (their team; managers every team) with a
  read from the last eight weeks, not yet scored by this lead, spread over agents and reasons (round robin:
  each agent in turn, and per agent each reason in turn, the newest first). The lead's own contacts are
  left out. Scoring is blind: the form does not show the read.
- Agreement (`agreement`): a pair agrees when both say "niet van toepassing", or both score and differ by
  at most `AGREE_WITHIN` points. Per habit: n, agreement %, how often they agree on whether the habit
  applies, and on the pairs where both score: the mean absolute difference, the bias (read minus lead)
  and Cohen's quadratic-weighted kappa over five bands of 20 points.
- The comparison is with the read as it is now (after `gezien coaching reanalyse` on new rules it shows
  whether they agree better); the read's score and version at the moment of scoring are kept for the
  export (`calibration_rows`), the input for retuning the read.

Calibration judges the read, not the agent: its screens show no agent names, and it stays available when
per-agent scores are off."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.coaching.models import CalibrationScore, ContactRead
from gezien.coaching.selectors import SCORED, label, scope_for, weeks_until
from gezien.core.errors import Invalid, NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

AGREE_WITHIN = 15  # points: a hand score and the read's this close agree
BAND = 20  # kappa's ordinal bands: 0-19, 20-39, 40-59, 60-79, 80-100
BANDS = 5
SAMPLE_SIZE = 10
SAMPLE_MAX = 50
DISAGREEMENTS_MAX = 100

Pair = tuple[int | None, int | None]  # (lead, read); None: niet van toepassing


def agrees(lead: int | None, read: int | None) -> bool:
    if lead is None or read is None:
        return lead is None and read is None
    return abs(lead - read) <= AGREE_WITHIN


def _band(score: int) -> int:
    return min(BANDS - 1, score // BAND)


def weighted_kappa(pairs: Iterable[tuple[int, int]]) -> float | None:
    """Cohen's kappa with quadratic weights over the five bands, for pairs where both scored; None with
    fewer than two pairs or when all fall in one band on both sides (chance agreement is then total)."""
    counted = [(_band(a), _band(b)) for a, b in pairs]
    n = len(counted)
    if n < 2:
        return None
    rows = [0] * BANDS
    cols = [0] * BANDS
    for a, b in counted:
        rows[a] += 1
        cols[b] += 1

    def weight(i: int, j: int) -> float:
        return (i - j) ** 2 / (BANDS - 1) ** 2

    observed = sum(weight(a, b) for a, b in counted) / n
    expected = sum(weight(i, j) * rows[i] * cols[j] for i in range(BANDS) for j in range(BANDS)) / n / n
    if expected == 0:
        return None
    return round(1 - observed / expected, 2)


@dataclass
class HabitAgreement:
    habit: str
    label: str
    n: int  # contacts the leads scored on this habit (n.v.t. included)
    agree: int
    applies_agree: int  # pairs that agree on whether the habit applies
    both_scored: int
    mad: float | None  # mean absolute difference where both scored
    bias: float | None  # the read minus the lead, on average, where both scored
    kappa: float | None

    @property
    def agreement(self) -> int | None:
        """The share of pairs that agree, in percent."""
        return round(100 * self.agree / self.n) if self.n else None

    @property
    def applies_agreement(self) -> int | None:
        return round(100 * self.applies_agree / self.n) if self.n else None


def agreement(habit: str, pairs: list[Pair]) -> HabitAgreement:
    """How a lead's hand scores (first) and the read (second) agree on one habit."""
    both = [(a, b) for a, b in pairs if a is not None and b is not None]
    return HabitAgreement(
        habit=habit,
        label=label(habit),
        n=len(pairs),
        agree=sum(agrees(a, b) for a, b in pairs),
        applies_agree=sum((a is None) == (b is None) for a, b in pairs),
        both_scored=len(both),
        mad=round(sum(abs(a - b) for a, b in both) / len(both), 1) if both else None,
        bias=round(sum(b - a for a, b in both) / len(both), 1) if both else None,
        kappa=weighted_kappa(both),
    )


# --- who may calibrate what --------------------------------------------------------------------------


def _reads_in_scope(viewer: User | AnonymousUser) -> QuerySet[ContactRead]:
    """The reads a lead may calibrate: their team's agents' (managers: everyone's), not their own."""
    scope = scope_for(viewer)
    people = scope.people().exclude(pk=viewer.pk or 0).values("pk")
    return ContactRead.objects.filter(agent_id__in=people)


def read_to_score(viewer: User | AnonymousUser, contact_id: int) -> ContactRead:
    """A contact with a read that `viewer` (a team lead or manager) may score; else 403 or 404."""
    read = _reads_in_scope(viewer).select_related("contact", "contact__reason").filter(pk=contact_id).first()
    if read is None:
        raise NotFound(_("Dit contact heeft geen beoordeling die u mag kalibreren."))
    return read


# --- the sample ------------------------------------------------------------------------------------------


def calibration_sample(
    viewer: User | AnonymousUser, size: int = SAMPLE_SIZE, now: datetime | None = None
) -> list[ContactRead]:
    """Contacts for `viewer` to score by hand: not yet scored by them, spread over agents and reasons."""
    size = max(1, min(SAMPLE_MAX, size))
    weeks = weeks_until(now or timezone.now())
    done = CalibrationScore.objects.filter(lead_id=viewer.pk).values("read_id")
    candidates = (
        _reads_in_scope(viewer)
        .filter(closed_at__gte=timezone.make_aware(datetime.combine(weeks[0], datetime.min.time())))
        .exclude(pk__in=done)
        .order_by("-closed_at", "-pk")
        .values_list("pk", "agent_id", "contact__reason_id")[:3000]
    )
    by_agent: dict[int, dict[int | None, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pk, agent_id, reason_id in candidates:
        by_agent[agent_id][reason_id].append(pk)
    queues = [list(_round_robin(list(reasons.values()))) for _a, reasons in sorted(by_agent.items())]
    chosen = list(_round_robin(queues))[:size]
    found = ContactRead.objects.select_related("contact", "contact__reason").in_bulk(chosen)
    return [found[pk] for pk in chosen if pk in found]


def _round_robin(lists: list[list[int]]) -> Iterator[int]:
    depth = 0
    while any(depth < len(items) for items in lists):
        for items in lists:
            if depth < len(items):
                yield items[depth]
        depth += 1


# --- scoring -------------------------------------------------------------------------------------------


def calibration_save(
    *, actor: User | AnonymousUser, contact_id: int, scores: Mapping[str, int | None]
) -> list[CalibrationScore]:
    """A lead's hand scores of one contact: habit -> 0..100, or None for "niet van toepassing"; a habit
    left out is not scored. Scoring again replaces the lead's earlier score of that habit."""
    read = read_to_score(actor, contact_id)
    if not isinstance(scores, Mapping) or not scores:
        raise Invalid(_("Geef ten minste één gewoonte een score of 'n.v.t.'."), field="scores")
    for habit, value in scores.items():
        if habit not in SCORED:
            raise Invalid(_("Onbekende gewoonte: %(habit)s") % {"habit": str(habit)[:40]}, field="scores")
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100
        ):
            raise Invalid(_("Een score is een getal van 0 tot en met 100, of n.v.t."), field="scores")
    saved = []
    with transaction.atomic():
        for habit, value in scores.items():
            row, _created = CalibrationScore.objects.update_or_create(
                read=read,
                lead_id=actor.pk,
                habit=habit,
                defaults={"score": value, "read_score": getattr(read, habit), "read_version": read.version},
            )
            saved.append(row)
    return saved


# --- the comparison --------------------------------------------------------------------------------------


@dataclass
class Disagreement:
    contact_id: int
    habit: str
    label: str
    lead: User | None
    lead_score: int | None
    read_score: int | None
    scored_at: datetime
    moments: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CalibrationView:
    habits: list[HabitAgreement]
    disagreements: list[Disagreement]
    contacts: int  # contacts scored by hand
    scores: int


def _scores_in_scope(viewer: User | AnonymousUser) -> QuerySet[CalibrationScore]:
    return CalibrationScore.objects.filter(read__in=_reads_in_scope(viewer).values("pk"))


def calibration_overview(viewer: User | AnonymousUser) -> CalibrationView:
    """Per habit how the leads' hand scores in `viewer`'s scope agree with the read as it is now, and the
    disagreements (newest first) with the read's moments of that habit."""
    rows = list(
        _scores_in_scope(viewer).values_list(
            "pk", "read_id", "habit", "score", "updated_at", "lead_id", *(f"read__{h}" for h in SCORED)
        )
    )
    pairs: dict[str, list[Pair]] = defaultdict(list)
    wrong: list[tuple[int, str, int | None, int | None, datetime, int]] = []
    for _pk, read_id, habit, score, at, lead_id, *current in rows:
        now_read = dict(zip(SCORED, current, strict=True))[habit]
        pairs[habit].append((score, now_read))
        if not agrees(score, now_read):
            wrong.append((read_id, habit, score, now_read, at, lead_id))
    wrong.sort(key=lambda w: w[4], reverse=True)
    wrong = wrong[:DISAGREEMENTS_MAX]
    data = dict(ContactRead.objects.filter(pk__in={w[0] for w in wrong}).values_list("pk", "data"))
    leads = User.objects.in_bulk({w[5] for w in wrong})
    disagreements = [
        Disagreement(
            contact_id=read_id,
            habit=habit,
            label=label(habit),
            lead=leads.get(lead_id),
            lead_score=score,
            read_score=now_read,
            scored_at=at,
            moments=_moments(data.get(read_id) or {}, habit),
        )
        for read_id, habit, score, now_read, at, lead_id in wrong
    ]
    return CalibrationView(
        habits=[agreement(h, pairs.get(h, [])) for h in SCORED],
        disagreements=disagreements,
        contacts=len({r[1] for r in rows}),
        scores=len(rows),
    )


def _moments(data: Mapping[str, Any], habit: str) -> list[dict[str, Any]]:
    entry = next((h for h in data.get("habits", []) if h.get("habit") == habit), None)
    return list(entry.get("moments", [])) if entry else []


def calibration_rows(
    scores: QuerySet[CalibrationScore], since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """The export: one dict per hand score, beside the read then and now (no customer text: the moments'
    places, not their words; the contact id leads to the conversation)."""
    if since is not None:
        scores = scores.filter(updated_at__gte=since)
    query = scores.select_related("read").order_by("pk")
    for row in query.iterator(chunk_size=500):
        read = row.read
        now_score = getattr(read, row.habit)
        yield {
            "contact_id": row.read_id,
            "habit": row.habit,
            "lead_id": row.lead_id,
            "lead_score": row.score,
            "read_score": now_score,
            "read_version": read.version,
            "read_score_at_scoring": row.read_score,
            "read_version_at_scoring": row.read_version,
            "agree": agrees(row.score, now_score),
            "scored_at": row.updated_at.isoformat(),
            "moments": [
                {"turn": m.get("turn"), "at_s": m.get("at_s"), "good": m.get("good")}
                for m in _moments(read.data or {}, row.habit)
            ],
        }


def calibration_export(
    viewer: User | AnonymousUser, since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """The export for a lead: the hand scores in their scope."""
    return calibration_rows(_scores_in_scope(viewer), since)


def calibration_export_all(since: datetime | None = None) -> Iterator[dict[str, Any]]:
    """The export for the command line: every hand score."""
    return calibration_rows(CalibrationScore.objects.all(), since)
