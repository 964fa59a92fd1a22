"""Proposing a contact reason from the customer's words and the analysis (the agent confirms).

A multinomial naive Bayes over content lemmas (`words.content_lemmas`) plus a few analysis features
(a life event, churn intent), trained on contacts that have a reason, with seed keywords per reason
family so a young installation with little history still gets sensible proposals. Pure Python; the
model is trained lazily, kept per process and retrained after `RETRAIN_SECONDS`.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gezien.contacts.models import Author, Contact, ContactReason, Message
from gezien.contacts.selectors import loaded_signals
from gezien.insights.rootcause.words import content_lemmas

# Seed words per reason family (a code or its prefix): counted as if each were seen SEED_WEIGHT times.
SEEDS: dict[str, tuple[str, ...]] = {
    "levering_vertraagd": ("pakket", "bezorgen", "levering", "track", "trace", "vertraging", "verwachten"),
    "levering_beschadigd": ("beschadigen", "kapot", "doos", "deuk", "missen", "onvolledig"),
    "levering_retour": ("retour", "terugsturen", "herroeping", "retourlabel", "ruilen"),
    "voorraad": ("voorraad", "uitverkocht", "leverbaar", "levertijd"),
    "factuur": ("factuur", "rekening", "bedrag", "betaling", "afschrijving", "incasso"),
    "factuur_dubbel_afgeschreven": ("dubbel", "twee", "afschrijven", "afgeschreven", "terugstorten"),
    "factuur_hoger": ("hoog", "hoger", "duur", "verhoging", "meer"),
    "factuur_betalingsregeling": ("betalingsregeling", "termijn", "achterstand", "aanmaning"),
    "storing": ("storing", "werken", "verbinding", "uitval"),
    "storing_internet": ("internet", "wifi", "modem", "router", "traag"),
    "storing_tv": ("tv", "televisie", "zender", "decoder", "beeld"),
    "storing_mobiel": ("mobiel", "bereik", "bellen", "sms", "netwerk"),
    "product": ("toestel", "telefoon", "product", "apparaat"),
    "product_instellen": ("instellen", "installeren", "handleiding", "app", "koppelen"),
    "abonnement_opzeggen": ("opzeggen", "stoppen", "beëindigen", "overstappen", "_churn"),
    "abonnement_wijzigen": ("abonnement", "wijzigen", "bundel", "upgrade"),
    "abonnement_overzetten": ("tenaamstelling", "overzetten", "overlijden", "_event_bereavement"),
    "verhuizing": ("verhuizen", "verhuizing", "adres", "nieuw", "_event_moving"),
    "klacht": ("klacht", "ontevreden", "schandalig"),
    "klacht_bejegening": ("onbeleefd", "bejegening", "medewerker", "toon"),
    "compliment": ("compliment", "bedankt", "fijn", "top", "geweldig"),
}
SEED_WEIGHT = 3
ALPHA = 0.5  # Laplace smoothing
MIN_PROBABILITY = 0.35  # below this the proposal is too unsure to show


@dataclass
class ReasonModel:
    """Word counts per reason; `classify` returns reasons by posterior probability."""

    word_counts: dict[int, Counter[str]] = field(default_factory=dict)
    doc_counts: Counter[int] = field(default_factory=Counter)
    vocabulary: set[str] = field(default_factory=set)
    trained_on: int = 0

    def add(self, reason_id: int, words: Iterable[str], weight: int = 1) -> None:
        counts = self.word_counts.setdefault(reason_id, Counter())
        for word in words:
            counts[word] += weight
            self.vocabulary.add(word)
        self.doc_counts[reason_id] += 1

    def classify(self, words: Sequence[str]) -> list[tuple[int, float, tuple[str, ...]]]:
        """(reason id, probability, the words that spoke most for it), most probable first."""
        if not self.word_counts:
            return []
        known = [w for w in words if w in self.vocabulary]
        total_docs = sum(self.doc_counts.values())
        v = len(self.vocabulary)
        scores: dict[int, float] = {}
        reasons_words: dict[int, tuple[str, ...]] = {}
        for reason_id, counts in self.word_counts.items():
            total = sum(counts.values())
            prior = math.log(self.doc_counts[reason_id] / total_docs)
            contributions = {
                w: math.log((counts.get(w, 0) + ALPHA) / (total + ALPHA * v)) for w in set(known)
            }
            scores[reason_id] = prior + sum(contributions[w] for w in known)
            telling = sorted((w for w in set(known) if counts.get(w, 0) > 0), key=lambda w: -counts[w])
            reasons_words[reason_id] = tuple(telling[:5])
        top = max(scores.values())
        norm = sum(math.exp(s - top) for s in scores.values())
        ranked = sorted(((rid, math.exp(s - top) / norm) for rid, s in scores.items()), key=lambda x: -x[1])
        return [(rid, p, reasons_words[rid]) for rid, p in ranked]


def seed(model: ReasonModel, reason_codes: dict[str, int]) -> None:
    """Add the seed words to every reason whose code is (or starts with) a seed key."""
    for code, reason_id in reason_codes.items():
        words = SEEDS.get(code) or next((ws for key, ws in SEEDS.items() if code.startswith(key)), ())
        if words:
            model.add(reason_id, words, SEED_WEIGHT)


def features(text: str, life_events: Iterable[str] = (), churn: float = 0.0) -> list[str]:
    """The words of `text` plus the analysis' hints as pseudo-words."""
    words = content_lemmas(text)
    words += [f"_event_{e}" for e in life_events]
    if churn >= 0.5:
        words.append("_churn")
    return words


# --- the stored contacts ------------------------------------------------------------------------------

RETRAIN_SECONDS = 3600
TRAIN_LIMIT = 5000  # the newest contacts with a reason
_lock = threading.Lock()
_cache: dict[str, tuple[float, ReasonModel]] = {}


def contact_features(contact_ids: list[int]) -> dict[int, list[str]]:
    """Features of each contact from its subject and its customer messages with their signals: two queries."""
    texts: dict[int, list[str]] = {
        cid: [s] for cid, s in Contact.objects.filter(pk__in=contact_ids).values_list("pk", "subject")
    }
    events: dict[int, set[str]] = {}
    churn: dict[int, float] = {}
    rows = Message.objects.filter(contact_id__in=contact_ids, author=Author.CUSTOMER).values_list(
        "contact_id", "text", "signals__life_events", "signals__churn"
    )
    for cid, text, life_events, churn_score in rows:
        texts.setdefault(cid, []).append(text[:2000])
        events.setdefault(cid, set()).update((life_events or "").split())
        churn[cid] = max(churn.get(cid, 0.0), churn_score or 0.0)
    return {
        cid: features(" ".join(parts), sorted(events.get(cid, ())), churn.get(cid, 0.0))
        for cid, parts in texts.items()
    }


def train(contact_ids: list[int] | None = None) -> ReasonModel:
    """A model from the newest contacts with an active reason (or the given ones) plus the seeds."""
    active = dict(ContactReason.objects.filter(active=True).values_list("code", "pk"))
    model = ReasonModel()
    seed(model, active)
    history = Contact.objects.filter(reason_id__in=list(active.values()))
    if contact_ids is not None:
        history = history.filter(pk__in=contact_ids)
    pairs = list(history.order_by("-opened_at").values_list("pk", "reason_id")[:TRAIN_LIMIT])
    ids = [pk for pk, _ in pairs]
    for start in range(0, len(ids), 500):
        chunk = contact_features(ids[start : start + 500])
        for pk, reason_id in pairs[start : start + 500]:
            model.add(reason_id, chunk.get(pk, []))
    model.trained_on = len(pairs)
    return model


def reason_model() -> ReasonModel:
    """The process's model, trained on first use and again after RETRAIN_SECONDS."""
    with _lock:
        found = _cache.get("model")
        if found is not None and time.monotonic() - found[0] < RETRAIN_SECONDS:
            return found[1]
        model = train()
        _cache["model"] = (time.monotonic(), model)
        return model


def reason_model_reset() -> None:
    with _lock:
        _cache.clear()


@dataclass(frozen=True)
class Proposal:
    reason_id: int
    probability: float
    words: tuple[str, ...]


def loaded_features(contact: Any) -> list[str]:
    """Features of a contact whose thread is loaded (`contacts.selectors.contact_with_thread`): no query."""
    texts, events, churn = [contact.subject], set(), 0.0
    for message in contact.messages.all():
        if message.author != Author.CUSTOMER:
            continue
        texts.append(message.text[:2000])
        signals = loaded_signals(message)
        if signals is not None:
            events.update((signals.life_events or "").split())
            churn = max(churn, signals.churn or 0.0)
    return features(" ".join(texts), sorted(events), churn)


def propose_reason(
    contact_id: int, *, model: ReasonModel | None = None, words: list[str] | None = None
) -> Proposal | None:
    """The most probable reason for a contact with the words behind it, or None when too unsure.
    `words`: the contact's features when the caller has them (`loaded_features`)."""
    if words is None:
        words = contact_features([contact_id]).get(contact_id, [])
    if not words:
        return None
    ranked = (model or reason_model()).classify(words)
    if not ranked or ranked[0][1] < MIN_PROBABILITY:
        return None
    reason_id, probability, telling = ranked[0]
    return Proposal(reason_id, round(probability, 3), telling)
